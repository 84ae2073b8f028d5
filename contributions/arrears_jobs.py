"""The rights review as a job (kind contributions.rights_review, see services_common).

Params: {"member_ids": [...]} (queued by the payments: receipts, payroll imports) or
{"as_of": "YYYY-MM-DD", "actor_id": id} (the whole review, from the accountants' page). The first
chunk lists the members to review into the cursor; each chunk reviews the next CHUNK of them in
the worker's transaction, which stores the cursor with it: a killed job resumes at the first
member not committed, and reviewing a member twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from contributions.services_common import RIGHTS_REVIEW
from contributions.services_rights import REVIEW_PERMISSION, ReviewResult, review_candidates, rights_review_run
from jobs.models import Job
from jobs.registry import ChunkResult, job_handler

CHUNK = 200


def _actor(job: Job) -> Any:
    pk = job.params.get("actor_id")
    return get_user_model().objects.filter(pk=pk).first() if pk else None


@job_handler(RIGHTS_REVIEW, view_perm=REVIEW_PERMISSION)
def rights_review_chunk(*, job: Job, cursor: Any) -> ChunkResult:
    """Cursor: {"as_of", "ids": members to review, "pos": how many are done, "done": counts by step}."""
    if not cursor:
        raw = job.params.get("as_of")
        day = dt.date.fromisoformat(raw) if raw else timezone.localdate()
        given = job.params.get("member_ids")
        todo = sorted({int(m) for m in given}) if given is not None else review_candidates(as_of=day)
        counts = ReviewResult().as_dict()
        first = {"as_of": day.isoformat(), "ids": todo, "pos": 0, "done": counts}
        return ChunkResult(cursor=first, done=not todo, items_done=0, items_total=len(todo), progress=counts)
    ids: list[int] = list(cursor["ids"])
    pos = int(cursor["pos"])
    part = ids[pos : pos + CHUNK]
    # The page checked the actor's permission when it queued the job; the steps are recorded in their name.
    result = rights_review_run(actor=_actor(job), as_of=dt.date.fromisoformat(cursor["as_of"]), member_ids=part)
    done: dict[str, int] = {k: int(cursor["done"].get(k, 0)) + v for k, v in result.as_dict().items()}
    pos += len(part)
    state = {"as_of": cursor["as_of"], "ids": ids, "pos": pos, "done": done}
    return ChunkResult(cursor=state, done=pos >= len(ids), items_done=pos, items_total=len(ids), progress=dict(done))
