"""Member notifications are an outbox of jobs: queued with the state change, sent by the worker once."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from claims.models import ClaimFile
from claims.services import notify
from claims.services.notify import NOTIFY, claims_notify_enqueue
from claims.tests.factories import CONSULTATION, file_make, member_make
from jobs.models import Job, JobState
from jobs.services import job_work

pytestmark = pytest.mark.django_db


def _files(n: int) -> list[ClaimFile]:
    return [
        file_make(member=member_make(email=f"m{i}@example.ma", phone=f"06000000{i:02d}"), lines=[CONSULTATION])
        for i in range(n)
    ]


def _notify_jobs() -> list[Job]:
    return list(Job.objects.filter(kind=NOTIFY).order_by("id"))


def _sms(settings: Any) -> list[str]:
    path = Path(settings.SMS_FILE_PATH)
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_it_queues_one_job_per_500_files_and_sends_nothing() -> None:
    ids = list(range(1, 1202))
    with transaction.atomic():
        claims_notify_enqueue(claim_ids=ids, event="paid")
    jobs = _notify_jobs()
    assert len(jobs) == math.ceil(len(ids) / 500) == 3
    assert [len(j.params["claim_ids"]) for j in jobs] == [500, 500, 201] == [j.items_total for j in jobs]
    assert [i for j in jobs for i in j.params["claim_ids"]] == ids and {j.params["event"] for j in jobs} == {"paid"}
    assert all(j.state == JobState.QUEUED for j in jobs) and mail.outbox == []


def test_calls_file_by_file_fill_the_open_job_instead_of_one_job_each(monkeypatch: Any) -> None:
    monkeypatch.setattr(notify, "FILES_PER_JOB", 2)
    with transaction.atomic():
        for pk in (1, 1, 2, 3):  # a file twice in the open job: notified once
            claims_notify_enqueue(claim_ids=[pk], event="paid")
        claims_notify_enqueue(claim_ids=[1], event="approved")  # another event: its own job
    assert [(j.params["event"], j.params["claim_ids"], j.items_total) for j in _notify_jobs()] == [
        ("paid", [1, 2], 2),
        ("paid", [3], 1),
        ("approved", [1], 1),
    ]


def test_a_job_the_worker_took_is_not_filled_any_more() -> None:
    claims_notify_enqueue(claim_ids=[1], event="paid")
    Job.objects.filter(kind=NOTIFY).update(state=JobState.RUNNING, locked_by="w")
    claims_notify_enqueue(claim_ids=[2], event="paid")
    assert [j.params["claim_ids"] for j in _notify_jobs()] == [[1], [2]]


def test_a_rolled_back_transaction_queues_nothing() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        claims_notify_enqueue(claim_ids=[1, 2, 3], event="approved")
        raise RuntimeError("the state change fails after the notifications were queued")
    assert _notify_jobs() == []


def test_the_worker_sends_each_notification_once(settings: Any) -> None:
    files = _files(3)
    claims_notify_enqueue(claim_ids=[f.pk for f in files], event="approved")
    assert mail.outbox == [] and _sms(settings) == []
    done = job_work(worker="w")
    assert done is not None and done.state == JobState.DONE and done.items_done == 3 == done.items_total
    assert sorted(m.to[0] for m in mail.outbox) == ["m0@example.ma", "m1@example.ma", "m2@example.ma"]
    assert all(f.number in m.subject for f, m in zip(files, mail.outbox, strict=True))
    assert len(_sms(settings)) == 3
    assert job_work(worker="w") is None and len(mail.outbox) == 3


def test_a_job_interrupted_and_resumed_sends_each_notification_once(settings: Any) -> None:
    files = _files(3)
    claims_notify_enqueue(claim_ids=[f.pk for f in files], event="paid")
    # A worker killed after its first chunk committed: that file is recorded as sent.
    Job.objects.filter(kind=NOTIFY).update(cursor={"sent": [files[0].pk]}, items_done=1)
    resumed = job_work(worker="rescuer")
    assert resumed is not None and resumed.state == JobState.DONE
    assert sorted(m.to[0] for m in mail.outbox) == ["m1@example.ma", "m2@example.ma"]
    assert resumed.cursor == {"sent": [f.pk for f in files]} and len(_sms(settings)) == 2


def test_a_send_that_fails_keeps_what_was_sent_before_it(monkeypatch: Any, settings: Any) -> None:
    monkeypatch.setattr(notify, "SENDS_PER_CHUNK", 10)
    files = _files(3)
    claims_notify_enqueue(claim_ids=[f.pk for f in files], event="approved")
    real_send = notify.send_mail
    broken = {"to": "m1@example.ma"}

    def send_mail(subject: str, body: str, sender: Any, to: list[str]) -> int:
        if to == [broken["to"]]:
            raise ConnectionError("mail server down")
        return int(real_send(subject, body, sender, to))

    monkeypatch.setattr(notify, "send_mail", send_mail)
    failed = job_work(worker="w")
    assert failed is not None and failed.state == JobState.QUEUED and "mail server down" in failed.last_error
    assert failed.cursor == {"sent": [files[0].pk]} and [m.to for m in mail.outbox] == [["m0@example.ma"]]
    broken["to"] = ""
    Job.objects.filter(pk=failed.pk).update(run_after=None)  # the backoff is over
    done = job_work(worker="w")
    assert done is not None and done.state == JobState.DONE
    assert [m.to[0] for m in mail.outbox] == ["m0@example.ma", "m1@example.ma", "m2@example.ma"]


def test_a_file_deleted_before_the_worker_runs_is_skipped() -> None:
    files = _files(2)
    claims_notify_enqueue(claim_ids=[f.pk for f in files], event="approved")
    ClaimFile.objects.filter(pk=files[0].pk).delete()
    done = job_work(worker="w")
    assert done is not None and done.state == JobState.DONE and [m.to for m in mail.outbox] == [["m1@example.ma"]]


def test_nothing_is_queued_when_notifications_are_off(settings: Any) -> None:
    settings.CLAIMS_NOTIFY = False
    claims_notify_enqueue(claim_ids=[1, 2], event="paid")
    assert _notify_jobs() == []


SENDERS = {"send_mail", "send_mass_mail", "sms_send"}


def test_only_the_outbox_handler_sends_mail_or_sms() -> None:
    """No request path can notify a member itself: send_mail and sms_send are called in one module."""
    import ast

    from django.conf import settings as django_settings

    root = Path(django_settings.BASE_DIR)
    skip = {".venv", "node_modules", "static", ".git", "tests", "migrations", "__pycache__"}
    callers = set()
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in skip]
        for name in (f for f in files if f.endswith(".py")):
            path = Path(folder) / name
            parts = path.relative_to(root).parts
            calls = [n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.Call)]
            if any((getattr(c.func, "id", None) or getattr(c.func, "attr", None)) in SENDERS for c in calls):
                callers.add("/".join(parts))
    assert callers == {"claims/services/notify.py"}
