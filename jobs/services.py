"""Writes of the job queue: enqueue, claim, run one chunk, record a failure."""

from __future__ import annotations

import datetime as dt
import os
import socket
import traceback
from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from jobs.models import Job, JobState
from jobs.registry import run_chunk
from mutuelle.bulk import row_claim

DEFAULT_LEASE_SECONDS = 60


class LeaseLost(RuntimeError):
    """Another worker took the job over (our lease expired): stop without writing."""


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def job_enqueue(*, kind: str, params: dict[str, Any] | None = None, dedupe_key: str | None = None) -> Job:
    """Queue a job; with a dedupe key, return the pending job of that key instead of a second one."""
    params = params or {}
    key = dedupe_key or ""
    if key:
        existing = Job.objects.filter(dedupe_key=key, state__in=[JobState.QUEUED, JobState.RUNNING]).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return Job.objects.create(kind=kind, params=params, dedupe_key=key)
    except IntegrityError:
        if not key:
            raise
        return Job.objects.get(dedupe_key=key, state__in=[JobState.QUEUED, JobState.RUNNING])


def jobs_enqueue_many(
    *, kind: str, params_list: Iterable[dict[str, Any]], items_total: Iterable[int | None] = ()
) -> list[Job]:
    """Queue several jobs in one insert, inside the caller's transaction (an outbox: a rollback
    queues nothing). `items_total`, when given, is each job's number of items, for its progress."""
    params = list(params_list)
    totals = list(items_total) or [None] * len(params)
    jobs = [Job(kind=kind, params=p, items_total=t) for p, t in zip(params, totals, strict=True)]
    return Job.objects.bulk_create(jobs)


def _claimable(now: dt.datetime, kinds: list[str] | None) -> Any:
    qs = Job.objects.filter(
        Q(state=JobState.QUEUED, run_after__isnull=True)
        | Q(state=JobState.QUEUED, run_after__lte=now)
        | Q(state=JobState.RUNNING, locked_until__lt=now)
    )
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs


def job_claim(*, worker: str, kinds: list[str] | None = None, lease_seconds: int = DEFAULT_LEASE_SECONDS) -> Job | None:
    """Take the oldest job that is queued or whose lease expired; None when there is none.

    Workers never wait on each other nor take the same job (`mutuelle.bulk.row_claim`).
    """
    now = timezone.now()
    until = now + dt.timedelta(seconds=lease_seconds)
    changes = {
        "state": JobState.RUNNING,
        "locked_by": worker,
        "locked_until": until,
        "attempts": F("attempts") + 1,
        "updated_at": now,
    }
    pk = row_claim(lambda: _claimable(now, kinds), changes)
    if pk is None:
        return None
    job = Job.objects.get(pk=pk)
    if job.started_at is None:
        Job.objects.filter(pk=job.pk).update(started_at=now)
        job.started_at = now
    return job


def job_run_chunk(*, job: Job, worker: str, lease_seconds: int = DEFAULT_LEASE_SECONDS) -> bool:
    """Run one chunk of `job` and store its cursor in the same transaction; True when finished."""
    with transaction.atomic():
        current = Job.objects.select_for_update().get(pk=job.pk)
        if current.locked_by != worker or current.state != JobState.RUNNING:
            raise LeaseLost(f"job {job.pk} is now held by {current.locked_by or 'nobody'}")
        result = run_chunk(current, current.cursor)
        now = timezone.now()
        fields: dict[str, Any] = {
            "cursor": result.cursor,
            "locked_until": now + dt.timedelta(seconds=lease_seconds),
            "updated_at": now,
        }
        if result.progress:
            fields["progress"] = {**current.progress, **result.progress}
        if result.items_done is not None:
            fields["items_done"] = result.items_done
        if result.items_total is not None:
            fields["items_total"] = result.items_total
        if result.done:
            fields.update(state=JobState.DONE, finished_at=now, locked_by="", locked_until=None, last_error="")
        Job.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)
    return result.done


def job_fail(*, job: Job, worker: str, error: BaseException) -> Job:
    """Record a failed chunk: back to the queue with a backoff, or failed after max attempts."""
    with transaction.atomic():
        current = Job.objects.select_for_update().get(pk=job.pk)
        if current.locked_by != worker:
            return current
        now = timezone.now()
        text = "".join(traceback.format_exception(error))[-4000:]
        if current.attempts >= current.max_attempts:
            current.state, current.finished_at = JobState.FAILED, now
        else:
            current.state = JobState.QUEUED
            current.run_after = now + dt.timedelta(seconds=min(2**current.attempts, 300))
        current.locked_by, current.locked_until, current.last_error = "", None, text
        current.save(update_fields=["state", "finished_at", "run_after", "locked_by", "locked_until", "last_error"])
    return current


def job_release(*, job: Job, worker: str) -> None:
    """Give a running job back to the queue at once (a worker asked to stop between two chunks),
    so that the next worker resumes it from its cursor without waiting for the lease to expire."""
    Job.objects.filter(pk=job.pk, locked_by=worker, state=JobState.RUNNING).update(
        state=JobState.QUEUED, locked_by="", locked_until=None, updated_at=timezone.now()
    )


def job_run(
    *,
    job: Job,
    worker: str,
    lease_seconds: int = DEFAULT_LEASE_SECONDS,
    max_chunks: int | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Job:
    """Run chunks until the job is done (or `max_chunks` ran, or `should_stop()` says so between
    two chunks: the job is then released); a failing chunk is recorded."""
    chunks = 0
    try:
        while not job_run_chunk(job=job, worker=worker, lease_seconds=lease_seconds):
            chunks += 1
            if max_chunks is not None and chunks >= max_chunks:
                break
            if should_stop is not None and should_stop():
                job_release(job=job, worker=worker)
                break
    except LeaseLost:
        pass
    except Exception as exc:  # a handler error must not kill the worker
        job_fail(job=job, worker=worker, error=exc)
    job.refresh_from_db()
    return job


def job_work(
    *,
    worker: str,
    kinds: list[str] | None = None,
    lease_seconds: int = DEFAULT_LEASE_SECONDS,
    should_stop: Callable[[], bool] | None = None,
) -> Job | None:
    """Claim one job and run it to its end; the job, or None when the queue was empty."""
    job = job_claim(worker=worker, kinds=kinds, lease_seconds=lease_seconds)
    if job is None:
        return None
    return job_run(job=job, worker=worker, lease_seconds=lease_seconds, should_stop=should_stop)
