"""The member's ledger, month by month and fund by fund, and what a receipt would pay.

Read by staff with `contributions.view_ledgerentry` and by the member for its own membership.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from contributions.models import EntryKind, LedgerEntry, OffPayroll, Receipt
from contributions.models.ledger import FUND_COLUMNS
from contributions.rules import month_next, month_start, to_centimes
from contributions.selectors import quote_from_rules, schedule_rules, schedule_status_of
from members.models import Member

VIEW = "contributions.view_ledgerentry"
_ZERO = Decimal("0.00")


def _zeros() -> dict[str, Decimal]:
    return dict.fromkeys(FUND_COLUMNS, _ZERO)


@dataclass
class LedgerMonth:
    month: dt.date
    due: dict[str, Decimal] = field(default_factory=_zeros)
    paid: dict[str, Decimal] = field(default_factory=_zeros)
    sources: set[str] = field(default_factory=set)
    receipts: list[str] = field(default_factory=list)
    balance_after: Decimal = _ZERO

    @property
    def due_total(self) -> Decimal:
        return sum(self.due.values(), _ZERO)

    @property
    def paid_total(self) -> Decimal:
        return sum(self.paid.values(), _ZERO)

    @property
    def balance(self) -> Decimal:
        return self.due_total - self.paid_total

    def funds(self) -> list[tuple[str, Decimal, Decimal]]:
        return [(f, self.due[f], self.paid[f]) for f in FUND_COLUMNS]


@dataclass
class Ledger:
    member: Member
    months: list[LedgerMonth]
    due: dict[str, Decimal]
    paid: dict[str, Decimal]

    @property
    def balance(self) -> Decimal:
        return sum(self.due.values(), _ZERO) - sum(self.paid.values(), _ZERO)

    @property
    def due_total(self) -> Decimal:
        return sum(self.due.values(), _ZERO)

    @property
    def paid_total(self) -> Decimal:
        return sum(self.paid.values(), _ZERO)

    def fund_totals(self) -> list[tuple[str, Decimal, Decimal, Decimal]]:
        return [(f, self.due[f], self.paid[f], self.due[f] - self.paid[f]) for f in FUND_COLUMNS]


def ledger_readable(*, user: Any, member: Member) -> bool:
    own = getattr(user, "pk", None) is not None and member.user_id == user.pk
    return bool(own or user.has_perm(VIEW))


def member_ledger(*, user: Any, member: Member, year: int | None = None) -> Ledger:
    """The member's active ledger rows folded into months (oldest first), with running balances."""
    if not ledger_readable(user=user, member=member):
        raise PermissionDenied
    qs = LedgerEntry.objects.filter(member=member, active=True).select_related("receipt").order_by("month", "id")
    if year is not None:
        qs = qs.filter(month__year=year)
    months: dict[dt.date, LedgerMonth] = {}
    due, paid = _zeros(), _zeros()
    for e in qs:
        row = months.setdefault(e.month, LedgerMonth(e.month))
        side, total = (row.due, due) if e.kind == EntryKind.DUE else (row.paid, paid)
        for f in FUND_COLUMNS:
            side[f] += getattr(e, f)
            total[f] += getattr(e, f)
        row.sources.add(e.source)
        if e.receipt is not None:
            row.receipts.append(e.receipt.number)
    running = _ZERO
    for row in months.values():
        running += row.balance
        row.balance_after = running
    return Ledger(member, list(months.values()), due, paid)


def member_receipts(*, user: Any, member: Member) -> QuerySet[Receipt]:
    if not ledger_readable(user=user, member=member):
        raise PermissionDenied
    return Receipt.objects.filter(member=member).select_related("recorded_by").order_by("-received_on", "-id")


def receipt_for(*, user: Any, number: str) -> Receipt:
    receipt = Receipt.objects.select_related("member", "recorded_by", "member__administration").get(number=number)
    if not (user.has_perm("contributions.view_receipt") or ledger_readable(user=user, member=receipt.member)):
        raise PermissionDenied
    return receipt


@dataclass(frozen=True)
class Outstanding:
    month: dt.date
    amounts: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), _ZERO)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    months: list[dt.date] = []
    m = month_start(first)
    while m <= month_start(last) and len(months) < 25:
        months.append(m)
        m = month_next(m)
    return months


def base_for(member: Member, month: dt.date, periods: Sequence[OffPayroll]) -> Decimal | None:
    """The base of a month: the declared base while off payroll, else the member's recorded salary."""
    for p in periods:
        if p.valid_from < month_next(month) and (p.valid_to is None or p.valid_to > month):
            return p.monthly_base
    return member.base_salary


def months_outstanding(*, member: Member, months: Sequence[dt.date]) -> list[Outstanding]:
    """What is left to pay for each month, per fund: its due (from the schedule when none is posted
    yet) less what was paid for it; never below zero."""
    rows = LedgerEntry.objects.filter(member=member, active=True, month__in=list(months))
    due: dict[dt.date, dict[str, Decimal]] = {}
    paid: dict[dt.date, dict[str, Decimal]] = {}
    for e in rows:
        target = due if e.kind == EntryKind.DUE else paid
        bucket = target.setdefault(e.month, _zeros())
        for f in FUND_COLUMNS:
            bucket[f] += getattr(e, f)
    periods = list(OffPayroll.objects.filter(member=member))
    status = schedule_status_of(member.status)
    out = []
    for month in months:
        owed = due.get(month)
        if owed is None and status is not None:
            base = base_for(member, month, periods)
            q = quote_from_rules(schedule_rules(month=month, status=status), to_centimes(base or _ZERO))
            owed = {f: getattr(q, f) for f in FUND_COLUMNS}
        owed = owed or _zeros()
        got = paid.get(month, _zeros())
        out.append(Outstanding(month, {f: max(owed[f] - got[f], _ZERO) for f in FUND_COLUMNS}))
    return out
