"""From database rows to the engine's dataclasses (no decisions taken here).

Everything is read as tuples, one query per table for a whole set of files, so the counter
(one file) and the bulk job (thousands) run the same code at the same cost per line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection

import engine as e
from claims.models import AldRecognition, ClaimFile, ClaimLine, ClaimStatus, LineStatus, PriorApproval
from members.eligibility import AldPeriod
from mutuelle.bulk import column_in, rows_fetch

# Files whose accepted lines count for duplicates, frequencies and ceilings.
DECIDED = (ClaimStatus.ADJUDICATED, ClaimStatus.MEDICAL_REVIEW, ClaimStatus.APPROVED, ClaimStatus.IN_PAYMENT,
           ClaimStatus.PAID)  # fmt: skip


def to_decimal(centimes: int) -> Decimal:
    return Decimal(centimes).scaleb(-2)


# (id, file_id, kind, care_date, paid¢, code, coefficient×100, quantity, unit_price¢, ald, approval_id,
#  treatment_end, inpatient)
LineRow = tuple[int, int, str, date, int, str, int, int, int | None, str, int | None, date | None, bool]


def lines_of(file_ids: Sequence[int]) -> list[LineRow]:
    """Lines of these files (ids ascending), in file then position order, amounts already in centimes.

    Read by id range (no list of thousands of parameters), then kept for `file_ids` only.
    """
    if not file_ids:
        return []
    wanted = set(file_ids)
    rows = rows_fetch(_LINES_SQL, [file_ids[0], file_ids[-1]], dates=(3, 11), booleans=(12,))
    return [row for row in rows if row[1] in wanted]


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


_LINES_SQL = (
    "SELECT id, file_id, kind, care_date, CAST(ROUND(paid * 100) AS bigint), code, "  # noqa: S608
    "CAST(ROUND(coefficient * 100) AS bigint), quantity, CAST(ROUND(unit_price * 100) AS bigint), ald, "
    f"prior_approval_id, treatment_end, inpatient FROM {ClaimLine._meta.db_table} "
    "WHERE file_id BETWEEN %s AND %s ORDER BY file_id, position, id"
)


class Approvals:
    """Granted prior approvals of a set of beneficiaries, consumed as lines use them.

    A line names its approval (typed on the care sheet), or is matched to one: a granted approval
    of the same beneficiary for the same kind and code, valid on the date of care, with enough
    quantity left (the one ending first). Agents do not have to copy approval numbers.
    """

    def __init__(self, beneficiary_ids: list[int]) -> None:
        # Read for every chunk of the bulk run: raw SQL with the ids as one array parameter, as
        # the other readers here (the ORM's IN list of a thousand ids costs more than the query).
        self.rows: dict[int, tuple[Any, ...]] = {}
        if beneficiary_ids:
            where, params = column_in("beneficiary_id", beneficiary_ids)
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT id, beneficiary_id, code, kind, valid_from, valid_to, quantity_granted, "  # noqa: S608
                    f"quantity_consumed, number FROM {PriorApproval._meta.db_table} WHERE {where} AND status = %s",
                    [*params, PriorApproval.Status.GRANTED],
                )
                found = cur.fetchall()
            self.rows = {r[0]: (*r[:4], _day(r[4]), _day(r[5]), *r[6:]) for r in found}
        self.left = {pk: r[6] - r[7] for pk, r in self.rows.items()}
        self.by_code: dict[tuple[int, str, str], list[int]] = {}
        for pk, r in sorted(self.rows.items(), key=lambda item: (item[1][5], item[0])):
            self.by_code.setdefault((r[1], r[3], r[2]), []).append(pk)

    def _usable(self, pk: int, on: date, qty: int) -> bool:
        a = self.rows[pk]
        return a[4] is not None and a[5] is not None and a[4] <= on <= a[5] and self.left[pk] >= qty

    def use(
        self, *, beneficiary_id: int, approval_id: int | None, kind: str, code: str, on: date, qty: int
    ) -> tuple[int, str] | None:
        """(approval id, number) the line uses, its quantity taken; None when none is valid."""
        if approval_id is not None:
            a = self.rows.get(approval_id)
            same = a is not None and (a[1], a[3], a[2]) == (beneficiary_id, kind, code)
            found = approval_id if same and self._usable(approval_id, on, qty) else None
        else:
            candidates = self.by_code.get((beneficiary_id, kind, code), ())
            found = next((pk for pk in candidates if self._usable(pk, on, qty)), None)
        if found is None:
            return None
        self.left[found] -= qty
        return found, self.rows[found][8]


def ald_codes(beneficiary_ids: Iterable[int]) -> dict[int, tuple[AldPeriod, ...]]:
    """Recognised long-term illnesses of these beneficiaries: (code, valid from, valid until or None)."""
    ids = sorted(set(beneficiary_ids))
    if not ids:
        return {}
    where, params = column_in("beneficiary_id", ids)
    with connection.cursor() as cur:
        cur.execute(_ALD_SQL.format(where), params)
        return _ald_periods(cur.fetchall())


def ald_member_range(cur: Any, *, after: int, upto: int) -> dict[int, tuple[AldPeriod, ...]]:
    """`ald_codes` of every beneficiary of the members with ids in (after, upto], on `cur` (the
    default connection's or another's): by the recognitions' member index, no list of ids sent."""
    cur.execute(_ALD_SQL.format("member_id > %s AND member_id <= %s"), [after, upto])
    return _ald_periods(cur.fetchall())


_ALD_SQL = f"SELECT beneficiary_id, code, valid_from, valid_to FROM {AldRecognition._meta.db_table} WHERE {{}}"  # noqa: S608


