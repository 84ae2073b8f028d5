"""The bulk run: a killed-and-resumed job ends exactly like an uninterrupted one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from claims import job_handlers
from claims.models import ClaimFile, ClaimLine, ClaimTransition
from claims.services import bulk_store
from claims.tests.factories import CONSULTATION, MEDICINE, file_make, member_make, snapshot
from jobs.models import Job, JobState
from jobs.services import job_claim, job_enqueue, job_run, job_work
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
    audits = AuditEvent.objects.filter(object_type="claims.claimfile", action="transition").count()
    return {"files": files, "lines": lines, "steps": steps, "audits": audits}


def _reset() -> None:
    ClaimFile.objects.all().delete()
    AuditEvent.objects.all().delete()
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
    real_store = bulk_store.store_files
    calls = {"n": 0}

    def dying_store(rows: Any, now: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # second chunk: lines already written, files not yet
            raise Killed
        real_store(rows, now)

    monkeypatch.setattr(bulk_store, "store_files", dying_store)
    job = job_enqueue(kind=job_handlers.ADJUDICATE_RECEIVED, params={"size": 3})
    claimed = job_claim(worker="victim")
    assert claimed is not None
    with pytest.raises(Killed):
        job_run(job=claimed, worker="victim")
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.cursor["files"] == 3
    assert ClaimFile.objects.filter(status="received").count() == 7
    Job.objects.filter(pk=job.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    resumed = job_work(worker="rescuer")
    assert resumed is not None and resumed.state == JobState.DONE
    assert _state() == expected
