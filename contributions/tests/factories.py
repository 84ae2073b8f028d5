"""Builders for the contributions tests."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from accounts.models import User
from contributions.models import ContributionSchedule, LedgerEntry, Receipt
from members.models import Member
from members.tests.registry_factories import administration_make, member_make

__all__ = ["administration_make", "entry_make", "member_make", "schedule_change"]
_seq = itertools.count(1)


def entry_make(member: Member, month: dt.date, kind: str, amount: str, **extra: Any) -> LedgerEntry:
    """A ledger row of `amount` on the complementary fund (kind due: from the schedule; paid: needs a receipt)."""
    source = extra.pop("source", "schedule" if kind == "due" else "receipt")
    if source == "receipt" and "receipt" not in extra:
        clerk = User.objects.get_or_create(username="ledger-clerk")[0]
        extra["receipt"] = Receipt.objects.create(
            number=f"T{next(_seq)}", member=member, channel="counter", received_on=extra["paid_on"],
            amount=Decimal(amount), recorded_by=clerk,
        )  # fmt: skip
    return LedgerEntry.objects.create(
        member=member, month=month, kind=kind, source=source, complementary=Decimal(amount), **extra
    )


def schedule_change(fund: str, status: str, valid_from: dt.date, rate: str, floor: str, cap: str | None) -> None:
    """Close the current row of (fund, status) on `valid_from` and open a new one, as the service does."""
    current = ContributionSchedule.objects.get(fund=fund, member_status=status, valid_to__isnull=True)
    current.valid_to = valid_from
    current.save()
    ContributionSchedule.objects.create(
        fund=fund,
        member_status=status,
        valid_from=valid_from,
        rate=Decimal(rate),
        floor=Decimal(floor),
        cap=None if cap is None else Decimal(cap),
    )
