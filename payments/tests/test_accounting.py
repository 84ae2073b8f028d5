from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from accounts.roles import Role
from payments.accounting import fund_totals_xlsx
from payments.models import BatchKind, Fund, FundEntry, Payment, PaymentBatch
from payments.services import payment_batch_prepare
from payments.tests.factories import claim_make, member_make

pytestmark = pytest.mark.django_db


def _entries(accountant: Any) -> None:
    claim_make(member_make(), amo="10.00", complementary="0.00")
    batch: PaymentBatch = payment_batch_prepare(actor=accountant, kind=BatchKind.MEMBER_TRANSFER)
    payment: Payment = batch.payments.get()
    rows = [
        (Fund.AMO, "2025-03-01", "100.10"),
        (Fund.AMO, "2025-03-01", "0.05"),
        (Fund.COMPLEMENTARY, "2025-03-01", "20.00"),
        (Fund.AMO, "2025-03-15", "50.00"),
        (Fund.COMPLEMENTARY, "2025-04-02", "7.25"),
    ]
    for fund, day, amount in rows:
        # The ledger allows one entry per payment and fund: each row gets its own payment.
        p = Payment.objects.create(
            batch=batch,
            member=payment.member,
            payee_name="x",
            amount=Decimal(amount),
            amo=Decimal(amount) if fund == Fund.AMO else Decimal("0"),
            complementary=Decimal(amount) if fund == Fund.COMPLEMENTARY else Decimal("0"),
            end_to_end_id=f"T-{fund}-{day}-{amount}",
        )
        FundEntry.objects.create(fund=fund, booked_on=dt.date.fromisoformat(day), amount=Decimal(amount), payment=p)


def test_it_exports_daily_and_monthly_totals_per_fund(make_user: Any) -> None:
    accountant = make_user(Role.ACCOUNTANT)
    _entries(accountant)
    data = fund_totals_xlsx(user=accountant, start=dt.date(2025, 3, 1), end=dt.date(2025, 4, 30))
    wb = load_workbook(io.BytesIO(data))
    daily, monthly = wb.worksheets
    rows = [[c.value for c in row] for row in daily.iter_rows(min_row=2)]
    # 1 March: AMO 100.10 + 0.05 = 100.15, complementary 20.00, total 120.15 (the last column;
    # the solidarity and advances funds between them, nothing on these days)
    assert [(r[0].date().isoformat(), r[1], r[2], r[-1]) for r in rows] == [
        ("2025-03-01", 100.15, 20, 120.15),
        ("2025-03-15", 50, 0, 50),
        ("2025-04-02", 0, 7.25, 7.25),
    ]
    months = [[c.value for c in row] for row in monthly.iter_rows(min_row=2)]
    # March: AMO 150.15, complementary 20.00; April: complementary 7.25
    assert [(r[0].date().isoformat(), r[1], r[2], r[-1]) for r in months] == [
        ("2025-03-01", 150.15, 20, 170.15),
        ("2025-04-01", 0, 7.25, 7.25),
    ]


def test_it_refuses_the_accounting_export_to_a_member(make_user: Any) -> None:
    with pytest.raises(PermissionDenied):
        fund_totals_xlsx(user=make_user(Role.MEMBER), start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
