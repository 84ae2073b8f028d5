"""Adjudication: engine input from the database, decisions stored, files moved and routed.

One code path for a single file (counter, officer) and for the bulk job, so the bench
measures what production runs: files and lines are read as tuples (one query per table for
the whole set, history of the beneficiaries included), the engine decides the set in one
`adjudicate_batch`, and every table is written once per set (claims.services.bulk_store).

Eligibility is judged on each date of care from the member's status history through
members.eligibility.BeneficiaryCover (behind the selector `beneficiary_eligibility`). When the
cover refuses a date before the engine is asked (not yet a member, cover ended), the engine is
given the same beneficiary with a status that is never covered, so the line is rejected
NOT_COVERED with every other rule applied as usual, and its trace gives the cover's reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Mod

import engine as e
from claims.models import Channel, ClaimFile, ClaimStatus, PriorApproval
from claims.services import bulk_store
from claims.services.engine_io import Approvals, ald_codes, engine_provider, history_for, lines_of
from claims.services.routing import Router
from claims.services.transitions import (
    MSG_FORBIDDEN,
    MSG_NOT_ALLOWED,
    By,
    ClaimTransitionError,
    Decided,
    Step,
    claims_transition,
)
from members.eligibility import BeneficiaryCover, beneficiary_covers
from mutuelle.types import Actor

S = ClaimStatus
# What is read of a file; the provider columns come last (engine_io.engine_provider).
FILE_FIELDS = ("id", "number", "member_id", "beneficiary_id", "filed_on", "channel", "status", "version",
               "provider_inpe", "provider_sector", "provider_kind")  # fmt: skip
NEVER_COVERED = "resigned"  # the member status the engine never covers


class FileRow(NamedTuple):
    """A file as FILE_FIELDS reads it (values_list in that order)."""

    id: int
    number: str
    member_id: int
    beneficiary_id: int
    filed_on: date
    channel: str
    status: str
    version: int
    provider_inpe: str
    provider_sector: str
    provider_kind: str


def snapshot_current() -> e.Snapshot:
    from referentials.selectors import referential_snapshot

    return referential_snapshot()


@dataclass(slots=True)
class _Input:
    """The engine's files for a set of database files, in order (a file whose lines fall in
    different status periods is cut into consecutive pieces, each with its own facts)."""

    pieces: list[e.ClaimFile] = field(default_factory=list)
    spans: list[int] = field(default_factory=list)  # pieces per file
    refusals: dict[int, e.Trace] = field(default_factory=dict)  # line id -> why the cover refused
    approvals: dict[int, tuple[int, int]] = field(default_factory=dict)  # line id -> (approval id, quantity)


def engine_input(
    files: list[tuple[Any, ...]],
    covers: dict[int, BeneficiaryCover],
    bens: list[int],
    rows: list[Any] | None = None,
) -> _Input:
    """`rows` are the files' lines as `lines_of` reads them; the counter's preview passes unsaved ones."""
    out = _Input()
    lines_by_file: dict[int, list[Any]] = {}
    if rows is None:
        rows = lines_of([f[0] for f in files])
    for row in rows:
        lines_by_file.setdefault(row[1], []).append(row)
    approvals = Approvals(bens)
    providers: dict[tuple[str, str, str], e.Provider] = {}
    refused_facts: dict[int, e.BeneficiaryFacts] = {}
    pieces, refusals, used = out.pieces, out.refusals, out.approvals
    line_type, eligibility = e.ClaimLine, e.Eligibility
    for f in files:
        fid, ben = f[0], f[3]
        ref, filed_on, provider = str(fid), f[4], engine_provider(f, providers)
        filed_by = "provider" if f[5] == Channel.PROVIDER else "member"
        cover = covers[ben]
        start = len(pieces)
        facts: Any = None
        group: list[e.ClaimLine] = []
        flines = lines_by_file.get(fid, ())
        same: Any = None
        if flines and not cover.dated_ald:
            # Status periods are date intervals: the same facts on the first and last dates
            # of care means the same facts for every line of the file (the usual case). Not so
            # with long-term illnesses, which may end and start again inside a period.
            first = cover.facts_on(min(r[3] for r in flines))
            if first.__class__ is not eligibility and first is cover.facts_on(max(r[3] for r in flines)):
                same = first
        for lid, _, kind, on, paid, code, coef, qty, unit, ald, approval, end, inpatient in flines:
            on_date = same or cover.facts_on(on)
            if on_date.__class__ is eligibility:
                refusals[lid] = on_date.detail  # type: ignore[union-attr]
                on_date = refused_facts.get(ben) or refused_facts.setdefault(
                    ben, replace(cover.facts_base, member_status=NEVER_COVERED)
                )
            approved = None
            if approvals.rows:
                taken = approvals.use(beneficiary_id=ben, approval_id=approval, kind=kind, code=code, on=on, qty=qty)
                if taken is not None:
                    used[lid] = (taken[0], qty)
                    approved = taken[1]  # the engine's reference: the number people know
            if on_date is not facts:
                if group:
                    pieces.append(e.ClaimFile(ref, facts, filed_on, filed_by, provider, tuple(group)))
                facts, group = on_date, []
            group.append(line_type(str(lid), kind, on, paid, code, coef, qty, unit, None, ald or None, approved, end,
                                   inpatient))  # fmt: skip
        pieces.append(e.ClaimFile(ref, facts or cover.facts_base, filed_on, filed_by, provider, tuple(group)))
        out.spans.append(len(pieces) - start)
    return out


def pieces_merged(files: list[e.ClaimFile], decisions: list[e.FileDecision]) -> tuple[e.ClaimFile, e.FileDecision]:
    """One file again from its pieces (lines and totals in order)."""
    lines = tuple(ln for f in files for ln in f.lines)
    decided = tuple(d for fd in decisions for d in fd.lines)
    names = ("paid", "basis", "amo", "complementary", "remainder")
    sums = [sum(getattr(fd, name) for fd in decisions) for name in names]
    return replace(files[0], lines=lines), e.FileDecision(files[0].ref, decided, *sums)


def adjudicate_rows(*, actor: Actor, files: list[tuple[Any, ...]], snapshot: e.Snapshot) -> int:
    """Decide and store `files` (FILE_FIELDS rows, locked, status received) in the caller's transaction."""
    if not files:
        return 0
    bens = sorted({f[3] for f in files})
    covers = beneficiary_covers(beneficiary_ids=bens, ald=ald_codes(bens))
    batch = engine_input(files, covers, bens)
    decisions = e.adjudicate_batch(batch.pieces, snapshot, history_for(beneficiary_ids=bens, snapshot=snapshot))
    router = Router(snapshot)
    line_out: list[bulk_store.LineOut] = []
    steps: list[Step] = []
    decided: list[Decided] = []
    audits: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}
    consumed: dict[int, int] = {}
    refusals, used, fmt = batch.refusals, batch.approvals, e.format_centimes
    k = 0
    for f, n in zip(files, batch.spans, strict=True):
        row = FileRow(*f)
        if n == 1:
            efile, fd = batch.pieces[k], decisions[k]
        else:
            efile, fd = pieces_merged(batch.pieces[k : k + n], decisions[k : k + n])
        k += n
        for ld in fd.lines:
            lid, trace = int(ld.ref), ld.trace
            if refusals and lid in refusals:
                trace = (trace[0], refusals[lid], *trace[2:])  # trace[1] is the eligibility note
            line_out.append(
                bulk_store.LineOut(lid, ld.status, ld.basis, ld.amo, ld.complementary, ld.remainder, ld.reasons, trace)
            )
            if used and lid in used and ld.status != "rejected":
                pk, qty = used[lid]
                consumed[pk] = consumed.get(pk, 0) + qty
        route = router.reasons(number=row.number, file=efile, decision=fd)
        v = row.version + 1
        steps.append(Step(row.id, row.member_id, row.status, S.ADJUDICATED, v))
        if route:
            v += 1
            steps.append(Step(row.id, row.member_id, S.ADJUDICATED, S.MEDICAL_REVIEW, v, reason=",".join(route)[:200]))
        decided.append(Decided(row.id, fd.paid, fd.basis, fd.amo, fd.complementary, fd.remainder, route))
        audits[row.id] = ({}, {"amo": fmt(fd.amo), "complementary": fmt(fd.complementary), "review": route})
    bulk_store.store_lines(line_out)
    claims_transition(actor=actor, steps=steps, by=By.ENGINE, decided=decided, audit_extra=audits,
                      audit_note="adjudicated")  # fmt: skip
    for pk, qty in consumed.items():
        PriorApproval.objects.filter(pk=pk).update(quantity_consumed=F("quantity_consumed") + qty)
    return len(files)


