"""How the engine sees a beneficiary on any date of care: status history, limits, long-term illnesses.

Read in bulk (two queries for thousands of beneficiaries) by the claims adjudication, and one at a
time by members.selectors.beneficiary_eligibility; both get their facts from BeneficiaryCover.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db.models import QuerySet

from engine import BeneficiaryFacts, Eligibility, Suspension, Trace, eligibility_check
from engine.reasons import NOT_COVERED
from members.models import Beneficiary, MemberStatus
from members.normalize import card_number_normalise
from mutuelle.bulk import column_in, rows_fetch, rows_of
from referentials.selectors import referential_snapshot

# A recognised long-term illness: (code, valid from, valid until inclusive or None = open).
AldPeriod = tuple[str, dt.date, dt.date | None]


class BeneficiaryCover:
    """One beneficiary as the engine sees it, on any date of care, from the member's status history.

    The one place where eligibility facts are built: `beneficiary_eligibility` (one answer) and
    the claims adjudication (thousands of lines, through `beneficiary_covers`) both ask
    `facts_on(date)`, which gives the engine's facts for that date, or a refusal decided before
    the engine (not yet a member on that date; cover ended, e.g. a divorced spouse).
    Facts objects are shared between dates of the same status period.
    """

    __slots__ = ("_ald", "_facts", "_refusals", "_starts", "_statuses", "covered_until", "facts_base")

    def __init__(
        self,
        *,
        beneficiary_id: int,
        relation: str,
        birth_date: dt.date,
        member_joined: dt.date,
        from_other_amo: bool,
        student_until: dt.date | None,
        disabled: bool,
        covered_until: dt.date | None,
        history: Iterable[tuple[dt.date, str]],
        ald: tuple[AldPeriod, ...] = (),
        suspensions: Iterable[Suspension] = (),
    ) -> None:
        rows = sorted(history, key=lambda r: r[0])  # (valid_from, status); one row per day (constraint)
        self._starts = [r[0] for r in rows]
        self._statuses = [r[1] for r in rows]
        self.covered_until = covered_until
        self.facts_base = BeneficiaryFacts(
            beneficiary_id=str(beneficiary_id),
            relation=relation,
            birth_date=birth_date,
            member_joined=member_joined,
            from_other_amo=from_other_amo,
            student_until=student_until,
            disabled=disabled,
            ald=tuple(sorted({code for code, _, _ in ald})),
            suspensions=tuple(sorted(suspensions, key=lambda s: s.start)),
        )
        self._ald = ald
        self._facts: dict[tuple[int, tuple[str, ...]], BeneficiaryFacts] = {}
        self._refusals: dict[Trace, Eligibility] = {}

    @classmethod
    def of(cls, beneficiary: Beneficiary) -> BeneficiaryCover:
        """From model instances (prefetch `member__status_history` and `member__rights_suspensions` for lists)."""
        member = beneficiary.member
        return cls(
            beneficiary_id=beneficiary.pk,
            relation=beneficiary.relation,
            birth_date=beneficiary.birth_date,
            member_joined=member.joined_on,
            from_other_amo=member.from_other_amo,
            student_until=beneficiary.school_certificate_until,
            disabled=beneficiary.disabled,
            covered_until=beneficiary.covered_until,
            history=[(r.valid_from, r.status) for r in member.status_history.all()],
            suspensions=[Suspension(r.starts_on, r.ends_on) for r in member.rights_suspensions.all()],
        )

    def _refusal(self, detail: Trace) -> Eligibility:
        found = self._refusals.get(detail)
        if found is None:
            found = self._refusals[detail] = Eligibility(False, NOT_COVERED, detail)
        return found

    def facts_on(self, on: dt.date) -> BeneficiaryFacts | Eligibility:
        """The engine's facts for care on `on`, or the refusal when the engine must not be asked."""
        i = bisect_right(self._starts, on) - 1
        if i < 0:
            return self._refusal(Trace("cover.not_member"))
        until = self.covered_until
        if until is not None and on > until:
            return self._refusal(Trace("cover.ended", date=until.isoformat()))
        # A recognition counts on the dates it is valid (its end day included), not on earlier care.
        ald = self._ald_on(on) if self._ald else ()  # most beneficiaries have none: no work per line
        key = (i, ald)
        facts = self._facts.get(key)
        if facts is None:
            status = self._statuses[i]
            died = self._starts[i] if status == MemberStatus.DECEASED else None
            b = self.facts_base
            if died is None and status == b.member_status and ald == b.ald:  # most: the base itself
                facts = self._facts[key] = b
                return facts
            facts = self._facts[key] = BeneficiaryFacts(
                beneficiary_id=b.beneficiary_id, relation=b.relation, birth_date=b.birth_date,
                member_joined=b.member_joined, member_status=str(status), from_other_amo=b.from_other_amo,
                student_until=b.student_until, disabled=b.disabled, ald=ald, member_died_on=died,
                suspensions=b.suspensions,
            )  # fmt: skip
        return facts

    def _ald_on(self, on: dt.date) -> tuple[str, ...]:
        return tuple(sorted({c for c, start, end in self._ald if start <= on and (end is None or on <= end)}))

    @property
    def dated_ald(self) -> bool:
        """Whether facts may change inside a status period (a long-term illness starts or ends)."""
        return bool(self._ald)


