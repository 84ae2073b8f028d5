"""The what-if replay: stored claim lines decided again by the engine, under the current rules and
under a proposal, in memory. It writes nothing (no claim, line, transition, approval or audit row).

Which lines: those whose DATE OF CARE falls in the period, of files the engine has decided
(adjudicated, in medical review, approved, in payment, paid or rejected), whatever their later
fate. Both replays start from an empty history at the period's first day: choose a period
starting on 1 January for yearly ceilings to be charged as in production (docs/whatif.md).

How: the lines are read in chunks of whole members (member id ranges found on the
claimline_member_care index), each chunk one query with its file and member columns, amounts
already in centimes. The engine's history (ceilings, duplicates, frequencies) belongs to one
beneficiary, so a chunk of members is complete in itself: memory stays constant and a job can
stop between chunks. Inside a chunk the lines go in the order they were decided: beneficiary,
the file's adjudication time, file, position. A prior approval is taken as it was decided: a line
refused for want of one stays without one, any other line has it (approvals are not consumed
again).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from django.db import connection

import engine as e
from claims.models import Channel, ClaimFile, ClaimLine, ClaimStatus, LineStatus
from claims.services.engine_io import DECIDED, ald_codes
from members.eligibility import beneficiary_covers
from members.models import Member
from mutuelle.bulk import is_postgresql
from referentials.engine_data import engine_data
from reports.whatif_proposal import Problem, Proposal, ProposalError, proposal_overlay
from reports.whatif_result import Accumulator, group_add

CHUNK_LINES = 20_000
STATUSES = (*DECIDED, ClaimStatus.REJECTED)
NEVER_COVERED = "resigned"  # as claims.services.adjudication: a status the engine never covers
_L, _F, _M = ClaimLine._meta.db_table, ClaimFile._meta.db_table, Member._meta.db_table
_STATUS_IN = ", ".join(f"'{s}'" for s in STATUSES)  # our own constants, not input
_WHERE = (
    f"l.care_date BETWEEN %s AND %s AND l.status <> '{LineStatus.PENDING}' AND f.status IN ({_STATUS_IN}) "
    "AND f.adjudicated_at IS NOT NULL"
)
# A row: the engine line's thirteen fields in their order (`_line_of`), then the
# file's columns and the member: 13 file id, 14 beneficiary, 15 filed on, 16 channel, 17 provider
# INPE, 18 sector, 19 provider kind, 20 member id, 21 line id.
LINES_SQL = (
    "SELECT CAST(l.id AS text), l.kind, l.care_date, CAST(ROUND(l.paid * 100) AS bigint), l.code, "  # noqa: S608
    "CAST(ROUND(l.coefficient * 100) AS bigint), l.quantity, CAST(ROUND(l.unit_price * 100) AS bigint), NULL, "
    # the engine's own values, not recomputed per line in Python: no ALD is None, a prior approval "AP"
    "NULLIF(l.ald, ''), CASE WHEN CAST(l.reasons AS text) LIKE %s THEN NULL ELSE 'AP' END, "
    "l.treatment_end, l.inpatient, "
    "l.file_id, f.beneficiary_id, f.filed_on, f.channel, f.provider_inpe, f.provider_sector, f.provider_kind, "
    "l.member_id, l.id "
    f"FROM {_L} l JOIN {_F} f ON f.id = l.file_id "
    # The files' own member range too (a line carries its file's member): without it the planner
    # hash-joins the chunk's lines with a scan of every file, once per chunk.
    f"WHERE l.member_id > %s AND l.member_id <= %s AND f.member_id > %s AND f.member_id <= %s AND {_WHERE} "
    "ORDER BY l.member_id, f.beneficiary_id, f.adjudicated_at, l.file_id, l.position, l.id"
)
# The member id ending a chunk of about `n` lines: an index-only walk of claimline_member_care.
_BOUNDARY_SQL = (
    f"SELECT member_id FROM {_L} WHERE member_id > %s AND care_date BETWEEN %s AND %s "  # noqa: S608
    "ORDER BY member_id LIMIT 1 OFFSET %s"
)
# The chunk's members' region and administration: a range of primary keys, read once per chunk
# rather than joined to each of their lines (a member has some 15 lines a year).
_MEMBERS_SQL = f"SELECT id, region, administration_id FROM {_M} WHERE id > %s AND id <= %s"  # noqa: S608
_COUNT_SQL = f"SELECT count(*) FROM {_L} l JOIN {_F} f ON f.id = l.file_id WHERE {_WHERE}"  # noqa: S608
_NO_APPROVAL = f"%{e.reasons.PRIOR_APPROVAL_REQUIRED}%"
LAST = 2**62


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date  # inclusive


@dataclass(frozen=True, slots=True)
class Rules:
    current: e.Snapshot
    proposed: e.Snapshot


def rules_build(proposal: Proposal, *, period: Period, data: dict[str, Any] | None = None) -> Rules:
    """Both snapshots: the referentials as stored, and with the proposal laid over them."""
    data = data if data is not None else engine_data()
    try:
        proposed = e.snapshot_build(proposal_overlay(data, proposal, start=period.start))
    except e.SnapshotError as exc:  # a change the referentials cannot hold (a row the overlay made unusable)
        raise ProposalError([Problem("changes", str(exc))]) from None
    return Rules(current=e.snapshot_build(data), proposed=proposed)


def rules_decide(pieces: list[e.ClaimFile], rules: Rules) -> tuple[list[e.FileDecision], list[e.FileDecision]]:
    """A chunk's engine files decided under the current rules and the proposal, each from an empty
    history (the caller pauses the garbage collector: `replay` does for the whole chunk)."""
    return (
        e.adjudicate_batch(pieces, rules.current, e.History()),
        e.adjudicate_batch(pieces, rules.proposed, e.History()),
    )


def lines_count(period: Period) -> int:
    with connection.cursor() as cur:
        cur.execute(_COUNT_SQL, [period.start, period.end])
        return int(cur.fetchone()[0])


def _day(v: Any) -> Any:
    return date.fromisoformat(v) if isinstance(v, str) else v


def boundary_fetch(cur: Any, *, after: int, period: Period, size: int) -> int:
    """On `cur` (ours, or the read-ahead's connection): the member id ending the chunk after `after`."""
    cur.execute(_BOUNDARY_SQL, [after, period.start, period.end, size - 1])
    row = cur.fetchone()
    return int(row[0]) if row else LAST


def lines_params(*, after: int, upto: int, period: Period) -> list[Any]:
    """LINES_SQL's parameters for the members in (after, upto]."""
    return [_NO_APPROVAL, after, upto, after, upto, period.start, period.end]


def _boundary(after: int, period: Period, size: int) -> int:
    with connection.cursor() as cur:
        return boundary_fetch(cur, after=after, period=period, size=size)


def _members(after: int, upto: int) -> dict[int, tuple[str, str]]:
    """Member id -> (region, administration id as text), the keys the figures are grouped by."""
    with connection.cursor() as cur:
        cur.execute(_MEMBERS_SQL, [after, upto])
        return {mid: (region or "", str(admin)) for mid, region, admin in cur.fetchall()}


def _rows(after: int, upto: int, period: Period) -> list[tuple[Any, ...]]:
    with connection.cursor() as cur:
        cur.execute(LINES_SQL, lines_params(after=after, upto=upto, period=period))
        rows = cur.fetchall()
    if is_postgresql():
        return rows
    return [(*r[:2], _day(r[2]), *r[3:11], _day(r[11]), bool(r[12]), r[13], r[14], _day(r[15]), *r[16:]) for r in rows]


# A frozen dataclass's __init__ sets each field through object.__setattr__, which costs as much as
# an engine pass over the line; as the engine does for its decisions, fill the slots directly, from
# the row's leading columns (the line's fields in their order).
_SETTERS = tuple(e.ClaimLine.__dict__[f.name].__set__ for f in fields(e.ClaimLine))
(_s0, _s1, _s2, _s3, _s4, _s5, _s6, _s7, _s8, _s9, _s10, _s11, _s12) = _SETTERS


def _line_of(r: tuple[Any, ...]) -> e.ClaimLine:
    line = object.__new__(e.ClaimLine)
    _s0(line, r[0])
    _s1(line, r[1])
    _s2(line, r[2])
    _s3(line, r[3])
    _s4(line, r[4])
    _s5(line, r[5])
    _s6(line, r[6])
    _s7(line, r[7])
    _s8(line, r[8])
    _s9(line, r[9])
    _s10(line, r[10])
    _s11(line, r[11])
    _s12(line, r[12])
    return line


class _Categories:
    """The category of a line's code under the current rules, memoised by (kind, code, sector, year)."""

    def __init__(self, snapshot: e.Snapshot) -> None:
        self.snapshot = snapshot
        self.found: dict[tuple[str, str, str, int], str] = {}

    def of(self, kind: str, code: str, on: date, sector: str) -> str:
        key = (kind, code, sector, on.year)
        cat = self.found.get(key)
        if cat is None:
            line = e.ClaimLine(ref="", kind=kind, date=on, paid=1, code=code)
            provider = e.Provider(sector=sector, kind="doctor")  # the category depends on the sector only
            cat = self.found[key] = e.line_category(line, provider, self.snapshot) or ""
        return cat


@dataclass(frozen=True, slots=True)
class ChunkRead:
    """One chunk as read: its lines, its members' groupings, its beneficiaries' covers, its last member."""

    rows: list[tuple[Any, ...]]
    members: dict[int, tuple[str, str]]
    covers: dict[int, Any]
    last: int


def chunk_read(*, after: int, period: Period, size: int = CHUNK_LINES) -> ChunkRead | None:
    """Everything the members after `after` (about `size` lines) need from the database; None at the end."""
    upto = _boundary(after, period, size)
    return chunk_of(after=after, upto=upto, rows=_rows(after, upto, period))


def chunk_of(*, after: int, upto: int, rows: list[tuple[Any, ...]]) -> ChunkRead | None:
    """The chunk of the members in (after, upto] whose lines are `rows`: its members and covers.

    A range whose lines are all undecided has no rows but is not the end: the next starts after it."""
    if not rows and upto == LAST:
        return None
    last = int(rows[-1][20]) if upto == LAST else upto
    bens = sorted({r[14] for r in rows})
    covers = beneficiary_covers(beneficiary_ids=bens, ald=ald_codes(bens)) if bens else {}
    return ChunkRead(rows=rows, members=_members(after, last), covers=covers, last=last)


def pieces_of(read: ChunkRead) -> list[e.ClaimFile]:
    """A chunk's rows as the engine's files, in the order read: a stored file is cut in pieces where
    its lines fall in different status periods of the beneficiary (the facts differ)."""
    rows, covers = read.rows, read.covers
    pieces: list[e.ClaimFile] = []
    providers: dict[tuple[str, str, str], e.Provider] = {}
    refused: dict[int, e.BeneficiaryFacts] = {}
    group: list[e.ClaimLine] = []
    facts: Any = None
    fid: Any = None
    # The file being cut into pieces (Any: set on its first line, read only after).
    ref: Any = None
    filed_on: Any = None
    by: Any = None
    provider: Any = None
    cover: Any = None
    of_day: dict[date, Any] = {}
    line_of, eligibility, file_new = _line_of, e.Eligibility, e.ClaimFile
    for r in rows:
        if r[13] != fid:  # a new file: its provider and cover, read once
            if group:
                pieces.append(file_new(ref, facts, filed_on, by, provider, tuple(group)))
                group = []
            fid, ben = r[13], r[14]
            ref, filed_on, by = str(fid), r[15], ("provider" if r[16] == Channel.PROVIDER else "member")
            key = (r[17], r[18], r[19])
            provider = providers.get(key)
            if provider is None:
                provider = providers[key] = e.Provider(sector=key[1], kind=key[2], inpe=key[0] or None)
            cover = covers[ben]
            facts = None
            of_day = {}  # the file's lines fall on a few days: their facts asked once per day
        on_facts: Any = of_day.get(r[2])
        if on_facts is None:
            on_facts = cover.facts_on(r[2])
            if on_facts.__class__ is eligibility:
                on_facts = refused.get(ben) or refused.setdefault(
                    ben, replace(cover.facts_base, member_status=NEVER_COVERED)
                )  # type: ignore[union-attr]
            of_day[r[2]] = on_facts
        if on_facts is not facts:  # a file whose lines fall in different status periods: cut in pieces
            if group:
                pieces.append(file_new(ref, facts, filed_on, by, provider, tuple(group)))
                group = []
            facts = on_facts
        group.append(line_of(r))
    if group:
        pieces.append(file_new(ref, facts, filed_on, by, provider, tuple(group)))
    return pieces


@dataclass
class Replayer:
    """Replays chunk after chunk into `acc`; `engine_seconds` is the time spent inside the engine."""

    period: Period
    rules: Rules
    acc: Accumulator
    # Where the time goes (the bench prints it): inside the engine, reading (lines, covers), the rest.
    engine_seconds: float = 0.0
    engine_cpu_seconds: float = 0.0  # process CPU time, less inflated than wall time on a shared machine
    read_seconds: float = 0.0
    chunks: int = 0  # chunks decided

    def __post_init__(self) -> None:
        self._categories = _Categories(self.rules.current)

    def chunk(self, *, after: int, size: int = CHUNK_LINES) -> int | None:
        """Replay the members after `after` up to about `size` lines; the last member id, None at the end."""
        t0 = time.perf_counter()
        read = chunk_read(after=after, period=self.period, size=size)
        self.read_seconds += time.perf_counter() - t0
        if read is None:
            return None
        self.replay(read)
        return read.last

    def replay(self, read: ChunkRead) -> None:
        """Decide a chunk already read, under both rule sets, into the figures.

        The cyclic garbage collector is paused for the chunk, as the engine pauses it for a batch:
        the chunk's lines, files and decisions (some 200,000 objects, no cycles) would otherwise be
        rescanned by every collection their own allocation triggers.
        """
        with e.gc_paused():
            self._replay(read)

    def _replay(self, read: ChunkRead) -> None:
        pieces = pieces_of(read)
        t0, c0 = time.perf_counter(), time.process_time()
        now, then = rules_decide(pieces, self.rules)
        self.engine_seconds += time.perf_counter() - t0
        self.engine_cpu_seconds += time.process_time() - c0
        self.chunks += 1
        self._add(read.rows, read.members, [d for fd in now for d in fd.lines], [d for fd in then for d in fd.lines])

    def _add(
        self,
        rows: list[tuple[Any, ...]],
        members: dict[int, tuple[str, str]],
        now: list[e.LineDecision],
        then: list[e.LineDecision],
    ) -> None:
        """Fold the chunk's decisions into the figures: one sum row per (category, region,
        administration) in the loop, split into the three groupings and the totals once per chunk."""
        acc, cats = self.acc, self._categories
        found = cats.found  # asked inline: one dict look-up per line, the method only for a new code
        combo: dict[tuple[str, str, str], list[int]] = {}
        member: Any = None
        rem = rem_p = 0
        changed = False
        for r, d, p in zip(rows, now, then, strict=True):
            mid = r[20]
            if mid != member:
                if member is not None:
                    acc.member_end(remainder_now=rem, remainder_proposed=rem_p, changed=changed)
                member, rem, rem_p, changed = mid, 0, 0, False
                region, admin = members[mid]
            amo, amo_p, compl, compl_p = d.amo, p.amo, d.complementary, p.complementary
            rm, r_p = d.remainder, p.remainder
            rem += rm
            rem_p += r_p
            on = r[2]
            cat = found.get((r[1], r[4], r[18], on.year)) or cats.of(r[1], r[4], on, r[18])
            key = (cat, region, admin)
            row = combo.get(key)
            if row is None:
                row = combo[key] = [0] * 11
            row[0] += 1
            row[1] += amo
            row[2] += amo_p
            row[3] += compl
            row[4] += compl_p
            row[5] += rm
            row[6] += r_p
            row[7] += d.paid
            row[8] += p.paid
            row[9] += d.basis
            row[10] += p.basis
            if rm != r_p or amo != amo_p or compl != compl_p:
                changed = True
                acc.lines_changed += 1
                change = abs(r_p - rm)
                if acc.top_would_take(change, r[21]):
                    acc.top_offer(
                        change, r[21], [r[13], cat, r[4], on.isoformat(), amo + compl, amo_p + compl_p, rm, r_p]
                    )
        if member is not None:
            acc.member_end(remainder_now=rem, remainder_proposed=rem_p, changed=changed)
        acc.lines += len(rows)
        t = acc.totals
        for (cat, region, admin), row in combo.items():
            keys = ((acc.by_category, cat), (acc.by_region, region), (acc.by_administration, admin))
            for groups, k in keys:
                group_add(groups, k, row)
            for i, name in ((1, "amo"), (3, "complementary"), (5, "remainder"), (7, "paid"), (9, "basis")):
                t[name][0] += row[i]
                t[name][1] += row[i + 1]
