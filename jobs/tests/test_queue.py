from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from jobs.models import Job, JobState
from jobs.services import job_claim, job_enqueue, job_run, job_run_chunk, job_work
from jobs.tests.handlers import KIND, Killed

pytestmark = pytest.mark.django_db


def _items() -> list[int]:
    rows = AuditEvent.objects.filter(object_type="test.item").values_list("object_id", flat=True)
    return sorted(int(i) for i in rows)


def test_it_runs_a_job_in_chunks_to_the_end() -> None:
    job = job_enqueue(kind=KIND, params={"n": 25, "size": 10})
    done = job_work(worker="w1")
    assert done is not None and done.pk == job.pk
    assert done.state == JobState.DONE and done.cursor == 25 and done.progress == {"done": 25}
    assert done.locked_by == "" and done.finished_at is not None and done.attempts == 1
    assert _items() == list(range(25))
    assert job_work(worker="w1") is None


def test_it_deduplicates_pending_jobs_by_key() -> None:
    a = job_enqueue(kind=KIND, params={"n": 1, "size": 1}, dedupe_key="k")
    b = job_enqueue(kind=KIND, params={"n": 1, "size": 1}, dedupe_key="k")
    assert a.pk == b.pk
    job_work(worker="w")
    c = job_enqueue(kind=KIND, params={"n": 1, "size": 1}, dedupe_key="k")
    assert c.pk != a.pk  # the first one is done: a new run may be queued


def test_it_resumes_a_killed_run_from_the_last_committed_chunk() -> None:
    job = job_enqueue(kind=KIND, params={"n": 50, "size": 10, "kill_at": 2})
    claimed = job_claim(worker="dead", lease_seconds=60)
    assert claimed is not None
    with pytest.raises(Killed):
        job_run(job=claimed, worker="dead")
    # The killed chunk's half-written rows were rolled back with it; two chunks are committed.
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.cursor == 20 and _items() == list(range(20))
    # The lease still runs: nobody else can take the job.
    assert job_claim(worker="other") is None
    Job.objects.filter(pk=job.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    Job.objects.filter(pk=job.pk).update(params={"n": 50, "size": 10})  # the crash does not recur
    resumed = job_work(worker="other")
    assert resumed is not None and resumed.state == JobState.DONE and resumed.attempts == 2
    assert _items() == list(range(50))  # same as an uninterrupted run: each item once


def test_a_worker_whose_lease_was_taken_over_writes_nothing_more() -> None:
    job = job_enqueue(kind=KIND, params={"n": 30, "size": 10})
    first = job_claim(worker="slow")
    assert first is not None
    assert job_run_chunk(job=first, worker="slow") is False
    Job.objects.filter(pk=job.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    second = job_claim(worker="fast")
    assert second is not None and second.pk == job.pk and second.cursor == 10
    job_run(job=first, worker="slow")  # the old worker wakes up: it must stop at once
    assert _items() == list(range(10))
    job_run(job=second, worker="fast")
    assert _items() == list(range(30))


def test_it_requeues_a_failing_job_then_marks_it_failed(tmp_path: Path) -> None:
    job = job_enqueue(kind=KIND, params={"n": 5, "size": 10, "kill_at": 0})
    Job.objects.filter(pk=job.pk).update(max_attempts=2, params={"n": "x", "size": 10})
    first = job_work(worker="w")
    assert first is not None and first.state == JobState.QUEUED and "ValueError" in first.last_error
    assert first.run_after is not None and job_work(worker="w") is None  # backing off
    Job.objects.filter(pk=job.pk).update(run_after=None)
    second = job_work(worker="w")
    assert second is not None and second.state == JobState.FAILED and second.finished_at is not None
    assert _items() == []


def test_it_only_runs_the_kinds_asked_for() -> None:
    job_enqueue(kind=KIND, params={"n": 1, "size": 1})
    assert job_work(worker="w", kinds=["other.kind"]) is None
    assert job_work(worker="w", kinds=[KIND]) is not None
