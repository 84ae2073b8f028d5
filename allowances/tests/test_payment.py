"""Allowances paid through the payment batches: one payment per share to the heir's RIB, four eyes on
the batch, paid by the bank's return, nothing paid twice (a database constraint), and a rejected or
cancelled share payable again (a rejected RIB only once corrected)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from allowances.models import AllowanceRequest, AllowanceShare, RequestState, SharePayment, ShareState
from allowances.services.decisions import allowance_request_approve, allowance_request_check
from allowances.services.requests import (
    ShareInput,
    allowance_request_create,
    allowance_share_rib_correct,
    allowance_shares_set,
)
from allowances.tests.conftest import arrears_make
from allowances.tests.factories import death_type, documents_complete, family_make, rib_make
from payments.models import BatchKind, Fund, FundEntry, Payment, PaymentState
from payments.services import (
    PaymentError,
    payment_batch_cancel,
    payment_batch_export,
    payment_batch_prepare,
    payment_batch_validate,
    payment_return_import,
)
from payments.services.batches import batch_file

pytestmark = pytest.mark.django_db


def _approved(agents: dict[str, Any], *, arrears: bool = True, n0: int = 300) -> AllowanceRequest:
    member = family_make(children=2)
    if arrears:
        arrears_make(member, months=[dt.date(2026, 3, 1), dt.date(2026, 4, 1)], amount="60.00")
    request = allowance_request_create(actor=agents["reception"], member=member, type=death_type(),
                                       event_date=dt.date(2026, 6, 15), claimant_name="Khadija Alaoui")  # fmt: skip
    payees = [ShareInput(s.relation, s.name, s.name_ar, rib_make(n0 + i), 1, s.beneficiary_id, s.birth_date)
              for i, s in enumerate(request.shares.order_by("rank"))]  # fmt: skip
    allowance_shares_set(actor=agents["reception"], request=request, payees=payees)
    documents_complete(actor=agents["reception"], request=request)
    checked = allowance_request_check(actor=agents["checker"], request=request)
    return allowance_request_approve(actor=agents["approver"], request=checked)


def _csv(*rows: str) -> bytes:
    return ("end_to_end_id;status;reason_code;value_date\n" + "\n".join(rows) + "\n").encode()


def test_it_pays_each_share_to_its_heir_through_a_batch(agents: dict[str, Any]) -> None:
    request = _approved(agents)
    batch = payment_batch_prepare(actor=agents["approver"], kind=BatchKind.ALLOWANCE_TRANSFER)
    # 49,880.00 in three payments: 16,626.68 + 16,626.66 + 16,626.66, each to the heir's RIB.
    payments = list(batch.payments.order_by("pk"))
    assert [p.amount for p in payments] == [Decimal("16626.68"), Decimal("16626.66"), Decimal("16626.66")]
    assert [p.rib for p in payments] == [rib_make(300), rib_make(301), rib_make(302)]
    assert batch.total == batch.total_solidarity == Decimal("49880.00") and batch.total_amo == 0
    request.refresh_from_db()
    assert request.state == RequestState.IN_PAYMENT
    # Four eyes on the batch as for claims: its preparer cannot validate it.
    with pytest.raises(PaymentError):
        payment_batch_validate(actor=agents["approver"], batch=batch)
    payment_batch_validate(actor=agents["approver2"], batch=batch)
    xml = payment_batch_export(actor=agents["approver"], batch=batch)
    assert b"16626.68" in xml and batch_file(batch, "xml") == xml
    data = _csv(*(f"{p.end_to_end_id};PAID;;2026-08-03" for p in payments))
    payment_return_import(actor=agents["approver"], data=data, file_name="return.csv")
    request.refresh_from_db()
    assert request.state == RequestState.PAID
    assert set(request.shares.values_list("state", flat=True)) == {ShareState.PAID}
    # Booked once in the solidarity fund.
    assert sorted(FundEntry.objects.values_list("fund", "amount")) == [
        (Fund.SOLIDARITY, Decimal("16626.66")), (Fund.SOLIDARITY, Decimal("16626.66")),
        (Fund.SOLIDARITY, Decimal("16626.68"))]  # fmt: skip


def test_it_never_pays_a_share_twice(agents: dict[str, Any]) -> None:
    _approved(agents, arrears=False)
    first = payment_batch_prepare(actor=agents["approver"], kind=BatchKind.ALLOWANCE_TRANSFER)
    assert first.payment_count == 3
    # A second batch finds nothing to pay.
    with pytest.raises(PaymentError) as exc:
        payment_batch_prepare(actor=agents["approver"], kind=BatchKind.ALLOWANCE_TRANSFER)
    assert exc.value.code == "nothing"
    # And the database refuses a second live payment of the same share.
    link = SharePayment.objects.first()
    assert link is not None
    other = Payment.objects.exclude(pk=link.payment_id).first()
    assert other is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        SharePayment.objects.filter(pk=link.pk).update(payment=other)  # the OneToOne: one payment, one share
    with pytest.raises(IntegrityError), transaction.atomic():
        SharePayment.objects.create(share_id=link.share_id, payment=other, member_id=link.member_id)


def test_it_resumes_a_preparation_killed_between_chunks_to_the_same_result(agents: dict[str, Any]) -> None:
    from payments.services.prepare import payment_batch_prepare_chunk, payment_batch_prepare_run, payment_batch_start

    _approved(agents, arrears=False)
    batch = payment_batch_start(actor=agents["approver"], kind=BatchKind.ALLOWANCE_TRANSFER)
    with transaction.atomic():
        payment_batch_prepare_chunk(actor=agents["approver"], batch=batch, cursor=None, size=1)
    # Killed here; the job runs again from the start.
    payment_batch_prepare_run(actor=agents["approver"], batch=batch, chunk_size=1)
    batch.refresh_from_db()
    assert batch.payment_count == 3 and batch.total == Decimal("50000.00")
    refs = list(batch.payments.order_by("pk").values_list("end_to_end_id", flat=True))
    assert refs == [f"{batch.number}-{i:07d}" for i in (1, 2, 3)]


def test_it_pays_a_cancelled_batch_s_shares_in_the_next_one(agents: dict[str, Any]) -> None:
    request = _approved(agents, arrears=False)
    first = payment_batch_prepare(actor=agents["approver"], kind=BatchKind.ALLOWANCE_TRANSFER)
    payment_batch_cancel(actor=agents["approver"], batch=first)
    request.refresh_from_db()
    assert request.state == RequestState.APPROVED
    second = payment_batch_prepare(actor=agents["approver"], kind=BatchKind.ALLOWANCE_TRANSFER)
    assert second.payment_count == 3 and second.total == Decimal("50000.00")


def test_it_waits_for_a_new_rib_after_the_bank_rejects_a_share(agents: dict[str, Any]) -> None:
    request = _approved(agents, arrears=False)
    batch = payment_batch_prepare(actor=agents["approver"], kind=BatchKind.ALLOWANCE_TRANSFER)
    payment_batch_validate(actor=agents["approver2"], batch=batch)
    payment_batch_export(actor=agents["approver"], batch=batch)
    ok, bad, ok2 = batch.payments.order_by("pk")
    data = _csv(f"{ok.end_to_end_id};PAID;;", f"{bad.end_to_end_id};REJECTED;AC04;", f"{ok2.end_to_end_id};PAID;;")
    payment_return_import(actor=agents["approver"], data=data, file_name="r.csv")
    bad.refresh_from_db()
    assert bad.state == PaymentState.REJECTED
    request.refresh_from_db()
    assert request.state == RequestState.IN_PAYMENT
    with pytest.raises(PaymentError):  # the same RIB would be rejected again
        payment_batch_prepare(actor=agents["approver"], kind=BatchKind.ALLOWANCE_TRANSFER)
    share = AllowanceShare.objects.get(rib=bad.rib)
    allowance_share_rib_correct(actor=agents["reception"], share=share, rib=rib_make(399))  # the family brings another
    again = payment_batch_prepare(actor=agents["approver"], kind=BatchKind.ALLOWANCE_TRANSFER)
    assert [(p.rib, p.amount) for p in again.payments.all()] == [(rib_make(399), bad.amount)]
