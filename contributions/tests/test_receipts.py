"""Receipts for members off payroll: dues posted from the schedule, payment recorded, refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from contributions.models import LedgerEntry, OffPayrollReason, Receipt
from contributions.selectors import member_arrears_list, member_balance
from contributions.selectors_ledger import member_ledger, months_outstanding
from contributions.services_common import ContributionRefused
from contributions.services_receipts import ReceiptMonth, contribution_dues_post, off_payroll_record, receipt_record
from contributions.tests.factories import member_make

pytestmark = pytest.mark.django_db
JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


@pytest.fixture
def accountant(make_user: Any) -> Any:
    return make_user(Role.ACCOUNTANT)


def _on_leave(accountant: Any) -> Any:
    member = member_make(base_salary=Decimal("9000"))
    # On leave from January on, declared base 4,000: 1.8 % = 72 -> cap 50.00; 1 % = 40 -> cap 15.00;
    # 2.5 % = 100.00 each share: 265.00 a month.
    off_payroll_record(actor=accountant, member=member, reason=OffPayrollReason.LEAVE, valid_from=JAN,
                       valid_to=None, monthly_base=Decimal("4000"))  # fmt: skip
    return member


def test_it_posts_the_dues_of_members_off_payroll(accountant: Any) -> None:
    member = _on_leave(accountant)
    assert contribution_dues_post(month=JAN) == 1
    assert contribution_dues_post(month=JAN) == 0  # idempotent
    contribution_dues_post(month=FEB)
    assert member_balance(member_id=member.pk, as_of=dt.date(2026, 3, 10)) == Decimal("530.00")
    [arrears] = member_arrears_list(as_of=dt.date(2026, 3, 10))
    assert (arrears.unpaid_months, arrears.first_unpaid_month, arrears.last_payment_on) == (2, JAN, None)


def test_it_records_a_counter_receipt_that_pays_the_months(accountant: Any, make_user: Any) -> None:
    member = _on_leave(accountant)
    contribution_dues_post(month=JAN)
    clerk = make_user(Role.RECEPTION)
    # Pay January and February in full: February's due is posted from the schedule on the way.
    lines = [ReceiptMonth(o.month, **o.amounts) for o in months_outstanding(member=member, months=[JAN, FEB])]
    assert [o.total for o in lines] == [Decimal("265.00"), Decimal("265.00")]
    today = timezone.localdate()
    receipt = receipt_record(
        actor=clerk, member=member, channel="counter", reference="", received_on=today, months=lines
    )
    assert receipt.amount == Decimal("530.00") and receipt.number == f"R{today.year}-000001"
    assert member_balance(member_id=member.pk, as_of=dt.date(2026, 3, 10)) == Decimal("0.00")
    ledger = member_ledger(user=accountant, member=member)
    assert [(m.month, m.due_total, m.paid_total, m.balance_after) for m in ledger.months] == [
        (JAN, Decimal("265.00"), Decimal("265.00"), Decimal("0.00")),
        (FEB, Decimal("265.00"), Decimal("265.00"), Decimal("0.00")),
    ]
    event = AuditEvent.objects.get(object_type="contributions.receipt")
    assert event.after["months"] == ["2026-01", "2026-02"] and event.member_id == member.pk


def test_it_pays_part_of_a_month_and_leaves_the_rest_due(accountant: Any) -> None:
    member = _on_leave(accountant)
    contribution_dues_post(month=JAN)
    paid = [ReceiptMonth(JAN, complementary=Decimal("50.00"))]
    receipt_record(actor=accountant, member=member, channel="transfer", reference="VIR-2026-77",
                   received_on=dt.date(2026, 2, 10), months=paid)  # fmt: skip
    # 265.00 due, 50.00 paid: 215.00 left, the payment dated 2026-02-10.
    [arrears] = member_arrears_list(as_of=dt.date(2026, 3, 1))
    assert (arrears.amount_due, arrears.last_payment_on) == (Decimal("215.00"), dt.date(2026, 2, 10))


@pytest.mark.parametrize(
    ("channel", "reference", "months", "received"),
    [
        ("transfer", "", [ReceiptMonth(JAN, Decimal("1"))], None),
        ("counter", "", [], None),
        ("counter", "", [ReceiptMonth(JAN, Decimal("1")), ReceiptMonth(JAN, Decimal("2"))], None),
        ("counter", "", [ReceiptMonth(JAN, Decimal("-1"), Decimal("5"))], None),
        ("counter", "", [ReceiptMonth(JAN)], None),
        ("counter", "", [ReceiptMonth(JAN, Decimal("1"))], 3),
        ("cheque", "X", [ReceiptMonth(JAN, Decimal("1"))], None),
    ],
)
def test_it_refuses_a_bad_receipt_and_writes_nothing(
    accountant: Any, channel: str, reference: str, months: list[ReceiptMonth], received: int | None
) -> None:
    member = member_make(base_salary=Decimal("9000"))
    day = timezone.localdate() + dt.timedelta(days=received or 0)
    with pytest.raises(ContributionRefused):
        receipt_record(actor=accountant, member=member, channel=channel, reference=reference, received_on=day,
                       months=months)  # fmt: skip
    assert not Receipt.objects.exists() and not LedgerEntry.objects.exists()


def test_it_lets_reception_take_counter_payments_only(make_user: Any) -> None:
    member = member_make(base_salary=Decimal("9000"))
    clerk = make_user(Role.RECEPTION)
    with pytest.raises(ContributionRefused):
        receipt_record(actor=clerk, member=member, channel="transfer", reference="VIR-1",
                       received_on=dt.date(2026, 1, 5), months=[ReceiptMonth(JAN, Decimal("10"))])  # fmt: skip
    with pytest.raises(ContributionRefused):
        receipt_record(actor=make_user(Role.AUDITOR), member=member, channel="counter", reference="",
                       received_on=dt.date(2026, 1, 5), months=[ReceiptMonth(JAN, Decimal("10"))])  # fmt: skip