def claim_adjudicate(
    *, actor: Actor, claim: ClaimFile, snapshot: e.Snapshot | None = None, as_intake: bool = False
) -> ClaimFile:
    """Adjudicate one received file now (the counter does it on save: `as_intake`)."""
    if not as_intake and actor is not None and not actor.has_perm("claims.adjudicate_claimfile"):
        raise ClaimTransitionError(MSG_FORBIDDEN % {"to": S.ADJUDICATED.label}, code="forbidden")
    snap = snapshot if snapshot is not None else snapshot_current()
    with transaction.atomic(durable=True):
        rows = list(ClaimFile.objects.select_for_update().filter(pk=claim.pk).values_list(*FILE_FIELDS))
        status = FileRow(*rows[0]).status if rows else claim.status
        if not rows or status != S.RECEIVED:
            raise ClaimTransitionError(
                MSG_NOT_ALLOWED % {"from": S(status).label, "to": S.ADJUDICATED.label}, code="refused"
            )
        adjudicate_rows(actor=actor, files=rows, snapshot=snap)
    return ClaimFile.objects.select_related("member", "beneficiary").get(pk=claim.pk)


def adjudicate_received_chunk(
    *, actor: Actor, after_id: int, size: int, snapshot: e.Snapshot, partition: tuple[int, int] = (0, 1)
) -> tuple[int, int]:
    """The next `size` received files after `after_id`, locked and adjudicated. (last id, count).

    One query locks and reads them (SELECT ... FOR UPDATE on PostgreSQL), so a file changed by
    someone else meanwhile is either waited for and skipped (no longer received) or not taken.
    `partition` (r, k) keeps the files with member_id % k == r: every file of a member, hence of
    each of its beneficiaries, falls in one partition, in the same id order as an undivided run.
    """
    qs = ClaimFile.objects.select_for_update().filter(status=S.RECEIVED, pk__gt=after_id).order_by("id")
    rest, parts = partition
    if parts > 1:
        qs = qs.alias(part=Mod("member_id", parts)).filter(part=rest)
    rows = list(qs.values_list(*FILE_FIELDS)[:size])
    if not rows:
        return after_id, 0
    adjudicate_rows(actor=actor, files=rows, snapshot=snapshot)
    return rows[-1][0], len(rows)
