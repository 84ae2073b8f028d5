"""The members' notification outbox: queued in the caller's transaction, batched, sent by the worker once."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation

from accounts.models import User
from jobs.models import Job, JobState
from jobs.services import job_work
from members import outbox
from members.models import Member
from members.outbox import NOTIFY, Notification, notification_event_register, notifications_enqueue
from members.tests.registry_factories import member_make

pytestmark = pytest.mark.django_db

EVENT = "tests.hello"


def _render(member: Member, params: Mapping[str, str]) -> Notification:
    if params.get("gone"):
        raise Member.DoesNotExist  # what the notification is about was deleted meanwhile
    lang = translation.get_language()
    return Notification(f"[{lang}] {member.membership_number}", f"body {params.get('n', '')}", f"sms {lang}")


@pytest.fixture(autouse=True)
def _event(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    notification_event_register(EVENT, _render)
    yield


def _jobs() -> list[Job]:
    return list(Job.objects.filter(kind=NOTIFY).order_by("id"))


def _members(n: int) -> list[Member]:
    return [member_make(email=f"m{i}@example.ma", phone=f"06000000{i:02d}") for i in range(n)]


def _sms(settings: Any) -> list[str]:
    path = Path(settings.SMS_FILE_PATH)
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_it_queues_one_job_per_500_members_and_sends_nothing() -> None:
    ids = list(range(1, 1202))
    with transaction.atomic():
        queued = notifications_enqueue(event=EVENT, member_ids=ids, params={"n": "1"})
    jobs = _jobs()
    assert queued == len(jobs) == math.ceil(len(ids) / 500) == 3
    assert [len(j.params["items"]) for j in jobs] == [500, 500, 201] == [j.items_total for j in jobs]
    assert [m for j in jobs for m, _ in j.params["items"]] == ids and {j.params["event"] for j in jobs} == {EVENT}
    assert all(j.state == JobState.QUEUED for j in jobs) and mail.outbox == []


def test_it_fills_the_open_job_instead_of_one_job_per_call(monkeypatch: Any) -> None:
    monkeypatch.setattr(outbox, "ITEMS_PER_JOB", 2)
    with transaction.atomic():
        counts = [notifications_enqueue(event=EVENT, member_ids=[pk], params={"n": "1"}) for pk in (1, 1, 2, 3)]
        notifications_enqueue(event=EVENT, member_ids=[1], params={"n": "2"})  # other params: another item
    assert counts == [1, 0, 0, 1]  # the same member twice with the same params: queued once
    assert [(j.params["items"], j.items_total) for j in _jobs()] == [
        ([[1, {"n": "1"}], [2, {"n": "1"}]], 2),
        ([[3, {"n": "1"}], [1, {"n": "2"}]], 2),
    ]


def test_it_leaves_alone_a_job_the_worker_took() -> None:
    notifications_enqueue(event=EVENT, member_ids=[1])
    Job.objects.filter(kind=NOTIFY).update(state=JobState.RUNNING, locked_by="w")
    notifications_enqueue(event=EVENT, member_ids=[2])
    assert [j.params["items"] for j in _jobs()] == [[[1, {}]], [[2, {}]]]


def test_it_queues_nothing_when_the_transaction_rolls_back() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        notifications_enqueue(event=EVENT, member_ids=[1, 2, 3])
        raise RuntimeError("the state change fails after the notifications were queued")
    assert _jobs() == []


def test_it_refuses_an_event_nobody_registered() -> None:
    with pytest.raises(LookupError):
        notifications_enqueue(event="tests.unknown", member_ids=[1])


def test_it_queues_nothing_when_notifications_are_off(settings: Any) -> None:
    settings.NOTIFY = False
    assert notifications_enqueue(event=EVENT, member_ids=[1, 2]) == 0 and _jobs() == []


def test_it_sends_each_notification_once_in_the_members_language(settings: Any) -> None:
    members = _members(3)
    user = User.objects.create_user(username="arabic", password="x", preferred_language="ar")
    Member.objects.filter(pk=members[2].pk).update(user=user)
    notifications_enqueue(event=EVENT, member_ids=[m.pk for m in members], params={"n": "7"})
    assert mail.outbox == [] and _sms(settings) == []
    done = job_work(worker="w")
    assert done is not None and done.state == JobState.DONE and done.items_done == 3 == done.items_total
    sent = {m.to[0]: m for m in mail.outbox}
    assert sorted(sent) == ["m0@example.ma", "m1@example.ma", "m2@example.ma"]
    assert sent["m0@example.ma"].subject == f"[{settings.LANGUAGE_CODE}] {members[0].membership_number}"
    assert sent["m2@example.ma"].subject == f"[ar] {members[2].membership_number}"
    assert {m.body for m in mail.outbox} == {"body 7"}
    assert len(_sms(settings)) == 3 and sum("sms ar" in line for line in _sms(settings)) == 1
    assert job_work(worker="w") is None and len(mail.outbox) == 3


def test_it_resumes_an_interrupted_job_without_sending_twice(settings: Any) -> None:
    members = _members(3)
    notifications_enqueue(event=EVENT, member_ids=[m.pk for m in members])
    # A worker killed after its first chunk committed: the first item is recorded as sent.
    Job.objects.filter(kind=NOTIFY).update(cursor={"sent": 1}, items_done=1)
    resumed = job_work(worker="rescuer")
    assert resumed is not None and resumed.state == JobState.DONE
    assert sorted(m.to[0] for m in mail.outbox) == ["m1@example.ma", "m2@example.ma"]
    assert resumed.cursor == {"sent": 3} and len(_sms(settings)) == 2


def test_it_keeps_what_was_sent_before_a_send_that_fails(monkeypatch: Any) -> None:
    monkeypatch.setattr(outbox, "SENDS_PER_CHUNK", 10)
    members = _members(3)
    notifications_enqueue(event=EVENT, member_ids=[m.pk for m in members])
    real_send = outbox.send_mail
    broken = {"to": "m1@example.ma"}

    def send_mail(subject: str, body: str, sender: Any, to: list[str]) -> int:
        if to == [broken["to"]]:
            raise ConnectionError("mail server down")
        return int(real_send(subject, body, sender, to))

    monkeypatch.setattr(outbox, "send_mail", send_mail)
    failed = job_work(worker="w")
    assert failed is not None and failed.state == JobState.QUEUED and "mail server down" in failed.last_error
    assert failed.cursor == {"sent": 1} and [m.to for m in mail.outbox] == [["m0@example.ma"]]
    broken["to"] = ""
    Job.objects.filter(pk=failed.pk).update(run_after=None)  # the backoff is over
    done = job_work(worker="w")
    assert done is not None and done.state == JobState.DONE
    assert [m.to[0] for m in mail.outbox] == ["m0@example.ma", "m1@example.ma", "m2@example.ma"]


def test_it_skips_a_deleted_member_or_subject() -> None:
    members = _members(3)
    notifications_enqueue(event=EVENT, member_ids=[members[0].pk, members[1].pk])
    notifications_enqueue(event=EVENT, member_ids=[members[2].pk], params={"gone": "1"})
    Member.objects.filter(pk=members[0].pk).delete()
    done = job_work(worker="w")
    assert done is not None and done.state == JobState.DONE and done.items_done == 3
    assert [m.to for m in mail.outbox] == [["m1@example.ma"]]
