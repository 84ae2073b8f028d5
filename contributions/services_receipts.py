"""Members off payroll: periods off payroll, the dues posted from the schedule, receipts.

A receipt is one payment (at the counter or by transfer, with its reference) for one or more
months, with an amount per fund and month; its ledger rows are `paid` rows pointing to it. Before
a receipt is recorded, the months it pays get their due from the schedule when they have none
(the member's base while off payroll, else its recorded salary), so the ledger always shows what
the payment was for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.services import audit_record
from contributions.models import EntryKind, EntrySource, LedgerEntry, OffPayroll, Receipt, ReceiptChannel
from contributions.models.ledger import FUND_COLUMNS
from contributions.rules import from_centimes, month_next, month_start, to_centimes
from contributions.selectors import quote_from_rules, schedule_rules, schedule_status_of
from contributions.selectors_ledger import base_for
from contributions.services_common import ContributionRefused, rights_review_enqueue
from members.models import Member
from mutuelle.bulk import one_of, rows_copy, serialised_section
from mutuelle.types import Actor, actor_user

COUNTER_PERM = "contributions.record_counter_receipt"
TRANSFER_PERM = "contributions.manage_payroll"
_NUMBER_LOCK = 0x52454350  # "RECP": receipt numbers are allocated one writer at a time

MSG_FORBIDDEN = _("You are not allowed to record this receipt.")
MSG_NO_MONTH = _("Give at least one month and an amount.")
MSG_MONTH_TWICE = _("The month %(month)s is given twice.")
MSG_NEGATIVE = _("An amount cannot be negative.")
MSG_NOTHING = _("The receipt's total must be more than zero.")
MSG_FUTURE = _("The payment date cannot be in the future.")
MSG_REFERENCE = _("A transfer needs the bank's reference.")
MSG_TOO_FAR = _("A receipt pays at most 24 months, none after next month.")
MSG_OFF_DATES = _("The end of the period must be after its start.")


@dataclass(frozen=True)
class ReceiptMonth:
    month: dt.date
    complementary: Decimal = Decimal("0.00")
    death_fund: Decimal = Decimal("0.00")
    amo_employee: Decimal = Decimal("0.00")
    amo_employer: Decimal = Decimal("0.00")

    @property
    def total(self) -> Decimal:
        return self.complementary + self.death_fund + self.amo_employee + self.amo_employer


def dues_post(*, member_ids: Sequence[int], months: Sequence[dt.date]) -> int:
    """A due from the schedule for each (member, month) that has none; inside the caller's transaction."""
    months = sorted({month_start(m) for m in months})
    if not member_ids or not months:
        return 0
    members = Member.objects.filter(one_of(Member, "id", list(member_ids)))
    off: dict[int, list[OffPayroll]] = {}
    for p in OffPayroll.objects.filter(one_of(OffPayroll, "member_id", list(member_ids))):
        off.setdefault(p.member_id, []).append(p)
    existing = set(
        LedgerEntry.objects.filter(one_of(LedgerEntry, "member_id", list(member_ids)), month__in=months)
        .filter(kind=EntryKind.DUE, active=True)
        .values_list("member_id", "month")
    )
    rules: dict[tuple[dt.date, str], dict[str, object]] = {}
    rows = []
    for member in members:
        status = schedule_status_of(member.status)
        for month in months:
            base = base_for(member, month, off.get(member.pk, []))
            if status is None or (member.pk, month) in existing or not base or month < month_start(member.joined_on):
                continue
            key = (month, status)
            if key not in rules:
                rules[key] = schedule_rules(month=month, status=status)  # type: ignore[assignment]
            q = quote_from_rules(rules[key], to_centimes(base))  # type: ignore[arg-type]
            rows.append(
                (member.pk, month, EntryKind.DUE, EntrySource.SCHEDULE, base, *(getattr(q, f) for f in FUND_COLUMNS))
            )
    rows_copy(LedgerEntry, ("member_id", "month", "kind", "source", "base", *FUND_COLUMNS), rows)
    return len(rows)


