"""The monthly dues of the members off payroll: a job (command from cron, accountant's button), idempotent
and resumable; the figures by hand: a base of 4,000.00 owes 50.00 + 15.00 + 100.00 + 100.00 = 265.00."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.roles import Role
from contributions import dues_jobs
from contributions.models import LedgerEntry, OffPayrollReason
from contributions.services_receipts import off_payroll_record
from contributions.tests.factories import member_make
from jobs.models import Job, JobState
from jobs.services import job_claim, job_run, job_work

pytestmark = pytest.mark.django_db
JAN = dt.date(2026, 1, 1)


class Killed(Exception):
    """The process dies in the middle of a chunk."""


@pytest.fixture
def accountant(make_user: Any) -> Any:
    return make_user(Role.ACCOUNTANT)


def _off_payroll(accountant: Any, n: int, reason: str = OffPayrollReason.LEAVE) -> list[int]:
    """`n` members off payroll from January, declared base 4,000.00 (1.8 % = 72 capped at 50.00;
    1 % = 40 capped at 15.00; 2.5 % = 100.00 each AMO share: 265.00 a month)."""
    ids = []
    for _ in range(n):
        member = member_make(base_salary=Decimal("9000"))
        off_payroll_record(actor=accountant, member=member, reason=reason, valid_from=JAN, valid_to=None,
                           monthly_base=Decimal("4000"))  # fmt: skip
        ids.append(member.pk)
    return ids


def _dues(month: dt.date) -> list[tuple[int, Decimal]]:
    rows = LedgerEntry.objects.filter(month=month, kind="due", active=True).order_by("member_id")
    return [(e.member_id, e.complementary + e.death_fund + e.amo_employee + e.amo_employer) for e in rows]


def _command(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("contributions_post_dues", *args, stdout=out)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def test_it_posts_a_month_once_however_often_it_runs(accountant: Any) -> None:
    members = _off_payroll(accountant, 2) + _off_payroll(accountant, 1, OffPayrollReason.RETIRED)
    member_make(base_salary=Decimal("9000"))  # on a payroll: its administration's file brings its dues
    first = _command("--month", "2026-01")
    assert (first["state"], first["posted"], first["members"]) == (JobState.DONE, 3, 3)
    assert _dues(JAN) == [(m, Decimal("265.00")) for m in members]
    again = _command("--month", "2026-01")
    assert (again["state"], again["posted"]) == (JobState.DONE, 0)
    assert _dues(JAN) == [(m, Decimal("265.00")) for m in members]


def test_it_refuses_a_bad_or_far_month_and_queues_nothing() -> None:
    for bad in ("2026-13", "janvier", "2099-01"):
        with pytest.raises(CommandError):
            call_command("contributions_post_dues", "--month", bad)
    assert not Job.objects.filter(kind=dues_jobs.DUES_POST).exists()


def test_it_ends_a_killed_and_resumed_run_like_an_uninterrupted_one(
    accountant: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dues_jobs, "CHUNK", 2)
    members = _off_payroll(accountant, 5)
    job = dues_jobs.dues_post_enqueue(actor=None, month=JAN, today=JAN)
    claimed = job_claim(worker="victim", kinds=[dues_jobs.DUES_POST])
    assert claimed is not None and claimed.pk == job.pk
    job_run(job=claimed, worker="victim", max_chunks=2)  # the count, then members 1-2 committed
    assert len(_dues(JAN)) == 2
    real = dues_jobs.dues_post

    def post_then_die(**kwargs: Any) -> int:
        real(**kwargs)
        raise Killed

    with mock.patch.object(dues_jobs, "dues_post", side_effect=post_then_die), pytest.raises(Killed):
        from jobs.services import job_run_chunk

        job_run_chunk(job=claimed, worker="victim")  # members 3-4 written, then the process dies
    assert len(_dues(JAN)) == 2  # the dead chunk's writes rolled back with its cursor
    Job.objects.filter(pk=job.pk).update(locked_until=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    resumed = job_work(worker="rescuer", kinds=[dues_jobs.DUES_POST])
    assert resumed is not None and resumed.state == JobState.DONE
    assert resumed.progress["posted"] == 5 and resumed.items_done == 5
    assert _dues(JAN) == [(m, Decimal("265.00")) for m in members]  # each once, as a straight run


def test_it_queues_the_month_from_the_accountant_s_button_and_shows_its_progress(
    client: Any, accountant: Any, make_user: Any
) -> None:
    _off_payroll(accountant, 1)
    client.force_login(accountant)
    page = client.get(reverse("contributions:payroll_list"))
    assert 'id="dues-post"' in page.content.decode()
    response = client.post(reverse("contributions:dues_post"), {"month": "2026-01"})
    job = Job.objects.get(kind=dues_jobs.DUES_POST)
    assert response.status_code == 302 and response["Location"].endswith(f"?job={job.pk}")
    # Pressed twice before the worker ran: the same job.
    client.post(reverse("contributions:dues_post"), {"month": "2026-01"})
    assert Job.objects.filter(kind=dues_jobs.DUES_POST).count() == 1
    shown = client.get(response["Location"]).content.decode()
    assert 'id="job-progress"' in shown
    job_work(worker="test", kinds=[dues_jobs.DUES_POST])
    assert Job.objects.get(pk=job.pk).state == JobState.DONE and len(_dues(JAN)) == 1
    # Hostile input and other roles: refused, nothing queued.
    client.post(reverse("contributions:dues_post"), {"month": "=1+1"})
    assert Job.objects.filter(kind=dues_jobs.DUES_POST).count() == 1
    client.force_login(make_user(Role.RECEPTION))
    assert client.post(reverse("contributions:dues_post"), {"month": "2026-02"}).status_code == 403
    assert 'id="dues-post"' not in client.get(reverse("contributions:payroll_list")).content.decode()
