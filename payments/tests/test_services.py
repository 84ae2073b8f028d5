from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from accounts.roles import Role
from audit.models import AuditEvent
from claims.models import ClaimFile, ClaimStatus, ClaimTransition
from payments.bankfiles import checksum_sha256
from payments.models import (
    BatchKind,
    BatchState,
    Fund,
    FundEntry,
    Payment,
    PaymentBatch,
    PaymentClaim,
    PaymentState,
)
from payments.services import (
    PaymentError,
    payment_batch_cancel,
    payment_batch_confirm,
    payment_batch_export,
    payment_batch_prepare,
    payment_batch_settle_chunk,
    payment_batch_validate,
)
from payments.tests.factories import claim_make, member_make, provider_make

pytestmark = pytest.mark.django_db


def test_it_gathers_one_payment_per_payee_with_hand_worked_totals(accountants: tuple[Any, Any]) -> None:
    preparer, _ = accountants
    a, b, no_rib = member_make(), member_make(), member_make(rib="")
    c1 = claim_make(a, amo="80.00", complementary="10.00")
    c2 = claim_make(a, amo="140.25", complementary="40.50")
    c3 = claim_make(b, amo="0.00", complementary="25.50")
    claim_make(no_rib, amo="50.00", complementary="0.00")
    claim_make(b, amo="70.00", complementary="0.00", status=ClaimStatus.ADJUDICATED)
    claim_make(member_make(), amo="99.00", complementary="0.00", provider=provider_make())

    batch = payment_batch_prepare(actor=preparer, kind=BatchKind.MEMBER_TRANSFER)

    assert batch.state == BatchState.PREPARED and batch.number == f"PB{batch.pk:08d}"
    payments = list(batch.payments.order_by("pk"))
    # a: 80.00 + 10.00 + 140.25 + 40.50 = 270.75 (AMO 220.25, complementary 50.50); b: 25.50
    assert [(p.member_id, p.amount, p.amo, p.complementary) for p in payments] == [
        (a.pk, Decimal("270.75"), Decimal("220.25"), Decimal("50.50")),
        (b.pk, Decimal("25.50"), Decimal("0.00"), Decimal("25.50")),
    ]
    assert (batch.payment_count, batch.total, batch.total_amo, batch.total_complementary) == (
        2,
        Decimal("296.25"),
        Decimal("220.25"),
        Decimal("76.00"),
    )
    assert payments[0].rib == a.rib and payments[0].iban.startswith("MA") and payments[0].iban.endswith(a.rib)
    assert payments[0].payee_name == "Fatima Bennani"
    assert payments[0].remittance == f"{c1.number}, {c2.number}"
    assert payments[0].end_to_end_id == f"{batch.number}-0000001"
    for claim in (c1, c2, c3):
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.IN_PAYMENT and claim.version == 2
    assert ClaimTransition.objects.filter(to_status=ClaimStatus.IN_PAYMENT).count() == 3
    assert AuditEvent.objects.filter(object_type="payments.paymentbatch", action="prepared").count() == 1


def test_it_sends_members_without_rib_to_postal_orders_and_tiers_payant_to_providers(
    accountants: tuple[Any, Any],
) -> None:
    preparer, _ = accountants
    no_rib = member_make(rib="")
    claim_make(no_rib, amo="50.00", complementary="5.00")
    provider = provider_make()
    claim_make(member_make(), amo="300.00", complementary="0.00", provider=provider)
    claim_make(member_make(), amo="200.00", complementary="12.00", provider=provider)
    claim_make(member_make(), amo="10.00", complementary="0.00", provider=provider_make(rib=None))

    postal = payment_batch_prepare(actor=preparer, kind=BatchKind.POSTAL_ORDER)
    providers = payment_batch_prepare(actor=preparer, kind=BatchKind.PROVIDER_TRANSFER)

    assert [(p.member_id, p.amount, p.iban) for p in postal.payments.all()] == [(no_rib.pk, Decimal("55.00"), "")]
    # 300.00 + 200.00 + 12.00 = 512.00 in one transfer to the clinic
    assert [(p.provider_id, p.amount) for p in providers.payments.all()] == [(provider.pk, Decimal("512.00"))]
    with pytest.raises(PaymentError) as exc:
        payment_batch_prepare(actor=preparer, kind=BatchKind.PROVIDER_TRANSFER)
    assert exc.value.code == "nothing"


def test_it_refuses_the_preparer_as_validator(accountants: tuple[Any, Any]) -> None:
    preparer, validator = accountants
    claim_make(member_make(), amo="10.00", complementary="0.00")
    batch = payment_batch_prepare(actor=preparer, kind=BatchKind.MEMBER_TRANSFER)
    with pytest.raises(PaymentError) as exc:
        payment_batch_validate(actor=preparer, batch=batch)
    assert exc.value.code == "four_eyes"
    with translation.override("en"):
        assert "another accountant" in str(exc.value.message)
    batch.refresh_from_db()
    assert batch.state == BatchState.PREPARED and batch.validated_by is None
    assert payment_batch_validate(actor=validator, batch=batch).validated_by == validator


