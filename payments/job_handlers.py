"""Payment runs as resumable jobs (discovered by `manage.py worker`).

payments.prepare: params {batch_id, actor_id}; one chunk of payees per call, cursor = {after, seq}.
payments.export:  params {batch_id, actor_id, fmt}; one transaction (nothing half-written).
payments.settle:  params {batch_id, actor_id}; pays the postal orders of a confirmed batch by chunks,
                  then settles the batch.
A job killed at any point resumes from its last committed chunk; claims still "approved" and the
one-live-payment-per-claim index make a replayed chunk unable to pay twice.
"""

from __future__ import annotations

from typing import Any

from accounts.models import User
from jobs.models import Job
from jobs.registry import ChunkResult, job_handler
from payments.models import BatchKind, BatchState, Payment, PaymentBatch, PaymentState
from payments.services import (
    batch_file,
    payment_batch_finish,
    payment_batch_prepare_chunk,
    payment_batch_settle_chunk,
)
from payments.services.prepare import CHUNK_PAYEES, payable_claims
from payments.services.settle import batches_settle_if_answered

PREPARE, EXPORT, SETTLE = "payments.prepare", "payments.export", "payments.settle"
VIEW = "payments.view_paymentbatch"  # who may follow a payment run's progress: who sees the batch


def _load(job: Job) -> tuple[PaymentBatch, User | None]:
    batch = PaymentBatch.objects.get(pk=job.params["batch_id"])
    actor = User.objects.filter(pk=job.params.get("actor_id")).first()
    return batch, actor


def _payees(batch: PaymentBatch) -> int:
    """The payees still to pay in a batch of this kind: the preparation's total, counted once."""
    field = "provider_id" if batch.kind == BatchKind.PROVIDER_TRANSFER else "member_id"  # one payment each
    return payable_claims(batch.kind).values(field).distinct().count()


@job_handler(PREPARE, view_perm=VIEW)
def prepare_chunk(*, job: Job, cursor: Any) -> ChunkResult:
    batch, actor = _load(job)
    size = int(job.params.get("chunk_size", CHUNK_PAYEES))
    total = _payees(batch) + int((cursor or {}).get("seq", 0)) if job.items_total is None else None
    new = payment_batch_prepare_chunk(actor=actor, batch=batch, cursor=cursor, size=size)
    if new is None:
        batch = payment_batch_finish(actor=actor, batch=batch)
        count = batch.payment_count
        return ChunkResult(cursor=cursor, done=True, progress={"payments": count}, items_done=count, items_total=count)
    seq = new["seq"]
    return ChunkResult(cursor=new, done=False, progress={"payments": seq}, items_done=seq, items_total=total)


@job_handler(EXPORT, view_perm=VIEW)
def export_chunk(*, job: Job, cursor: Any) -> ChunkResult:
    # The export service opens its own durable transaction; a job runs inside the worker's,
    # so the same steps are taken here in the worker's transaction.
    from payments.services.batches import export_apply

    batch, actor = _load(job)
    export_apply(actor=actor, batch=batch, fmt=job.params.get("fmt", "xml"))
    return ChunkResult(cursor=None, done=True, progress={"exported": True}, items_done=1, items_total=1)


@job_handler(SETTLE, view_perm=VIEW)
def settle_chunk(*, job: Job, cursor: Any) -> ChunkResult:
    batch, actor = _load(job)
    if batch.state != BatchState.CONFIRMED:
        return ChunkResult(cursor=None, done=True)
    done = payment_batch_settle_chunk(actor=actor, batch=batch)
    if done:  # every postal order handed over is paid: nothing more is awaited for this batch
        batches_settle_if_answered(actor=actor, batch_ids=[batch.pk])
    paid = Payment.objects.filter(batch=batch, state=PaymentState.PAID).count()
    return ChunkResult(cursor=(cursor or 0) + 1, done=done, items_done=paid, items_total=batch.payment_count)


__all__ = ["EXPORT", "PREPARE", "SETTLE", "batch_file"]