def _ald_periods(found: Iterable[tuple[Any, ...]]) -> dict[int, tuple[AldPeriod, ...]]:
    out: dict[int, list[AldPeriod]] = {}
    for bid, code, start, end in found:
        out.setdefault(bid, []).append((code, _day(start), _day(end)))  # type: ignore[arg-type]
    return {k: tuple(v) for k, v in out.items()}


class _HistoryRules:
    """What the snapshot says about an accepted line, memoised: frequency-limited act? ceiling key?

    Mirrors `engine.history_from_accepted` (checked equal by the tests) without building a
    ClaimLine, a Provider and a LineDecision for each earlier line.
    """

    def __init__(self, snapshot: e.Snapshot) -> None:
        self.snapshot = snapshot
        self.freq: dict[tuple[str, date], bool] = {}
        self.ceiling: dict[tuple[str, str, date, str, bool], str | None] = {}

    def frequency_limited(self, code: str, on: date) -> bool:
        key = (code, on)
        found = self.freq.get(key)
        if found is None:
            act = self.snapshot.act(code, on)
            found = self.freq[key] = (
                act is not None and act.frequency_max is not None and act.frequency_days is not None
            )
        return found

    def ceiling_key(self, kind: str, code: str, on: date, provider: e.Provider, unit: int | None) -> str | None:
        key = (kind, code, on, provider.sector, unit is None)
        if key in self.ceiling:
            return self.ceiling[key]
        line = e.ClaimLine(ref="", kind=kind, date=on, paid=0, code=code, unit_price=unit)
        category = e.line_category(line, provider, self.snapshot)
        plan = self.snapshot.plan_for(category, on) if category else None
        found = self.ceiling[key] = plan.ceiling_key if plan is not None and plan.ceiling is not None else None
        return found


def _history_rows(beneficiary_ids: list[int]) -> list[tuple[Any, ...]]:
    """Accepted lines of these beneficiaries' decided files, with the file's and the line's status.

    Two index-driven reads (files by beneficiary, then lines by file) with the ids as one array
    parameter: the plan cannot start from a scan of every line, which the planner may think
    cheap when its statistics are stale (right after a bulk load it believes every line pending).
    """
    if not beneficiary_ids:
        return []
    where, params = column_in("beneficiary_id", beneficiary_ids)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT id, status, beneficiary_id, provider_inpe, provider_sector, provider_kind "  # noqa: S608
            f"FROM {ClaimFile._meta.db_table} WHERE {where}",
            params,
        )
        decided = set(DECIDED)
        files = {r[0]: r for r in cur.fetchall() if r[1] in decided}
        if not files:
            return []
        where, params = column_in("file_id", sorted(files))
        cur.execute(
            f"SELECT file_id, status, kind, code, care_date, quantity, CAST(ROUND(unit_price * 100) AS bigint), "  # noqa: S608
            f"CAST(ROUND(complementary * 100) AS bigint) FROM {ClaimLine._meta.db_table} "
            f"WHERE {where} AND status IN (%s, %s)",
            [*params, LineStatus.ACCEPTED, LineStatus.REDUCED],
        )
        lines = cur.fetchall()
    out = []
    for fid, lstatus, kind, code, on, qty, unit, compl in lines:
        _, fstatus, bid, inpe, sector, kind_p = files[fid]
        if isinstance(on, str):  # SQLite gives dates as text
            on = date.fromisoformat(on)
        out.append((fid, fstatus, lstatus, bid, inpe, sector, kind_p, kind, code, on, qty, unit, compl))
    return out


def history_for(
    *, beneficiary_ids: Iterable[int], snapshot: e.Snapshot, exclude_files: Iterable[int] = ()
) -> e.History:
    """What earlier accepted lines of these beneficiaries left: duplicates, counts, ceilings used.

    Lines of `exclude_files` do not count (a file being adjudicated again).
    """
    rows = _history_rows(sorted(set(beneficiary_ids)))
    excluded = set(exclude_files)
    if excluded:
        rows = [r for r in rows if r[0] not in excluded]
    return _history(rows, snapshot)


def _history(rows: list[tuple[Any, ...]], snapshot: e.Snapshot) -> e.History:
    h = e.History()
    seen, rules = h.seen, _HistoryRules(snapshot)
    providers: dict[tuple[str, str, str], e.Provider] = {}
    decided, accepted = set(DECIDED), {LineStatus.ACCEPTED, LineStatus.REDUCED}
    for _, fstatus, lstatus, bid, inpe, sector, kind_p, kind, code, on, qty, unit, compl in rows:
        if fstatus not in decided or lstatus not in accepted:
            continue
        ben = str(bid)
        seen.add((ben, kind, code or f"@{unit}", on, inpe or f"{sector}/{kind_p}"))  # engine.duplicate_key
        if kind != "medicine" and code and rules.frequency_limited(code, on):
            h.add_act(ben, code, on, qty)
        if compl:
            provider = providers.get((inpe, sector, kind_p))
            if provider is None:
                provider = providers[(inpe, sector, kind_p)] = e.Provider(sector=sector, kind=kind_p, inpe=inpe or None)
            ceiling = rules.ceiling_key(kind, code, on, provider, unit)
            if ceiling is not None:
                h.consume(ben, on.year, ceiling, compl)
    return h


def engine_provider(row: tuple[Any, ...], cache: dict[tuple[str, str, str], e.Provider]) -> e.Provider:
    """`row` ends with (provider_inpe, provider_sector, provider_kind)."""
    key = (row[-3], row[-2], row[-1])
    found = cache.get(key)
    if found is None:
        found = cache[key] = e.Provider(sector=key[1], kind=key[2], inpe=key[0] or None)
    return found
