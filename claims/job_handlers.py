"""Job handlers of the claims app (discovered by jobs.registry)."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from claims.services.adjudication import adjudicate_received_chunk, snapshot_current
from jobs.models import Job
from jobs.registry import ChunkResult, job_handler

ADJUDICATE_RECEIVED = "adjudicate_received"


@job_handler(ADJUDICATE_RECEIVED)
def adjudicate_received(*, job: Job, cursor: Any) -> ChunkResult:
    """Adjudicate received files in id order, `size` per chunk; the cursor is the last file id done.

    Runs inside the worker's chunk transaction: decisions, states and cursor commit together,
    and only files still `received` (re-checked under row lock) are taken, so a killed run
    resumes without adjudicating any file twice.
    """
    params = job.params or {}
    size = int(params.get("size", 1000))
    actor = User.objects.filter(pk=params["actor_id"]).first() if params.get("actor_id") else None
    state = cursor or {"after": 0, "files": 0}
    last, count = adjudicate_received_chunk(actor=actor, after_id=int(state["after"]), size=size,
                                            snapshot=snapshot_current())  # fmt: skip
    files = int(state["files"]) + count
    return ChunkResult(cursor={"after": last, "files": files}, done=count == 0 and last == state["after"],
                       progress={"files": files})  # fmt: skip
