"""Job handlers of the claims app (discovered by jobs.registry), and the bulk run's enqueueing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from accounts.models import User
from claims.services.adjudication import adjudicate_received_chunk, snapshot_current
from jobs.models import Job
from jobs.registry import ChunkResult, job_handler
from jobs.services import job_enqueue

ADJUDICATE_RECEIVED = "adjudicate_received"
DEFAULT_CHUNK_FILES = 1000


def adjudicate_partitions() -> int:
    """How many partition jobs a bulk run is split into (setting CLAIMS_ADJUDICATE_PARTITIONS, 2)."""
    return max(1, int(getattr(settings, "CLAIMS_ADJUDICATE_PARTITIONS", 2)))


def claims_adjudicate_enqueue(
    *, actor: User | None = None, partitions: int | None = None, size: int = DEFAULT_CHUNK_FILES
) -> list[Job]:
    """Queue one bulk run of the received files as `partitions` jobs, one per member_id % K.

    Every file of a member (hence of each beneficiary) is in one partition and taken in id
    order there, so duplicates, frequencies and ceilings see the same history as an undivided
    run, and K workers can adjudicate the partitions at the same time. A partition of a run
    still pending is not queued twice (dedupe key per partition).
    """
    k = adjudicate_partitions() if partitions is None else partitions
    if k < 1:
        raise ValueError("partitions must be at least 1")
    base: dict[str, Any] = {"size": size, "partitions": k}
    if actor is not None:
        base["actor_id"] = actor.pk
    with transaction.atomic(durable=True):
        return [
            job_enqueue(
                kind=ADJUDICATE_RECEIVED, params={**base, "partition": r}, dedupe_key=f"{ADJUDICATE_RECEIVED}:{r}/{k}"
            )
            for r in range(k)
        ]


def _received_count(partition: tuple[int, int]) -> int:
    """The files a partition has to adjudicate, counted once when its job starts (the bar's total)."""
    from django.db.models.functions import Mod

    from claims.models import ClaimFile, ClaimStatus

    qs = ClaimFile.objects.filter(status=ClaimStatus.RECEIVED)
    rest, parts = partition
    if parts > 1:
        qs = qs.alias(part=Mod("member_id", parts)).filter(part=rest)
    return qs.count()


@job_handler(ADJUDICATE_RECEIVED, view_perm="claims.adjudicate_claimfile")
def adjudicate_received(*, job: Job, cursor: Any) -> ChunkResult:
    """Adjudicate received files of the job's partition in id order, `size` per chunk; the cursor
    is the last file id done.

    Runs inside the worker's chunk transaction: decisions, states and cursor commit together,
    and only files still `received` (re-checked under row lock) are taken, so a killed run
    resumes without adjudicating any file twice. Params without a partition: every file.
    """
    params = job.params or {}
    size = int(params.get("size", DEFAULT_CHUNK_FILES))
    partition = (int(params.get("partition", 0)), int(params.get("partitions", 1)))
    actor = User.objects.filter(pk=params["actor_id"]).first() if params.get("actor_id") else None
    total = _received_count(partition) if cursor is None else None
    state = cursor or {"after": 0, "files": 0}
    last, count = adjudicate_received_chunk(actor=actor, after_id=int(state["after"]), size=size,
                                            snapshot=snapshot_current(), partition=partition)  # fmt: skip
    files = int(state["files"]) + count
    return ChunkResult(cursor={"after": last, "files": files}, done=count == 0 and last == state["after"],
                       progress={"files": files}, items_done=files, items_total=total)  # fmt: skip
