"""Adjudication: engine input from the database, decisions stored, files moved and routed.

One code path for a single file (counter, officer) and for the bulk job, so the bench
measures what production runs. Writes are set-based: on PostgreSQL, decisions go through
COPY into a temporary table and one UPDATE ... FROM; elsewhere bulk_update.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Prefetch
from django.utils import timezone

from audit.models import AuditEvent
from claims import engine as e
from claims.models import ClaimFile, ClaimLine, ClaimStatus, ClaimTransition, PriorApproval
from claims.services.engine_io import Approvals, engine_files, history_for, to_decimal
from claims.services.routing import review_reasons
from claims.services.workflow import MSG_FORBIDDEN, MSG_NOT_ALLOWED, ClaimTransitionError

S = ClaimStatus
LINE_COLUMNS = ("id", "status", "basis", "amo", "complementary", "remainder", "reasons", "trace")
FILE_COLUMNS = ("id", "status", "version", "paid", "basis", "amo", "complementary", "remainder", "review_reasons")


def snapshot_current() -> e.Snapshot:
    from referentials.selectors import referential_snapshot

    return referential_snapshot()


def files_for_adjudication(qs: Any) -> list[ClaimFile]:
    return list(
        qs.select_related("member", "beneficiary")
        .prefetch_related(Prefetch("lines", queryset=ClaimLine.objects.order_by("position", "id")))
        .order_by("id")
    )


def _pg_update(table: str, columns: tuple[str, ...], types: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    tmp = f"_upd_{table}"
    cols = ", ".join(f"{c} {t}" for c, t in zip(columns, types, strict=True))
    sets = ", ".join(f"{c} = s.{c}" for c in columns[1:])
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {tmp}; CREATE TEMP TABLE {tmp} ({cols}) ON COMMIT DROP")
        with cur.cursor.copy(f"COPY {tmp} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cur.execute(f"UPDATE {table} t SET {sets} FROM {tmp} s WHERE t.id = s.id")  # noqa: S608


def _store_lines(rows: list[tuple[Any, ...]]) -> None:
    if connection.vendor == "postgresql":
        types = ("bigint", "varchar", "numeric", "numeric", "numeric", "numeric", "jsonb", "jsonb")
        _pg_update(
            ClaimLine._meta.db_table, LINE_COLUMNS, types, [(*r[:6], json.dumps(r[6]), json.dumps(r[7])) for r in rows]
        )
        return
    objs = [ClaimLine(**dict(zip(LINE_COLUMNS, r, strict=True))) for r in rows]
    ClaimLine.objects.bulk_update(objs, LINE_COLUMNS[1:], batch_size=500)


def _store_files(rows: list[tuple[Any, ...]], now: Any) -> None:
    if connection.vendor == "postgresql":
        types = ("bigint", "varchar", "integer", "numeric", "numeric", "numeric", "numeric", "numeric", "jsonb")
        _pg_update(ClaimFile._meta.db_table, FILE_COLUMNS, types, [(*r[:8], json.dumps(r[8])) for r in rows])
        ClaimFile.objects.filter(pk__in=[r[0] for r in rows]).update(adjudicated_at=now, updated_at=now)
        return
    objs = [ClaimFile(adjudicated_at=now, updated_at=now, **dict(zip(FILE_COLUMNS, r, strict=True))) for r in rows]
    ClaimFile.objects.bulk_update(objs, [*FILE_COLUMNS[1:], "adjudicated_at", "updated_at"], batch_size=500)


def adjudicate_locked(*, actor: Any, claims: list[ClaimFile], snapshot: e.Snapshot) -> list[ClaimFile]:
    """Decide and store `claims` (rows already locked, status received) inside the caller's transaction."""
    if not claims:
        return []
    approvals = Approvals({c.beneficiary_id for c in claims})
    efiles = engine_files(claims, approvals)
    history = history_for(
        beneficiary_ids={c.beneficiary_id for c in claims}, exclude_files={c.pk for c in claims}, snapshot=snapshot
    )
    decisions = e.adjudicate_batch(efiles, snapshot, history)
    now = timezone.now()
    actor_id = getattr(actor, "pk", None)
    line_rows: list[tuple[Any, ...]] = []
    file_rows: list[tuple[Any, ...]] = []
    transitions: list[ClaimTransition] = []
    audits: list[AuditEvent] = []
    consumed: dict[int, int] = {}
    d = to_decimal
    for claim, efile, fd in zip(claims, efiles, decisions, strict=True):
        used = {ln.ref: ln for ln in efile.lines}
        for ld in fd.lines:
            line_rows.append((int(ld.ref), ld.status, d(ld.basis), d(ld.amo), d(ld.complementary), d(ld.remainder),
                              list(ld.reasons), list(ld.trace)))  # fmt: skip
            approval = used[ld.ref].prior_approval
            if approval and ld.status != "rejected":
                consumed[int(approval)] = consumed.get(int(approval), 0) + used[ld.ref].quantity
        route = review_reasons(number=claim.number, file=efile, decision=fd, snapshot=snapshot)
        steps = [S.ADJUDICATED, S.MEDICAL_REVIEW] if route else [S.ADJUDICATED]
        frm, version = claim.status, claim.version
        for to in steps:
            version += 1
            transitions.append(ClaimTransition(file_id=claim.pk, member_id=claim.member_id, from_status=frm,
                                               to_status=to, version=version, actor_id=actor_id, at=now,
                                               reason=",".join(route) if to == S.MEDICAL_REVIEW else ""))  # fmt: skip
            frm = to
        file_rows.append((claim.pk, frm, version, d(fd.paid), d(fd.basis), d(fd.amo), d(fd.complementary),
                          d(fd.remainder), route))  # fmt: skip
        audits.append(AuditEvent(actor_id=actor_id, action="transition", object_type="claims.claimfile",
                                 object_id=str(claim.pk), member_id=claim.member_id,
                                 before={"status": claim.status, "version": claim.version},
                                 after={"status": frm, "version": version, "amo": str(d(fd.amo)),
                                        "complementary": str(d(fd.complementary)), "review": route},
                                 note="adjudicated"))  # fmt: skip
        claim.status, claim.version, claim.review_reasons = frm, version, route
        claim.paid, claim.basis, claim.amo = d(fd.paid), d(fd.basis), d(fd.amo)
        claim.complementary, claim.remainder, claim.adjudicated_at = d(fd.complementary), d(fd.remainder), now
    _store_lines(line_rows)
    _store_files(file_rows, now)
    ClaimTransition.objects.bulk_create(transitions, batch_size=5000)
    AuditEvent.objects.bulk_create(audits, batch_size=5000)
    for pk, qty in consumed.items():
        PriorApproval.objects.filter(pk=pk).update(quantity_consumed=F("quantity_consumed") + qty)
    return claims


