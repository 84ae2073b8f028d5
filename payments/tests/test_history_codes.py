"""The claims' history of a payment run is written as codes, read in the reader's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from claims.models import ClaimTransition
from payments.models import BatchKind
from payments.services import (
    payment_batch_export,
    payment_batch_prepare,
    payment_batch_validate,
    payment_return_import,
)
from payments.tests.factories import claim_make, member_make, rib_make

pytestmark = pytest.mark.django_db


def test_it_records_the_batch_the_bank_return_and_the_requeue_as_codes(accountants: tuple[Any, Any]) -> None:
    preparer, validator = accountants
    paid_member, rejected_member = member_make(), member_make()
    paid_claim = claim_make(paid_member, amo="100.00", complementary="20.00")
    rejected_claim = claim_make(rejected_member, amo="40.00", complementary="0.00")
    batch = payment_batch_prepare(actor=preparer, kind=BatchKind.MEMBER_TRANSFER)
    payment_batch_validate(actor=validator, batch=batch)
    payment_batch_export(actor=preparer, batch=batch)
    paid, rejected = batch.payments.order_by("pk")
    data = "end_to_end_id;status;reason_code;value_date\n"
    data += f"{paid.end_to_end_id};PAID;;\n{rejected.end_to_end_id};RJCT;AC01;\n"
    payment_return_import(actor=preparer, data=data.encode(), file_name="retour.csv")
    rejected_member.rib = rib_make(99999, bank="007")
    rejected_member.save(update_fields=["rib"])
    payment_batch_prepare(actor=preparer, kind=BatchKind.MEMBER_TRANSFER)  # re-queues the corrected one first

    def history(claim_id: int) -> list[tuple[str, str, dict[str, Any]]]:
        rows = ClaimTransition.objects.filter(file_id=claim_id).order_by("version")
        return [(t.to_status, t.reason_code, t.reason_params) for t in rows]

    assert history(paid_claim.pk) == [
        ("in_payment", "batch", {"number": batch.number}),
        ("paid", "bank_return", {"file": "retour.csv"}),
    ]
    second = rejected_claim.payment_links.order_by("-pk").first()
    assert second is not None
    assert history(rejected_claim.pk) == [
        ("in_payment", "batch", {"number": batch.number}),
        ("approved", "requeue", {"payment": rejected.end_to_end_id}),
        ("in_payment", "batch", {"number": second.payment.batch.number}),
    ]
    with translation.override("fr"):
        shown = [t.reason_shown for t in ClaimTransition.objects.filter(file_id=paid_claim.pk).order_by("version")]
    assert shown == [f"lot de paiement {batch.number}", "retour bancaire retour.csv"]


def test_it_records_a_cancelled_batch_and_a_postal_order_as_codes(accountants: tuple[Any, Any]) -> None:
    from django.db import transaction

    from payments.services import payment_batch_cancel, payment_batch_confirm, payment_batch_settle_chunk

    preparer, validator = accountants
    cancelled_claim = claim_make(member_make(), amo="30.00", complementary="0.00")
    cancelled = payment_batch_prepare(actor=preparer, kind=BatchKind.MEMBER_TRANSFER)
    payment_batch_cancel(actor=preparer, batch=cancelled)
    postal_claim = claim_make(member_make(rib=""), amo="50.00", complementary="5.00")
    postal = payment_batch_prepare(actor=preparer, kind=BatchKind.POSTAL_ORDER)
    payment_batch_validate(actor=validator, batch=postal)
    payment_batch_export(actor=preparer, batch=postal, fmt="csv")
    postal = payment_batch_confirm(actor=validator, batch=postal)
    with transaction.atomic():
        assert payment_batch_settle_chunk(actor=validator, batch=postal) is True

    last = ClaimTransition.objects.filter(file_id=cancelled_claim.pk).order_by("-version").first()
    assert last is not None and (last.to_status, last.reason_code) == ("approved", "batch_cancelled")
    assert last.reason_params == {"number": cancelled.number}
    paid = ClaimTransition.objects.filter(file_id=postal_claim.pk).order_by("-version").first()
    assert paid is not None and (paid.to_status, paid.reason_code) == ("paid", "postal_order")
    with translation.override("fr"):
        assert paid.reason_shown == f"mandat postal {postal.number}"
    with translation.override("ar"):
        assert postal.number in paid.reason_shown and "postal" not in paid.reason_shown
