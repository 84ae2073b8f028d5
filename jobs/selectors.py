"""Reads of the job queue, scoped to the user: a job is followed only by who may see its kind."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jobs.models import Job
from jobs.registry import view_perm_for

MAX_FOLLOWED = 20  # a page follows the few jobs it queued, never an arbitrary list


def job_ids_parse(values: Iterable[str]) -> list[int]:
    """The job ids of a query string (`?job=3&job=4`); anything else is dropped."""
    ids = [int(v) for v in values if v.isascii() and v.isdigit() and len(v) < 19]
    return list(dict.fromkeys(ids))[:MAX_FOLLOWED]


def jobs_followed(*, user: Any, ids: Iterable[int]) -> list[Job]:
    """The jobs of `ids` this user may follow, in id order; the others are left out as if absent."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    jobs = Job.objects.filter(pk__in=list(ids)).order_by("id")
    return [job for job in jobs if user.has_perm(view_perm_for(job.kind))]
