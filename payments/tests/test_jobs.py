from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from claims.models import ClaimFile, ClaimStatus
from jobs.models import Job, JobState
from jobs.services import job_claim, job_run, job_work
from payments.models import BatchKind, BatchState, Payment, PaymentClaim
from payments.services import payment_batch_prepare_enqueue
from payments.tests.factories import claim_make, member_make


def _expire(job: Job) -> None:
    Job.objects.filter(pk=job.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))


def _assert_paid_once(batch_id: int, claims: int) -> None:
    assert PaymentClaim.objects.filter(live=True).count() == claims
    assert PaymentClaim.objects.values("claim_id").distinct().count() == claims
    assert Payment.objects.filter(batch_id=batch_id).count() == Payment.objects.values("member_id").distinct().count()
    assert set(ClaimFile.objects.values_list("status", flat=True)) == {ClaimStatus.IN_PAYMENT}


class Killed(BaseException):
    """Stands for the worker process dying in the middle of a chunk."""


@pytest.mark.django_db
def test_it_resumes_a_prepare_job_killed_mid_chunk_without_paying_twice(accountants: tuple[Any, Any]) -> None:
    for _ in range(5):
        member = member_make()
        claim_make(member, amo="10.00", complementary="1.00")
        claim_make(member, amo="5.00", complementary="0.00")
    batch, job = payment_batch_prepare_enqueue(actor=accountants[0], kind=BatchKind.MEMBER_TRANSFER, chunk_size=4)
    claimed = job_claim(worker="victim")
    assert claimed is not None and claimed.pk == job.pk
    job_run(job=claimed, worker="victim", max_chunks=1)  # first chunk committed
    from payments.services import prepare

    # The last write of a chunk: the set-based statement on PostgreSQL, the claims' move elsewhere.
    last_write = "prepare_chunk_sql" if connection.vendor == "postgresql" else "_claims_to_in_payment"
    real = getattr(prepare, last_write)

    def write_then_die(**kwargs: Any) -> Any:
        real(**kwargs)
        raise Killed

    with mock.patch.object(prepare, last_write, side_effect=write_then_die), pytest.raises(Killed):
        job_run(job=claimed, worker="victim")  # dies after writing chunk 2, before its commit
    assert Payment.objects.filter(batch=batch).count() == 2  # chunk 2 rolled back
    _expire(job)
    resumed = job_work(worker="rescuer")
    assert resumed is not None and resumed.state == JobState.DONE
    batch.refresh_from_db()
    assert batch.state == BatchState.PREPARED and batch.payment_count == 5
    assert [p.end_to_end_id[-3:] for p in batch.payments.order_by("pk")] == ["001", "002", "003", "004", "005"]
    _assert_paid_once(batch.pk, 10)


ROOT = Path(settings.BASE_DIR)
SCRIPT = (
    "import django; django.setup(); "
    "from django.core.management import call_command; call_command('worker', '--once', '--name', 'victim')"
)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_survives_a_sigkilled_worker_on_postgresql(accountants: tuple[Any, Any]) -> None:
    members = 400
    for _ in range(members):
        claim_make(member_make(), amo="10.00", complementary="1.00")
    batch, job = payment_batch_prepare_enqueue(actor=accountants[0], kind=BatchKind.MEMBER_TRANSFER, chunk_size=5)
    s = connection.settings_dict
    url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "mutuelle.test_settings"}
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env)
    try:
        for _ in range(600):
            if Payment.objects.filter(batch=batch).count() >= 60 or proc.poll() is not None:
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
    job.refresh_from_db()
    assert job.state == JobState.RUNNING, "the worker finished before it could be killed"
    killed_at = Payment.objects.filter(batch=batch).count()
    assert 0 < killed_at < members
    _expire(job)
    resumed = job_work(worker="rescuer")
    assert resumed is not None and resumed.state == JobState.DONE
    batch.refresh_from_db()
    assert batch.state == BatchState.PREPARED and batch.payment_count == members
    _assert_paid_once(batch.pk, members)
