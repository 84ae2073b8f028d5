"""A payment appeal upheld is re-issued through payments' requeue service; the database refuses
grievances that break the invariants; the queue's query count does not grow with its length."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from claims.models import ClaimStatus
from grievances.models import AnswerReason, Channel, Grievance, Kind, Outcome
from grievances.services import (
    Answer,
    Contested,
    GrievanceError,
    grievance_answer,
    grievance_file,
    grievance_review_start,
)
from grievances.tests.factories import NOW, category, member_with_rib
from payments.models import BatchKind, PaymentState
from payments.services import payment_batch_export, payment_batch_prepare, payment_batch_validate, payment_return_import
from payments.tests.factories import claim_make, rib_make

pytestmark = pytest.mark.django_db


def test_it_reissues_a_rejected_payment_when_the_appeal_is_upheld(make_user: Any) -> None:
    preparer, validator = make_user(Role.ACCOUNTANT), make_user(Role.ACCOUNTANT)
    member = member_with_rib(user=make_user(Role.MEMBER))
    claim = claim_make(member, amo="80.00", complementary="10.00")
    batch = payment_batch_prepare(actor=preparer, kind=BatchKind.MEMBER_TRANSFER)
    payment_batch_validate(actor=validator, batch=batch)
    payment_batch_export(actor=preparer, batch=batch)
    payment = batch.payments.get()
    csv = f"end_to_end_id;status;reason_code;value_date\n{payment.end_to_end_id};REJECTED;AC04;\n".encode()
    payment_return_import(actor=preparer, data=csv, file_name="return.csv")
    payment.refresh_from_db()
    assert payment.state == PaymentState.REJECTED
    appeal = grievance_file(actor=member.user, member=member, kind=Kind.APPEAL, category=category("payment-decision"),
                            channel=Channel.PORTAL, text="My account was closed; here is the new one.",
                            contested=Contested(payment=payment), now=NOW)  # fmt: skip
    appeal = grievance_review_start(actor=preparer, grievance=appeal)
    upheld = Answer(Outcome.UPHELD, AnswerReason.PAYMENT_REISSUED, "Paid again to your new account.")
    with pytest.raises(GrievanceError) as exc:  # the RIB is still the one the bank rejected
        grievance_answer(actor=validator, grievance=appeal, answer=upheld)
    assert exc.value.code == "rib"
    member.rib = rib_make(900_000 + member.pk)
    member.save(update_fields=["rib"])
    grievance_answer(actor=validator, grievance=appeal, answer=upheld)
    payment.refresh_from_db()
    claim.refresh_from_db()
    assert payment.requeued_at is not None and claim.status == ClaimStatus.APPROVED  # in the next batch


def test_it_refuses_broken_grievances_in_the_database(make_user: Any) -> None:
    member = member_with_rib()
    g = grievance_file(actor=make_user(Role.RECEPTION), member=member, kind=Kind.COMPLAINT, category=category("delay"),
                       channel=Channel.COUNTER, text="Late.", now=NOW)  # fmt: skip
    for change in ({"kind": Kind.APPEAL}, {"status": "answered"}, {"outcome": "upheld"}, {"channel": "fax"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Grievance.objects.filter(pk=g.pk).update(**change)
    other = grievance_file(actor=None, member=member, kind=Kind.COMPLAINT, category=category("delay"),
                           channel=Channel.COUNTER, text="Again.", now=NOW)  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Grievance.objects.filter(pk=other.pk).update(number=g.number)


def test_it_reads_the_queue_in_a_fixed_number_of_queries(client: Any, make_user: Any) -> None:
    agent = make_user(Role.RECEPTION)
    client.force_login(make_user(Role.CLAIMS_OFFICER))

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("grievances:queue")).status_code == 200
        return len(ctx.captured_queries)

    grievance_file(actor=agent, member=member_with_rib(), kind=Kind.COMPLAINT, category=category("delay"),
                   channel=Channel.COUNTER, text="One.", now=timezone.now())  # fmt: skip
    one = queries()
    for _ in range(8):
        grievance_file(actor=agent, member=member_with_rib(), kind=Kind.COMPLAINT, category=category("reception"),
                       channel=Channel.PHONE, text="More.", now=timezone.now())  # fmt: skip
    assert queries() == one
