"""What a prepared batch writes, field by field (set-based SQL on PostgreSQL, row by row elsewhere)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from audit.models import AuditEvent
from claims.models import ClaimStatus, ClaimTransition
from members.rib import iban_from_rib
from payments.models import BatchKind, PaymentClaim
from payments.services import payment_batch_prepare
from payments.tests.factories import claim_make, member_make, provider_make

pytestmark = pytest.mark.django_db


def test_it_writes_iban_name_and_remittance_as_the_bank_expects(accountants: tuple[Any, Any]) -> None:
    # The RIB of the usual Moroccan example account; its IBAN check digits are 64:
    # 98 - (011519000001205000534921 followed by M=22 A=10 00) mod 97 = 64.
    member = member_make(rib="011519000001205000534921", first_name="Nadia")
    claims = [claim_make(member, amo="1.00", complementary="0.00") for _ in range(15)]

    batch = payment_batch_prepare(actor=accountants[0], kind=BatchKind.MEMBER_TRANSFER)

    payment = batch.payments.get()
    assert payment.iban == "MA64011519000001205000534921" == iban_from_rib(member.rib)
    assert payment.rib == member.rib
    assert payment.payee_name == "Nadia Bennani"
    # 15 numbers of 10 characters joined by ", ": 15 * 10 + 14 * 2 = 178, cut at 140
    assert payment.remittance == ", ".join(c.number for c in claims)[:140]
    assert len(payment.remittance) == 140
    # 15 files of 1.00
    assert (payment.amount, payment.amo, payment.complementary) == (Decimal("15.00"), Decimal("15.00"), Decimal("0"))


def test_it_records_each_claim_move_as_a_transition_and_an_audit_event(accountants: tuple[Any, Any]) -> None:
    preparer = accountants[0]
    member = member_make()
    first = claim_make(member, amo="10.00", complementary="2.50")
    second = claim_make(member, amo="4.00", complementary="0.00")

    batch = payment_batch_prepare(actor=preparer, kind=BatchKind.MEMBER_TRANSFER)

    payment = batch.payments.get()
    links = list(
        PaymentClaim.objects.order_by("claim_id").values_list("payment_id", "claim_id", "member_id", "amo", "live")
    )
    assert links == [
        (payment.pk, first.pk, member.pk, Decimal("10.00"), True),
        (payment.pk, second.pk, member.pk, Decimal("4.00"), True),
    ]
    transitions = ClaimTransition.objects.order_by("file_id").values_list(
        "file_id",
        "member_id",
        "from_status",
        "to_status",
        "version",
        "actor_id",
        "reason",
        "reason_code",
        "reason_params",
    )
    # The reason is its code and parameters; its text is rendered when shown, not stored in English.
    assert list(transitions) == [
        (c.pk, member.pk, ClaimStatus.APPROVED, ClaimStatus.IN_PAYMENT, 2, preparer.pk, "", "batch",
         {"number": batch.number})
        for c in (first, second)
    ]  # fmt: skip
    with translation.override("en"):
        assert ClaimTransition.objects.first().reason_shown == f"payment batch {batch.number}"
    events = AuditEvent.objects.filter(object_type="claims.claimfile").order_by("object_id")
    assert [(e.actor_id, e.action, e.object_id, e.member_id, e.before, e.after) for e in events] == [
        (
            preparer.pk,
            "transition",
            str(c.pk),
            member.pk,
            {"status": "approved", "version": 1},
            {"status": "in_payment", "version": 2},
        )
        for c in (first, second)
    ]


def test_it_numbers_payments_in_payee_order_across_chunks(accountants: tuple[Any, Any]) -> None:
    members = [member_make() for _ in range(5)]
    for member in reversed(members):
        claim_make(member, amo="3.00", complementary="1.00")

    batch = payment_batch_prepare(actor=accountants[0], kind=BatchKind.MEMBER_TRANSFER, chunk_size=2)

    rows = list(batch.payments.order_by("pk").values_list("member_id", "end_to_end_id"))
    assert rows == [(m.pk, f"{batch.number}-{i:07d}") for i, m in enumerate(members, start=1)]
    assert batch.payment_count == 5 and batch.total == Decimal("20.00")  # 5 x (3.00 + 1.00)


def test_it_pays_a_provider_with_the_iban_of_its_account(accountants: tuple[Any, Any]) -> None:
    provider = provider_make()
    claim_make(member_make(), amo="120.00", complementary="0.00", provider=provider)

    batch = payment_batch_prepare(actor=accountants[0], kind=BatchKind.PROVIDER_TRANSFER)

    payment = batch.payments.get()
    account_rib = provider.bank_account.rib
    assert (payment.provider_id, payment.member_id, payment.payee_name) == (provider.pk, None, provider.name)
    assert (payment.rib, payment.iban) == (account_rib, iban_from_rib(account_rib))
