"""The what-if replay: stored claim lines decided again by the engine, under the current rules and
under a proposal, in memory. It writes nothing (no claim, line, transition, approval or audit row).

Which lines: those whose DATE OF CARE falls in the period, of files the engine has decided
(adjudicated, in medical review, approved, in payment, paid or rejected), whatever their later
fate. Both replays start from an empty history at the period's first day: choose a period
starting on 1 January for yearly ceilings to be charged as in production (docs/whatif.md).

How: the lines are read in chunks of whole members (`reports.whatif_read`). The engine's history
(ceilings, duplicates, frequencies) belongs to one beneficiary, so a chunk of members is complete
in itself: memory stays constant and a job can stop between chunks. Inside a chunk the lines go in
the order they were decided: beneficiary, the file's adjudication time, file, position. A prior
approval is taken as it was decided: a line refused for want of one stays without one, any other
line has it (approvals are not consumed again).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

import engine as e
from claims.models import Channel
from referentials.engine_data import engine_data
from reports.whatif_proposal import Problem, Proposal, ProposalError, proposal_overlay
from reports.whatif_read import CHUNK_LINES, ChunkRead, Period, chunk_read
from reports.whatif_result import Accumulator, group_add

NEVER_COVERED = "resigned"  # as claims.services.adjudication: a status the engine never covers


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
        if r[13] != fid:  # a new file (its columns are on this first row only): its provider and cover
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
        fid: Any = None
        sector = ""
        rem = rem_p = 0
        changed = False
        for r, d, p in zip(rows, now, then, strict=True):
            if r[13] != fid:  # the file's columns are on its first row only
                fid, sector = r[13], r[18]
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
            cat = found.get((r[1], r[4], sector, on.year)) or cats.of(r[1], r[4], on, sector)
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
                if acc.top_would_take(change, line_id := int(r[0])):
                    acc.top_offer(
                        change, line_id, [fid, cat, r[4], on.isoformat(), amo + compl, amo_p + compl_p, rm, r_p]
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