_COVER_COLUMNS = (
    "b.id, b.member_id, b.relation, b.birth_date, b.school_certificate_until, b.disabled, b.covered_until, "
    "m.joined_on, m.from_other_amo"
)
_JOINED = "FROM members_beneficiary b JOIN members_member m ON m.id = b.member_id"
_COVER_SQL = f"SELECT {_COVER_COLUMNS} {_JOINED} WHERE {{}}"
_COVER_DATES, _COVER_BOOLEANS = (3, 4, 6, 7), (5, 8)
# The status history and the rights suspensions in one round trip (a suspension row has status
# "" and its end in the last column): adjudication reads them for every batch.
_HISTORY_SQL = (
    "SELECT member_id, valid_from, status, NULL FROM members_memberstatuschange WHERE {} "
    "UNION ALL SELECT member_id, starts_on, '', ends_on FROM members_rightssuspension WHERE {}"
)
# A card's holder in one round trip: the cover's columns, the card and the names an eligibility
# answer gives, then one history or suspension entry per row (the member's index on each table).
_CARD_SQL = (
    f"SELECT {_COVER_COLUMNS}, b.card_number, b.last_name, b.first_name, b.last_name_ar, b.first_name_ar, "  # noqa: S608
    f"h.valid_from, h.status, h.ends_on {_JOINED} LEFT JOIN ("
    "SELECT member_id, valid_from, status, NULL AS ends_on FROM members_memberstatuschange "
    "UNION ALL SELECT member_id, starts_on, '', ends_on FROM members_rightssuspension"
    ") h ON h.member_id = b.member_id WHERE b.card_number = %s"
)


_Dated = dict[int, list[tuple[dt.date, str]]]
_Suspended = dict[int, list[Suspension]]


class CoverRows(NamedTuple):
    """What covers are built from: beneficiaries with their member's columns, the members' status
    history and rights suspensions."""

    beneficiaries: list[tuple[Any, ...]]
    history: _Dated
    suspensions: _Suspended


def _history_split(rows: Iterable[tuple[Any, ...]]) -> tuple[_Dated, _Suspended]:
    history: _Dated = {}
    suspensions: _Suspended = {}
    for member_id, valid_from, status, ends_on in rows:
        if status:
            history.setdefault(member_id, []).append((valid_from, status))
        else:
            suspensions.setdefault(member_id, []).append(Suspension(valid_from, ends_on))
    return history, suspensions


def _cover_rows(ids: list[int]) -> CoverRows:
    """The cover rows of these beneficiaries, in two round trips.

    Raw SQL with the ids as one array parameter on PostgreSQL (the ORM's IN list costs more to
    build than the query takes to run), typed alike on every database by `rows_fetch`.
    """
    where, params = column_in("b.id", ids)
    rows = rows_fetch(_COVER_SQL.format(where), params, dates=_COVER_DATES, booleans=_COVER_BOOLEANS)
    where, params = column_in("member_id", sorted({r[1] for r in rows}))
    history = rows_fetch(_HISTORY_SQL.format(where, where), [*params, *params], dates=(1, 3))
    return CoverRows(rows, *_history_split(history))


# The members in a range of ids (after, upto], on each table's member index: what the what-if
# replay reads for a chunk of members, without sending their beneficiaries' ids.
_IN_RANGE = "{0} > %s AND {0} <= %s"
_RANGE_COVER_SQL = _COVER_SQL.format(_IN_RANGE.format("b.member_id"))
_RANGE_HISTORY_SQL = _HISTORY_SQL.format(_IN_RANGE.format("member_id"), _IN_RANGE.format("member_id"))


