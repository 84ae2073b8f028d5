"""Payment runs as resumable jobs (discovered by `manage.py worker`).

payments.prepare: params {batch_id, actor_id}; one chunk of payees per call, cursor = {after, seq}.
payments.export:  params {batch_id, actor_id, fmt}; one transaction (nothing half-written).
payments.settle:  params {batch_id, actor_id}; pays the postal orders of a confirmed batch by chunks.
A job killed at any point resumes from its last committed chunk; claims still "approved" and the
one-live-payment-per-claim index make a replayed chunk unable to pay twice.
"""

from __future__ import annotations

from typing import Any

from accounts.models import User
from jobs.models import Job
from jobs.registry import ChunkResult, job_handler
from payments.models import BatchState, PaymentBatch
from payments.services import (
    batch_file,
    payment_batch_finish,
    payment_batch_prepare_chunk,
    payment_batch_settle_chunk,
)
from payments.services.prepare import CHUNK_PAYEES

PREPARE, EXPORT, SETTLE = "payments.prepare", "payments.export", "payments.settle"


def _load(job: Job) -> tuple[PaymentBatch, User | None]:
    batch = PaymentBatch.objects.get(pk=job.params["batch_id"])
    actor = User.objects.filter(pk=job.params.get("actor_id")).first()
    return batch, actor


@job_handler(PREPARE)
def prepare_chunk(*, job: Job, cursor: Any) -> ChunkResult:
    batch, actor = _load(job)
    size = int(job.params.get("chunk_size", CHUNK_PAYEES))
    new = payment_batch_prepare_chunk(actor=actor, batch=batch, cursor=cursor, size=size)
    if new is None:
        batch = payment_batch_finish(actor=actor, batch=batch)
        return ChunkResult(cursor=cursor, done=True, progress={"payments": batch.payment_count})
    return ChunkResult(cursor=new, done=False, progress={"payments": new["seq"]})


@job_handler(EXPORT)
def export_chunk(*, job: Job, cursor: Any) -> ChunkResult:
    # The export service opens its own durable transaction; a job runs inside the worker's,
    # so the same steps are taken here in the worker's transaction.
    from payments.services.batches import export_apply

    batch, actor = _load(job)
    export_apply(actor=actor, batch=batch, fmt=job.params.get("fmt", "xml"))
    return ChunkResult(cursor=None, done=True, progress={"exported": True})


@job_handler(SETTLE)
def settle_chunk(*, job: Job, cursor: Any) -> ChunkResult:
    batch, actor = _load(job)
    if batch.state != BatchState.CONFIRMED:
        return ChunkResult(cursor=None, done=True)
    done = payment_batch_settle_chunk(actor=actor, batch=batch)
    return ChunkResult(cursor=(cursor or 0) + 1, done=done)


__all__ = ["EXPORT", "PREPARE", "SETTLE", "batch_file"]