def test_it_enforces_four_eyes_in_the_database(accountants: tuple[Any, Any]) -> None:
    preparer, _ = accountants
    claim_make(member_make(), amo="10.00", complementary="0.00")
    batch = payment_batch_prepare(actor=preparer, kind=BatchKind.MEMBER_TRANSFER)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentBatch.objects.filter(pk=batch.pk).update(validated_by=preparer, state=BatchState.VALIDATED)


def test_it_allows_one_live_payment_per_claim_in_the_database(accountants: tuple[Any, Any]) -> None:
    preparer, _ = accountants
    claim = claim_make(member_make(), amo="10.00", complementary="0.00")
    batch = payment_batch_prepare(actor=preparer, kind=BatchKind.MEMBER_TRANSFER)
    payment = batch.payments.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentClaim.objects.create(payment=payment, claim=claim, member_id=claim.member_id, amo=Decimal("1.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(amount=Decimal("0.00"), amo=Decimal("0.00"))


def _exported(accountants: tuple[Any, Any], kind: str = BatchKind.MEMBER_TRANSFER) -> PaymentBatch:
    preparer, validator = accountants
    batch = payment_batch_prepare(actor=preparer, kind=kind)
    payment_batch_validate(actor=validator, batch=batch)
    payment_batch_export(actor=preparer, batch=batch, fmt="csv")
    batch.refresh_from_db()
    return batch


def test_it_exports_the_same_bytes_twice_and_records_the_checksum(accountants: tuple[Any, Any]) -> None:
    preparer, validator = accountants
    claim_make(member_make(), amo="10.00", complementary="2.50")
    batch = payment_batch_prepare(actor=preparer, kind=BatchKind.MEMBER_TRANSFER)
    with pytest.raises(PaymentError):
        payment_batch_export(actor=preparer, batch=batch)  # not validated yet
    payment_batch_validate(actor=validator, batch=batch)
    first = payment_batch_export(actor=preparer, batch=batch)
    second = payment_batch_export(actor=validator, batch=batch)
    batch.refresh_from_db()
    assert first == second and batch.xml_sha256 == checksum_sha256(first)
    assert b"<CtrlSum>12.50</CtrlSum>" in first
    assert batch.state == BatchState.EXPORTED
    assert set(batch.payments.values_list("state", flat=True)) == {PaymentState.EXPORTED}
    assert AuditEvent.objects.filter(object_type="payments.paymentbatch", action="exported").count() == 2


def test_it_refuses_a_second_confirmation(accountants: tuple[Any, Any]) -> None:
    claim_make(member_make(), amo="10.00", complementary="0.00")
    batch = _exported(accountants)
    payment_batch_confirm(actor=accountants[1], batch=batch)
    with pytest.raises(PaymentError) as exc:
        payment_batch_confirm(actor=accountants[1], batch=batch)
    assert exc.value.code == "already_confirmed"
    assert AuditEvent.objects.filter(object_type="payments.paymentbatch", action="confirmed").count() == 1


def test_it_pays_postal_orders_on_confirmation_into_separate_funds(accountants: tuple[Any, Any]) -> None:
    claim = claim_make(member_make(rib=""), amo="50.00", complementary="5.00")
    batch = _exported(accountants, kind=BatchKind.POSTAL_ORDER)
    with pytest.raises(PaymentError):
        payment_batch_export(actor=accountants[0], batch=batch, fmt="xml")
    batch = payment_batch_confirm(actor=accountants[1], batch=batch)
    with transaction.atomic():
        assert payment_batch_settle_chunk(actor=accountants[1], batch=batch) is True
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID
    assert sorted(FundEntry.objects.values_list("fund", "amount")) == [
        (Fund.AMO, Decimal("50.00")),
        (Fund.COMPLEMENTARY, Decimal("5.00")),
    ]


def test_it_cancels_a_batch_and_frees_its_claims(accountants: tuple[Any, Any]) -> None:
    preparer, _ = accountants
    claim = claim_make(member_make(), amo="10.00", complementary="0.00")
    batch = payment_batch_prepare(actor=preparer, kind=BatchKind.MEMBER_TRANSFER)
    payment_batch_cancel(actor=preparer, batch=batch)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    again = payment_batch_prepare(actor=preparer, kind=BatchKind.MEMBER_TRANSFER)
    assert again.payments.get().claim_links.get().claim_id == claim.pk


def test_it_refuses_people_without_the_permission(make_user: Any) -> None:
    claim_make(member_make(), amo="10.00", complementary="0.00")
    for role in (Role.CLAIMS_OFFICER, Role.AUDITOR, Role.MEMBER):
        with pytest.raises(PaymentError) as exc:
            payment_batch_prepare(actor=make_user(role), kind=BatchKind.MEMBER_TRANSFER)
        assert exc.value.code == "forbidden"
    assert not PaymentBatch.objects.exists()
    assert ClaimFile.objects.get().status == ClaimStatus.APPROVED