def member_range_cover_rows(cur: Any, *, after: int, upto: int) -> CoverRows:
    """The cover rows of every beneficiary of the members with ids in (after, upto], on `cur` (the
    default connection's cursor or another connection's to the same database)."""
    rows = rows_of(cur, _RANGE_COVER_SQL, [after, upto], dates=_COVER_DATES, booleans=_COVER_BOOLEANS)
    history = rows_of(cur, _RANGE_HISTORY_SQL, [after, upto, after, upto], dates=(1, 3))
    return CoverRows(rows, *_history_split(history))


def _cover(row: tuple[Any, ...], rows: CoverRows, ald: tuple[AldPeriod, ...]) -> BeneficiaryCover:
    pk, member_id, relation, birth, student, disabled, until, joined, other = row[:9]
    return BeneficiaryCover(
        beneficiary_id=pk,
        relation=relation,
        birth_date=birth,
        member_joined=joined,
        from_other_amo=other,
        student_until=student,
        disabled=disabled,
        covered_until=until,
        history=rows.history.get(member_id, ()),
        ald=ald,
        suspensions=rows.suspensions.get(member_id, ()),
    )


class CardHolder(NamedTuple):
    """The beneficiary holding a card, as an eligibility answer names them, and their cover."""

    beneficiary_id: int
    card_number: str
    last_name: str
    first_name: str
    last_name_ar: str
    first_name_ar: str
    cover: BeneficiaryCover


def card_holder(*, card: str) -> CardHolder | None:
    """The holder of a card number (as typed) and their cover, in one raw query; None if unknown.

    What the provider's eligibility check reads on every call: no model instance, no queryset to compile.
    """
    number = card_number_normalise(card)
    if not number:
        return None
    rows = rows_fetch(_CARD_SQL, [number], dates=(*_COVER_DATES, 14, 16), booleans=_COVER_BOOLEANS)
    if not rows:
        return None
    row = rows[0]
    member_id = row[1]
    history: _Dated = {member_id: [(r[14], r[15]) for r in rows if r[15]]}
    suspensions: _Suspended = {member_id: [Suspension(r[14], r[16]) for r in rows if r[15] == ""]}
    number, last, first, last_ar, first_ar = row[9:14]
    cover = _cover(row, CoverRows(rows, history, suspensions), ())
    return CardHolder(row[0], number, last, first, last_ar, first_ar, cover)


def beneficiary_covers(
    *, beneficiary_ids: Iterable[int] | QuerySet[Any], ald: dict[int, tuple[AldPeriod, ...]] | None = None
) -> dict[int, BeneficiaryCover]:
    """Covers of many beneficiaries in two queries (beneficiaries with their member; status history).

    Both are read by primary key / member index from the list of ids (a queryset of ids is
    evaluated first: as a subquery the planner may scan every beneficiary for each set).
    """
    ids = sorted(set(beneficiary_ids))
    if not ids:
        return {}
    rows = _cover_rows(ids)
    ald = ald or {}
    return {row[0]: _cover(row, rows, ald.get(row[0], ())) for row in rows.beneficiaries}


class CoversOnDemand(dict[int, BeneficiaryCover]):
    """Beneficiary id -> cover, each built the first time it is asked for.

    For rows read by a range of members (`member_range_cover_rows`), of whom only some have care to
    judge: the what-if replay asks for a third fewer covers than it reads. `get` builds too.
    """

    def __init__(self, rows: CoverRows, ald: dict[int, tuple[AldPeriod, ...]]) -> None:
        super().__init__()
        self._rows = rows
        self._of = {row[0]: row for row in rows.beneficiaries}
        self._ald = ald

    def __missing__(self, beneficiary_id: int) -> BeneficiaryCover:
        row = self._of[beneficiary_id]  # KeyError: not a beneficiary of these members
        cover = self[beneficiary_id] = _cover(row, self._rows, self._ald.get(beneficiary_id, ()))
        return cover

    def get(self, beneficiary_id: int, default: Any = None) -> Any:  # type: ignore[override]
        try:
            return self[beneficiary_id]
        except KeyError:
            return default


def cover_eligibility(*, cover: BeneficiaryCover, on: dt.date) -> Eligibility:
    """Is this cover's beneficiary covered for care on `on`? The facts of that date, judged by the
    pure `engine.eligibility_check` with the dated rules in force (the cached referential snapshot)."""
    facts = cover.facts_on(on)
    if isinstance(facts, Eligibility):
        return facts
    return eligibility_check(facts, on, referential_snapshot().params_on(on))
