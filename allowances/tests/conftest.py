from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from accounts.roles import Role


@pytest.fixture
def agents(make_user: Any) -> dict[str, Any]:
    """One agent of each step: reception files, the claims officer checks, two accountants."""
    return {
        "reception": make_user(Role.RECEPTION),
        "checker": make_user(Role.CLAIMS_OFFICER),
        "approver": make_user(Role.ACCOUNTANT),
        "approver2": make_user(Role.ACCOUNTANT),
        "auditor": make_user(Role.AUDITOR),
    }


def arrears_make(member: Any, *, months: list[dt.date], amount: str) -> None:
    """Contributions due and unpaid (the ledger of the contributions app): `amount` each month."""
    from contributions.models import LedgerEntry

    for month in months:
        complementary = Decimal(amount) - Decimal("15.00")
        LedgerEntry.objects.create(
            member=member, month=month, kind="due", source="schedule", complementary=complementary,
            death_fund=Decimal("15.00"),
        )  # fmt: skip