def claim_adjudicate(
    *, actor: Any, claim: ClaimFile, snapshot: e.Snapshot | None = None, as_intake: bool = False
) -> ClaimFile:
    """Adjudicate one received file now (the counter does it on save: `as_intake`)."""
    if not as_intake and actor is not None and not actor.has_perm("claims.adjudicate_claimfile"):
        raise ClaimTransitionError(MSG_FORBIDDEN % {"to": S.ADJUDICATED.label}, code="forbidden")
    snap = snapshot if snapshot is not None else snapshot_current()
    with transaction.atomic(durable=True):
        locked = files_for_adjudication(ClaimFile.objects.select_for_update(of=("self",)).filter(pk=claim.pk))
        if not locked or locked[0].status != S.RECEIVED:
            status = locked[0].status if locked else claim.status
            raise ClaimTransitionError(
                MSG_NOT_ALLOWED % {"from": S(status).label, "to": S.ADJUDICATED.label}, code="refused"
            )
        return adjudicate_locked(actor=actor, claims=locked, snapshot=snap)[0]


def adjudicate_received_chunk(*, actor: Any, after_id: int, size: int, snapshot: e.Snapshot) -> tuple[int, int]:
    """The next `size` received files after `after_id`, locked and adjudicated. (last id, count)."""
    qs = ClaimFile.objects.filter(status=S.RECEIVED, pk__gt=after_id).order_by("id")
    ids = list(qs.values_list("pk", flat=True)[:size])
    if not ids:
        return after_id, 0
    locked = files_for_adjudication(
        ClaimFile.objects.select_for_update(of=("self",)).filter(pk__in=ids, status=S.RECEIVED)
    )
    adjudicate_locked(actor=actor, claims=locked, snapshot=snapshot)
    return ids[-1], len(locked)
