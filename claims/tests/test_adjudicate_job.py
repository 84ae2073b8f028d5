"""The bulk run: a killed-and-resumed job ends exactly like an uninterrupted one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from claims import job_handlers
from claims.models import ClaimFile, ClaimLine, ClaimTransition
from claims.services import claim_adjudicate, transitions
from claims.tests.factories import CONSULTATION, MEDICINE, file_make, member_make, snapshot
from jobs.models import Job, JobState
from jobs.services import job_claim, job_enqueue, job_run, job_run_chunk, job_work
from jobs.tests.handlers import Killed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _referentials(monkeypatch, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CLAIMS_REVIEW_SAMPLE_SHARE = "0.3"
    monkeypatch.setattr(job_handlers, "snapshot_current", snapshot)


def _dataset() -> None:
    """Ten files of four members; the same consultation comes back so duplicates cross chunks."""
    members = [member_make() for _ in range(4)]
    for i in range(10):
        lines: list[dict[str, Any]] = [CONSULTATION] if i % 2 else [CONSULTATION, MEDICINE]
        if i % 3 == 0:
            lines = [*lines, {"kind": "act", "code": "KINE", "paid": "60.00", "care_date": dt.date(2025, 3, 1 + i)}]
        file_make(member=members[i % 4], lines=lines, number=f"RUN{i:03d}")


def _state() -> dict[str, Any]:
    files = {f.number: (f.status, f.version, f.amo, f.complementary, f.remainder) for f in ClaimFile.objects.all()}
    lines = sorted(
        ClaimLine.objects.values_list("file__number", "position", "status", "amo", "complementary", "reasons")
    )
    steps = sorted(ClaimTransition.objects.values_list("file__number", "to_status", "version"))
    # Audit rows are append-only: those of files deleted by _reset stay, so count the present files'.
    ids = [str(pk) for pk in ClaimFile.objects.values_list("pk", flat=True)]
    audits = AuditEvent.objects.filter(object_type="claims.claimfile", action="transition", object_id__in=ids).count()
    return {"files": files, "lines": lines, "steps": steps, "audits": audits}


def _reset() -> None:
    ClaimFile.objects.all().delete()
    Job.objects.all().delete()


def test_a_killed_and_resumed_bulk_run_equals_an_uninterrupted_one(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _dataset()
    job_enqueue(kind=job_handlers.ADJUDICATE_RECEIVED, params={"size": 3})
    done = job_work(worker="w")
    assert done is not None and done.state == JobState.DONE and done.progress == {"files": 10}
    expected = _state()
    assert {s for s, *_ in expected["files"].values()} <= {"adjudicated", "medical_review"}
    assert any(r == ["DUPLICATE"] for *_, r in expected["lines"])  # history crossed files and chunks
    assert expected["audits"] == 10

    _reset()
    _dataset()
    real_store = transitions.decided_files_write
    calls = {"n": 0}

    def dying_store(rows: Any, now: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # second chunk: lines already written, files not yet
            raise Killed
        real_store(rows, now)

    monkeypatch.setattr(transitions, "decided_files_write", dying_store)
    job = job_enqueue(kind=job_handlers.ADJUDICATE_RECEIVED, params={"size": 3})
    claimed = job_claim(worker="victim")
    assert claimed is not None
    with pytest.raises(Killed):
        job_run(job=claimed, worker="victim")
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and (job.cursor or {}).get("files") == 3
    assert ClaimFile.objects.filter(status="received").count() == 7
    Job.objects.filter(pk=job.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    resumed = job_work(worker="rescuer")
    assert resumed is not None and resumed.state == JobState.DONE
    assert _state() == expected


def _one_by_one() -> dict[str, Any]:
    for claim in ClaimFile.objects.order_by("id"):
        claim_adjudicate(actor=None, claim=claim, snapshot=snapshot())
    return _state()


def _partitioned(jobs: list[Job], order: str) -> None:
    """Run partition jobs in order, in reverse order, or interleaved one chunk at a time."""
    held = {j.pk: j for j in jobs}
    if order == "interleaved":
        running = []
        for j in jobs:
            claimed = job_claim(worker=f"w{j.pk}")
            assert claimed is not None and claimed.pk in held
            running.append(claimed)
        while running:
            running = [j for j in running if not job_run_chunk(job=j, worker=f"w{j.pk}")]
        return
    for j in reversed(jobs) if order == "reversed" else jobs:
        # job_claim takes the oldest runnable job: the others wait until this one is done
        Job.objects.exclude(pk=j.pk).filter(state=JobState.QUEUED).update(run_after=timezone.now() + LATER)
        done = job_work(worker="w")
        assert done is not None and done.pk == j.pk and done.state == JobState.DONE, done and done.last_error
        Job.objects.filter(state=JobState.QUEUED).update(run_after=None)


LATER = dt.timedelta(hours=1)


@pytest.mark.parametrize("order", ["in_order", "reversed", "interleaved"])
def test_a_partitioned_run_stores_what_the_sequential_run_and_one_by_one_store(order: str) -> None:
    _dataset()
    one_by_one = _one_by_one()
    _reset()
    _dataset()
    [single] = job_handlers.claims_adjudicate_enqueue(partitions=1, size=3)
    job_work(worker="w")
    single.refresh_from_db()
    assert single.state == JobState.DONE and single.progress == {"files": 10}
    sequential = _state()
    assert sequential == one_by_one
    assert any(r == ["DUPLICATE"] for *_, r in sequential["lines"])

    _reset()
    _dataset()
    jobs = job_handlers.claims_adjudicate_enqueue(partitions=2, size=3)
    assert [j.params["partition"] for j in jobs] == [0, 1]
    _partitioned(jobs, order)
    files = [Job.objects.get(pk=j.pk).progress["files"] for j in jobs]
    assert all(files) and sum(files) == 10  # both partitions had files
    assert _state() == sequential


def test_a_partition_killed_mid_chunk_and_resumed_ends_like_an_uninterrupted_run(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _dataset()
    job_handlers.claims_adjudicate_enqueue(partitions=1, size=2)
    job_work(worker="w")
    expected = _state()

    _reset()
    _dataset()
    real_store = transitions.decided_files_write
    calls = {"n": 0}

    def dying_store(rows: Any, now: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # the victim's second chunk: lines already written, files not yet
            raise Killed
        real_store(rows, now)

    monkeypatch.setattr(transitions, "decided_files_write", dying_store)
    first, second = job_handlers.claims_adjudicate_enqueue(partitions=2, size=2)
    victim = job_claim(worker="victim")
    other = job_claim(worker="other")
    assert victim is not None and other is not None and victim.pk == first.pk
    assert not job_run_chunk(job=victim, worker="victim")  # first chunk committed
    with pytest.raises(Killed):
        job_run(job=victim, worker="victim")
    first.refresh_from_db()
    assert first.state == JobState.RUNNING and (first.cursor or {}).get("files") == 2
    monkeypatch.setattr(transitions, "decided_files_write", real_store)
    assert job_run(job=other, worker="other").state == JobState.DONE  # the other partition goes on meanwhile
    Job.objects.filter(pk=first.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    resumed = job_work(worker="rescuer")
    assert resumed is not None and resumed.pk == first.pk and resumed.state == JobState.DONE
    assert resumed.progress["files"] + Job.objects.get(pk=second.pk).progress["files"] == 10
    assert _state() == expected


def test_it_enqueues_the_default_partitions_once_while_the_run_is_pending(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CLAIMS_ADJUDICATE_PARTITIONS = 3
    jobs = job_handlers.claims_adjudicate_enqueue()
    assert [(j.kind, j.params) for j in jobs] == [
        (job_handlers.ADJUDICATE_RECEIVED, {"size": 1000, "partitions": 3, "partition": r}) for r in range(3)
    ]
    assert [j.pk for j in job_handlers.claims_adjudicate_enqueue()] == [j.pk for j in jobs]
    assert Job.objects.count() == 3
    with pytest.raises(ValueError):
        job_handlers.claims_adjudicate_enqueue(partitions=0)
