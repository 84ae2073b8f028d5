"""The payment pages only queue their jobs (the worker runs them) and follow the very job they queued."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import ClaimStatus
from jobs.models import Job, JobState
from jobs.services import job_work
from payments.job_handlers import PREPARE, SETTLE
from payments.models import BatchKind, BatchState, PaymentBatch, PaymentState
from payments.services import (
    payment_batch_export,
    payment_batch_prepare,
    payment_batch_prepare_enqueue,
    payment_batch_validate,
)
from payments.services.batches import payment_batch_confirm_enqueue
from payments.tests.factories import claim_make, member_make

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _followed(response: Any) -> list[int]:
    return [int(i) for i in parse_qs(urlsplit(response["Location"]).query).get("job", [])]


def test_preparing_a_batch_queues_its_job_and_follows_that_job(accountants: tuple[Any, Any]) -> None:
    claim_make(member_make(), amo="80.00", complementary="10.00")
    older = Job.objects.create(kind=PREPARE, params={"batch_id": 0})  # another run, queued earlier
    client = _client(accountants[0])

    response = client.post(reverse("payments:prepare"), {"kind": BatchKind.MEMBER_TRANSFER})

    batch = PaymentBatch.objects.get()
    job = Job.objects.exclude(pk=older.pk).get(kind=PREPARE)
    assert response.status_code == 302 and _followed(response) == [job.pk] and job.params["batch_id"] == batch.pk
    assert urlsplit(response["Location"]).path == reverse("payments:detail", args=[batch.pk])
    # Nothing ran in the request: both jobs wait for the worker, the batch is still empty.
    assert set(Job.objects.values_list("state", flat=True)) == {JobState.QUEUED}
    assert batch.state == BatchState.PREPARING and batch.payments.count() == 0

    page = client.get(response["Location"]).content.decode()
    assert 'id="job-progress"' in page and 'hx-trigger="every 2s"' in page
    job_work(worker="w", kinds=[PREPARE])  # the older, broken one, fails and backs off
    job_work(worker="w", kinds=[PREPARE])
    job.refresh_from_db()
    batch.refresh_from_db()
    assert job.state == JobState.DONE and job.items_done == 1 == job.items_total
    assert batch.state == BatchState.PREPARED and batch.payment_count == 1
    page = client.get(response["Location"]).content.decode()
    assert 'data-job-state="done"' in page and 'hx-trigger="every 2s"' not in page


def test_confirming_postal_orders_queues_their_settlement_instead_of_paying_in_the_request(
    accountants: tuple[Any, Any],
) -> None:
    preparer, validator = accountants
    claim = claim_make(member_make(rib=""), amo="50.00", complementary="5.00")
    batch = payment_batch_prepare(actor=preparer, kind=BatchKind.POSTAL_ORDER)
    payment_batch_validate(actor=validator, batch=batch)
    payment_batch_export(actor=preparer, batch=batch, fmt="csv")

    response = _client(validator).post(reverse("payments:action", args=[batch.pk, "confirm"]))

    job = Job.objects.get(kind=SETTLE)
    assert response.status_code == 302 and _followed(response) == [job.pk] and job.state == JobState.QUEUED
    assert batch.payments.get().state == PaymentState.EXPORTED  # not paid inside the request
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_PAYMENT
    done = job_work(worker="w", kinds=[SETTLE])
    assert done is not None and done.pk == job.pk and done.state == JobState.DONE
    assert (done.items_done, done.items_total) == (1, 1)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID and batch.payments.get().state == PaymentState.PAID


def test_a_member_transfer_confirmation_queues_nothing(accountants: tuple[Any, Any]) -> None:
    preparer, validator = accountants
    claim_make(member_make(), amo="50.00", complementary="5.00")
    batch = payment_batch_prepare(actor=preparer, kind=BatchKind.MEMBER_TRANSFER)
    payment_batch_validate(actor=validator, batch=batch)
    payment_batch_export(actor=preparer, batch=batch, fmt="xml")
    response = _client(validator).post(reverse("payments:action", args=[batch.pk, "confirm"]))
    assert response.status_code == 302 and _followed(response) == [] and not Job.objects.filter(kind=SETTLE).exists()


def test_a_batch_is_never_left_preparing_without_its_job(accountants: tuple[Any, Any], monkeypatch: Any) -> None:
    import jobs.services

    claim_make(member_make(), amo="80.00", complementary="10.00")

    def job_enqueue(**kwargs: Any) -> Job:
        raise RuntimeError("the job could not be queued")

    monkeypatch.setattr(jobs.services, "job_enqueue", job_enqueue)
    with pytest.raises(RuntimeError):
        payment_batch_prepare_enqueue(actor=accountants[0], kind=BatchKind.MEMBER_TRANSFER)
    assert not PaymentBatch.objects.exists()  # the batch rolled back with its job


def test_a_postal_batch_is_never_confirmed_without_its_settlement_queued(
    accountants: tuple[Any, Any], monkeypatch: Any
) -> None:
    import jobs.services

    preparer, validator = accountants
    claim_make(member_make(rib=""), amo="50.00", complementary="5.00")
    batch = payment_batch_prepare(actor=preparer, kind=BatchKind.POSTAL_ORDER)
    payment_batch_validate(actor=validator, batch=batch)
    payment_batch_export(actor=preparer, batch=batch, fmt="csv")

    def job_enqueue(**kwargs: Any) -> Job:
        raise RuntimeError("the job could not be queued")

    monkeypatch.setattr(jobs.services, "job_enqueue", job_enqueue)
    with pytest.raises(RuntimeError):
        payment_batch_confirm_enqueue(actor=validator, batch=batch)
    batch.refresh_from_db()
    assert batch.state == BatchState.EXPORTED  # the confirmation rolled back with its job
