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
from claims.services.notify import NOTIFY, FileOfMember, claims_notify_enqueue
from claims.services.workflow import CHECKLIST
from claims.tests.factories import CONSULTATION, file_make, member_make
from jobs.models import Job, JobState
from jobs.services import job_work
from members import outbox

pytestmark = pytest.mark.django_db


def _files(n: int) -> list[ClaimFile]:
    return [
        file_make(member=member_make(email=f"m{i}@example.ma", phone=f"06000000{i:02d}"), lines=[CONSULTATION])
        for i in range(n)
    ]


def _of(files: list[ClaimFile]) -> list[FileOfMember]:
    return [FileOfMember(f.pk, f.member_id) for f in files]


def _notify_jobs() -> list[Job]:
    return list(Job.objects.filter(kind=NOTIFY).order_by("id"))


def _sms(settings: Any) -> list[str]:
    path = Path(settings.SMS_FILE_PATH)
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_it_queues_one_item_per_file_500_per_job_and_sends_nothing() -> None:
    files = [FileOfMember(pk, 10_000 + pk) for pk in range(1, 1202)]
    with transaction.atomic():
        claims_notify_enqueue(files=files, event="paid")
    jobs = _notify_jobs()
    assert len(jobs) == math.ceil(len(files) / 500) == 3
    assert [len(j.params["items"]) for j in jobs] == [500, 500, 201] == [j.items_total for j in jobs]
    items = [item for j in jobs for item in j.params["items"]]
    assert items == [[f.member_id, {"file": str(f.file_id)}] for f in files]
    assert {j.params["event"] for j in jobs} == {"claims.paid"}
    assert all(j.state == JobState.QUEUED for j in jobs) and mail.outbox == []


def test_calls_file_by_file_fill_the_open_job_instead_of_one_job_each(monkeypatch: Any) -> None:
    monkeypatch.setattr(outbox, "ITEMS_PER_JOB", 2)
    with transaction.atomic():
        for pk in (1, 1, 2, 3):  # a file twice in the open job: notified once
            claims_notify_enqueue(files=[FileOfMember(pk, 7)], event="paid")
        claims_notify_enqueue(files=[FileOfMember(1, 7)], event="approved")  # another event: its own job
    assert [
        (j.params["event"], [int(p["file"]) for _, p in j.params["items"]], j.items_total) for j in _notify_jobs()
    ] == [
        ("claims.paid", [1, 2], 2),
        ("claims.paid", [3], 1),
        ("claims.approved", [1], 1),
    ]


def test_the_worker_sends_each_notification_once(settings: Any) -> None:
    files = _files(3)
    claims_notify_enqueue(files=_of(files), event="approved")
    assert mail.outbox == [] and _sms(settings) == []
    done = job_work(worker="w")
    assert done is not None and done.state == JobState.DONE and done.items_done == 3 == done.items_total
    assert sorted(m.to[0] for m in mail.outbox) == ["m0@example.ma", "m1@example.ma", "m2@example.ma"]
    assert all(f.number in m.subject for f, m in zip(files, mail.outbox, strict=True))
    assert len(_sms(settings)) == 3
    assert job_work(worker="w") is None and len(mail.outbox) == 3


def test_a_returned_file_lists_the_pieces_missing_when_it_is_sent() -> None:
    (claim,) = _files(1)
    claims_notify_enqueue(files=_of([claim]), event="returned")
    ClaimFile.objects.filter(pk=claim.pk).update(missing_pieces=["prescription"])
    assert job_work(worker="w") is not None
    (sent,) = mail.outbox
    assert claim.number in sent.subject and str(CHECKLIST["prescription"]) in sent.body


def test_a_file_deleted_before_the_worker_runs_is_skipped() -> None:
    files = _files(2)
    claims_notify_enqueue(files=_of(files), event="approved")
    ClaimFile.objects.filter(pk=files[0].pk).delete()
    done = job_work(worker="w")
    assert done is not None and done.state == JobState.DONE and [m.to for m in mail.outbox] == [["m1@example.ma"]]


def test_nothing_is_queued_when_notifications_are_off(settings: Any) -> None:
    settings.CLAIMS_NOTIFY = False
    claims_notify_enqueue(files=[FileOfMember(1, 1), FileOfMember(2, 1)], event="paid")
    settings.CLAIMS_NOTIFY, settings.NOTIFY = True, False
    claims_notify_enqueue(files=[FileOfMember(1, 1)], event="paid")
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
    assert callers == {"members/outbox.py"}