def off_payroll_member_ids(*, month: dt.date) -> QuerySet[OffPayroll, int]:
    """The members off payroll during some of `month` (ids, ascending, once each)."""
    first, after = month_start(month), month_next(month_start(month))
    periods = OffPayroll.objects.filter(valid_from__lt=after).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=first))
    return periods.values_list("member_id", flat=True).distinct().order_by("member_id")


def contribution_dues_post(*, month: dt.date) -> int:
    """The month's dues of every member off payroll that month, at once (idempotent: a month already due
    is left). The monthly run goes through the job (contributions.dues_jobs), in chunks."""
    with transaction.atomic(durable=True):
        return dues_post(member_ids=list(off_payroll_member_ids(month=month)), months=[month_start(month)])


def off_payroll_record(
    *, actor: Actor, member: Member, reason: str, valid_from: dt.date, valid_to: dt.date | None, monthly_base: Decimal
) -> OffPayroll:
    """Record that a member pays its contributions directly for a period (leave, secondment, pension)."""
    if actor is not None and not actor.has_perm(TRANSFER_PERM):
        raise ContributionRefused(MSG_FORBIDDEN)
    if valid_to is not None and valid_to <= valid_from:
        raise ContributionRefused(MSG_OFF_DATES)
    if monthly_base < 0:
        raise ContributionRefused(MSG_NEGATIVE)
    with transaction.atomic(durable=True):
        period = OffPayroll.objects.create(
            member=member, reason=reason, valid_from=valid_from, valid_to=valid_to, monthly_base=monthly_base,
            recorded_by=actor_user(actor),
        )  # fmt: skip
        after: dict[str, str | None] = {"reason": reason, "valid_from": valid_from.isoformat()}
        after |= {"valid_to": valid_to.isoformat() if valid_to else None, "monthly_base": str(monthly_base)}
        audit_record(actor=actor, action=AuditAction.CREATE, obj=period, member_id=member.pk, after=after)
    return period


def _receipt_number(year: int) -> str:
    serialised_section(_NUMBER_LOCK)
    prefix = f"R{year}-"
    top = Receipt.objects.filter(number__startswith=prefix).aggregate(top=Max("number"))["top"]
    return f"{prefix}{int(top[len(prefix) :]) + 1 if top else 1:06d}"


def _checked(months: Sequence[ReceiptMonth], channel: str, reference: str, received_on: dt.date) -> None:
    if not months:
        raise ContributionRefused(MSG_NO_MONTH)
    seen: set[dt.date] = set()
    latest = month_next(month_start(timezone.localdate()))
    for m in months:
        if m.month in seen:
            raise ContributionRefused(MSG_MONTH_TWICE % {"month": f"{m.month:%Y-%m}"})
        seen.add(m.month)
        if any(getattr(m, f) < 0 for f in FUND_COLUMNS):
            raise ContributionRefused(MSG_NEGATIVE)
        if m.month > latest:
            raise ContributionRefused(MSG_TOO_FAR)
    if len(months) > 24:
        raise ContributionRefused(MSG_TOO_FAR)
    if sum((m.total for m in months), Decimal("0")) <= 0:
        raise ContributionRefused(MSG_NOTHING)
    if received_on > timezone.localdate():
        raise ContributionRefused(MSG_FUTURE)
    if channel == ReceiptChannel.TRANSFER and not reference.strip():
        raise ContributionRefused(MSG_REFERENCE)


def receipt_record(
    *, actor: Actor, member: Member, channel: str, reference: str, received_on: dt.date, months: Sequence[ReceiptMonth]
) -> Receipt:
    """Record a payment for `months`; audited, and the rights review queued in the same transaction."""
    perm = COUNTER_PERM if channel == ReceiptChannel.COUNTER else TRANSFER_PERM
    if channel not in (ReceiptChannel.COUNTER, ReceiptChannel.TRANSFER) or (
        actor is not None and not actor.has_perm(perm)
    ):
        raise ContributionRefused(MSG_FORBIDDEN)
    months = [ReceiptMonth(month_start(m.month), *(getattr(m, f) for f in FUND_COLUMNS)) for m in months]
    _checked(months, channel, reference, received_on)
    with transaction.atomic(durable=True):
        return receipt_record_apply(actor=actor, member=member, channel=channel, reference=reference,
                                    received_on=received_on, months=months)  # fmt: skip


