"""A real worker process killed with SIGKILL in the middle of a chunk, then resumed (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from audit.models import AuditEvent
from jobs.models import Job, JobState
from jobs.services import job_enqueue, job_work
from jobs.tests.handlers import KIND

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(settings.BASE_DIR)
SCRIPT = (
    "import django, sys; django.setup(); import jobs.tests.handlers; "
    "from django.core.management import call_command; call_command('worker', '--once', '--name', 'victim')"
)


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def test_it_ends_like_an_uninterrupted_run_after_a_sigkill(tmp_path: Path) -> None:
    marker = tmp_path / "half-written"
    job = job_enqueue(kind=KIND, params={"n": 60, "size": 10, "kill_at": 3, "hang": True, "marker": str(marker)})
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "mutuelle.test_settings"}
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env)
    try:
        for _ in range(600):  # wait (up to a minute) until the worker is inside chunk 3
            if marker.exists() or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert marker.exists(), "the worker never reached the chunk to kill"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.locked_by == "victim" and job.cursor == 30
    ids = sorted(int(i) for i in AuditEvent.objects.filter(object_type="test.item").values_list("object_id", flat=True))
    assert ids == list(range(30))
    Job.objects.filter(pk=job.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    resumed = job_work(worker="rescuer")
    assert resumed is not None and resumed.state == JobState.DONE
    ids = sorted(int(i) for i in AuditEvent.objects.filter(object_type="test.item").values_list("object_id", flat=True))
    assert ids == list(range(60))
