"""A bank return pays many files in one request: it queues their notifications, the worker sends them."""

from __future__ import annotations

import math
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from claims.models import ClaimFile, ClaimStatus
from claims.services.notify import NOTIFY, event_of
from jobs.models import Job, JobState
from jobs.services import job_work
from members import outbox
from members.models import Member
from payments.models import BatchKind, Payment
from payments.services import payment_batch_export, payment_batch_prepare, payment_batch_validate
from payments.tests.factories import claim_make, member_make

pytestmark = pytest.mark.django_db

FILES = 5
PER_JOB = 2  # ⌈5 / 2⌉ = 3 jobs; the real size (500) is checked by claims' outbox tests


def test_a_bank_return_queues_the_notifications_and_the_worker_sends_each_once(
    accountants: tuple[Any, Any], monkeypatch: Any, tmp_path: Any, settings: Any
) -> None:
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    monkeypatch.setattr(outbox, "ITEMS_PER_JOB", PER_JOB)
    members = [member_make() for _ in range(FILES)]
    for i, member in enumerate(members):
        Member.objects.filter(pk=member.pk).update(email=f"paid{i}@example.ma", phone="")
        claim_make(member, amo="80.00", complementary="10.00")
    preparer, validator = accountants
    batch = payment_batch_prepare(actor=preparer, kind=BatchKind.MEMBER_TRANSFER)
    payment_batch_validate(actor=validator, batch=batch)
    payment_batch_export(actor=preparer, batch=batch)
    Job.objects.filter(kind=NOTIFY).delete()  # what the steps before queued is not this test's subject
    refs = list(Payment.objects.filter(batch=batch).values_list("end_to_end_id", flat=True))
    data = "end_to_end_id;status;reason_code\n" + "".join(f"{r};PAID;\n" for r in refs)
    mail.outbox.clear()

    client = Client()
    client.force_login(validator)
    response = client.post(reverse("payments:returns"), {"file": SimpleUploadedFile("ret.csv", data.encode())})

    assert response.status_code == 302
    assert ClaimFile.objects.filter(status=ClaimStatus.PAID).count() == FILES
    jobs = list(Job.objects.filter(kind=NOTIFY, params__event=event_of(ClaimStatus.PAID)).order_by("id"))
    assert len(jobs) == math.ceil(FILES / PER_JOB) and all(j.state == JobState.QUEUED for j in jobs)
    assert mail.outbox == []  # nothing sent inside the request
    while job_work(worker="w", kinds=[NOTIFY]) is not None:
        pass
    assert sorted(m.to[0] for m in mail.outbox) == [f"paid{i}@example.ma" for i in range(FILES)]