def receipt_record_apply(
    *, actor: Actor, member: Member, channel: str, reference: str, received_on: dt.date, months: Sequence[ReceiptMonth]
) -> Receipt:
    """receipt_record's writes inside the caller's transaction (the caller checked who and what): the months'
    dues from the schedule where missing, the receipt, its ledger rows, the audit event, the rights review."""
    total = sum((m.total for m in months), Decimal("0"))
    dues_post(member_ids=[member.pk], months=[m.month for m in months])
    receipt = Receipt.objects.create(
        number=_receipt_number(received_on.year), member=member, channel=channel, reference=reference.strip(),
        received_on=received_on, amount=total, recorded_by=actor_user(actor),
    )  # fmt: skip
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(member=member, month=m.month, kind=EntryKind.PAID, source=EntrySource.RECEIPT,
                        receipt=receipt, paid_on=received_on, **{f: getattr(m, f) for f in FUND_COLUMNS})
            for m in months if m.total > 0
        ]
    )  # fmt: skip
    after = {
        "number": receipt.number, "channel": channel, "reference": receipt.reference, "amount": str(total),
        "received_on": received_on.isoformat(), "months": [f"{m.month:%Y-%m}" for m in months],
    }  # fmt: skip
    audit_record(actor=actor, action=AuditAction.CREATE, obj=receipt, member_id=member.pk, after=after)
    rights_review_enqueue(member_ids=[member.pk])
    return receipt


def receipt_from_allowance_record(
    *, actor: Actor, member: Member, amount: Decimal, request_number: str, received_on: dt.date, as_of: dt.date
) -> Receipt:
    """The arrears an approved allowance withheld, paid into the ledger (caller's transaction: the approval's).

    `amount` was the member's balance on `as_of` (the event's day) when the request was checked; it pays
    the unpaid months before that month, oldest first, fund by fund in each month. Should the member have
    paid some of them since, what is left is paid into the last of those months (a credit on the ledger).
    """
    first = month_start(as_of)
    months = _shortfalls(member_id=member.pk, before=first)
    left = to_centimes(amount)
    paid: dict[dt.date, dict[str, int]] = {}
    for month, gaps in months.items():
        # A month is paid up to its shortfall, from the funds that lack something (a fund overpaid by a
        # payroll file does not take more of the amount than the month as a whole lacks).
        month_left = min(left, sum(to_centimes(g) for g in gaps.values()))
        for fund in FUND_COLUMNS:
            take = min(month_left, max(to_centimes(gaps[fund]), 0))
            if take:
                paid.setdefault(month, dict.fromkeys(FUND_COLUMNS, 0))[fund] += take
                month_left -= take
                left -= take
    if left:
        last = max(months) if months else month_start(first - dt.timedelta(days=1))
        paid.setdefault(last, dict.fromkeys(FUND_COLUMNS, 0))[FUND_COLUMNS[0]] += left
    rows = [ReceiptMonth(m, *(from_centimes(c) for c in paid[m].values())) for m in sorted(paid)]
    return receipt_record_apply(actor=actor, member=member, channel=ReceiptChannel.ALLOWANCE,
                                reference=request_number, received_on=received_on, months=rows)  # fmt: skip


def _shortfalls(*, member_id: int, before: dt.date) -> dict[dt.date, dict[str, Decimal]]:
    """Per unpaid month before `before` (oldest first), what each fund still lacks (due - paid, may be < 0)."""
    per: dict[dt.date, dict[str, Decimal]] = {}
    entries = LedgerEntry.objects.filter(member_id=member_id, active=True, month__lt=before).order_by("month")
    for e in entries.only("month", "kind", *FUND_COLUMNS):
        gaps = per.setdefault(e.month, dict.fromkeys(FUND_COLUMNS, Decimal("0")))
        sign = 1 if e.kind == EntryKind.DUE else -1
        for fund in FUND_COLUMNS:
            gaps[fund] += sign * Decimal(getattr(e, fund))
    return {m: g for m, g in per.items() if sum(g.values()) > 0}
