"""The demo contributions: files imported with differences, members in arrears, receipts; idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from accounts.roles import Role
from contributions.models import PayrollFile, Receipt
from contributions.selectors import member_arrears_list
from contributions.selectors_payroll import reconciliation_totals
from contributions.tests.factories import administration_make, member_make
from demo.contributions import demo_contributions_ensure

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 9, 15)


@pytest.fixture(autouse=True)
def _private(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path


def test_it_builds_the_demo_once(make_user: Any) -> None:
    make_user(Role.ACCOUNTANT, username="comptable")
    make_user(Role.RECEPTION, username="reception")
    admin = administration_make()
    for i in range(14):
        member_make(administration=admin, base_salary=Decimal(5000 + 1000 * i), joined_on=dt.date(2019, 1, 1))
    assert demo_contributions_ensure(seed=1, today=TODAY) == 7  # six months, one of them sent twice
    files = PayrollFile.objects.order_by("period", "id")
    assert [f.state for f in files].count("superseded") == 1 and files.count() == 7
    last = files.filter(period=dt.date(2026, 8, 1)).get()
    totals = {t.kind: t.count for t in reconciliation_totals(file=last)}
    assert totals["unknown"] == 1 and totals["wrong_amount"] >= 1 and totals["missing"] == 4
    arrears = member_arrears_list(as_of=TODAY)
    # Four missing from every file (6 months), the seconded member 3 months behind, and the member whose
    # death fund was withheld at 10.00 instead of 15.00 last month (1 month, 5.00).
    assert sorted(a.unpaid_months for a in arrears) == [1, 3, 6, 6, 6, 6]
    assert sorted(a.amount_due for a in arrears)[0] == Decimal("5.00")
    assert Receipt.objects.count() == 3
    assert demo_contributions_ensure(seed=1, today=TODAY) == 0
    assert PayrollFile.objects.count() == 7 and Receipt.objects.count() == 3
