"""The payment method and date a claim file's statement shows, from its live payment."""

from __future__ import annotations

from typing import Any

import pytest

from claims.selectors_documents import METHOD_POSTAL, METHOD_TRANSFER, statement_payment
from payments.models import BatchKind
from payments.services import payment_batch_export, payment_batch_prepare, payment_batch_validate, payment_return_import
from payments.tests.factories import claim_make, member_make, rib_make

pytestmark = pytest.mark.django_db


def test_it_names_the_transfer_its_account_and_the_day_it_was_paid(accountants: tuple[Any, Any]) -> None:
    rib = rib_make(7)
    claim = claim_make(member_make(rib=rib), amo="80.00", complementary="20.00")
    before = statement_payment(claim)
    assert (before.method, before.account, before.on, before.done) == (METHOD_TRANSFER, rib[-4:], None, False)
    preparer, validator = accountants
    batch = payment_batch_prepare(actor=preparer, kind=BatchKind.MEMBER_TRANSFER)
    payment_batch_validate(actor=validator, batch=batch)
    payment_batch_export(actor=preparer, batch=batch)
    sent = statement_payment(claim)
    assert (sent.reference, sent.on, sent.done) == (batch.number, batch.execution_date, False)
    payment = batch.payments.get()
    data = f"end_to_end_id;status;reason_code;value_date\n{payment.end_to_end_id};ACSC;;2025-03-20\n".encode()
    payment_return_import(actor=preparer, data=data, file_name="ret.csv")
    paid = statement_payment(claim)
    assert (paid.method, paid.account, str(paid.on), paid.done) == (METHOD_TRANSFER, rib[-4:], "2025-03-20", True)


def test_it_says_postal_order_for_a_member_without_a_bank_account() -> None:
    claim = claim_make(member_make(rib=""), amo="80.00", complementary="20.00")
    assert statement_payment(claim).method == METHOD_POSTAL and statement_payment(claim).account == ""
