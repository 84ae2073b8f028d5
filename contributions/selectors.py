"""Reads of the contributions: schedules in force, quotes, and the ledger's balances and arrears.

`member_arrears_list` and `member_balance` are the contract other apps build on (rights
suspension, allowance deductions). A month counts when it is before the month of `as_of`
(the current month is not late yet); a month is unpaid when what is due in it (all funds)
is more than what was paid for it; what is owed is the sum of those months' shortfalls.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, DecimalField, F, Max, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from contributions.models import ContributionSchedule, EntryKind, Fund, LedgerEntry, ScheduleStatus
from contributions.rules import Rule, from_centimes, month_start, to_centimes
from mutuelle.bulk import one_of

__all__ = [
    "MemberArrears",
    "Quote",
    "member_arrears_list",
    "member_balance",
    "quote_compute",
    "schedule_rules",
    "schedules_history",
]

_MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)
_TOTAL = F("complementary") + F("death_fund") + F("amo_employee") + F("amo_employer")
MSG_NO_SCHEDULE = "no contribution schedule in force for %(fund)s (%(status)s) on %(month)s"


@dataclass(frozen=True)
class MemberArrears:
    member_id: int
    unpaid_months: int
    first_unpaid_month: dt.date
    amount_due: Decimal
    last_payment_on: dt.date | None


@dataclass(frozen=True)
class Quote:
    complementary: Decimal
    death_fund: Decimal
    amo_employee: Decimal
    amo_employer: Decimal

    def as_strings(self) -> dict[str, str]:
        return {f: f"{getattr(self, f):.2f}" for f in _FUNDS}


# ---------------------------------------------------------------- schedules


def schedule_rules(*, month: dt.date, status: str) -> dict[str, Rule]:
    """Each fund's rule for `status` in force on the first day of `month` (one query)."""
    first = month_start(month)
    rows = ContributionSchedule.objects.filter(member_status=status, valid_from__lte=first).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=first)
    )
    rules = {row.fund: Rule.of(row.rate, row.floor, row.cap) for row in rows}
    missing = [f for f in _FUNDS if f not in rules]
    if missing:
        raise LookupError(MSG_NO_SCHEDULE % {"fund": missing[0], "status": status, "month": first})
    return rules


def quote_compute(*, base: Decimal, status: str, month: dt.date) -> Quote:
    """The month's contributions for a salary (active) or a pension (retired)."""
    rules = schedule_rules(month=month, status=status)
    return quote_from_rules(rules, to_centimes(base))


_FUNDS = tuple(Fund.values)  # in the order of Quote's fields


def quote_from_rules(rules: dict[str, Rule], base: int) -> Quote:
    return Quote(*(from_centimes(rules[f].apply(base)) for f in _FUNDS))


def schedule_status_of(member_status: str) -> str | None:
    """The schedule a member's status pays under; None: no contribution (deceased, resigned)."""
    if member_status == "retired":
        return ScheduleStatus.RETIRED
    if member_status in ("active", "suspended"):
        return ScheduleStatus.ACTIVE
    return None


def schedules_history() -> QuerySet[ContributionSchedule]:
    return ContributionSchedule.objects.order_by("fund", "member_status", "valid_from")


# ---------------------------------------------------------------- balances and arrears


def _month_rows(*, before: dt.date, member_ids: Sequence[int] | None) -> list[dict[str, object]]:
    """(member, month, due, paid) for every month before `before` where due > paid: one query."""
    qs = LedgerEntry.objects.filter(active=True, month__lt=before)
    if member_ids is not None:
        qs = qs.filter(one_of(LedgerEntry, "member_id", list(member_ids)))
    zero = Value(Decimal("0"), output_field=_MONEY)
    return list(
        qs.values("member_id", "month")
        .annotate(
            due=Coalesce(Sum(Case(When(kind=EntryKind.DUE, then=_TOTAL), default=zero, output_field=_MONEY)), zero),
            paid=Coalesce(Sum(Case(When(kind=EntryKind.PAID, then=_TOTAL), default=zero, output_field=_MONEY)), zero),
        )
        .filter(due__gt=F("paid"))
        .order_by("member_id", "month")
    )


def member_arrears_list(*, as_of: dt.date, member_ids: Sequence[int] | None = None) -> list[MemberArrears]:
    """Members with at least one month due and not fully paid before the month of `as_of` (two queries)."""
    if member_ids is not None and not member_ids:
        return []
    rows = _month_rows(before=month_start(as_of), member_ids=member_ids)
    by_member: dict[int, list[dict[str, object]]] = {}
    for row in rows:
        by_member.setdefault(int(row["member_id"]), []).append(row)  # type: ignore[call-overload]
    if not by_member:
        return []
    paid = (
        LedgerEntry.objects.filter(one_of(LedgerEntry, "member_id", list(by_member)), active=True, kind=EntryKind.PAID)
        .filter(paid_on__lte=as_of)
        .values("member_id")
        .annotate(last=Max("paid_on"))
    )
    last = {r["member_id"]: r["last"] for r in paid}
    result = []
    for member_id, months in by_member.items():
        owed = sum((Decimal(m["due"]) - Decimal(m["paid"]) for m in months), Decimal("0"))  # type: ignore[arg-type]
        result.append(
            MemberArrears(
                member_id=member_id,
                unpaid_months=len(months),
                first_unpaid_month=months[0]["month"],  # type: ignore[arg-type]
                amount_due=owed.quantize(Decimal("0.01")),
                last_payment_on=last.get(member_id),
            )
        )
    return result


def member_balance(*, member_id: int, as_of: dt.date) -> Decimal:
    """What the member owes for the months before the month of `as_of` (>= 0): the sum of the
    shortfalls of its unpaid months, the same figure as its MemberArrears.amount_due."""
    rows = _month_rows(before=month_start(as_of), member_ids=[member_id])
    owed = sum((Decimal(r["due"]) - Decimal(r["paid"]) for r in rows), Decimal("0"))  # type: ignore[arg-type]
    return max(owed, Decimal("0")).quantize(Decimal("0.01"))
