"""Reads of the arrears cases: the open cases, the last payment dates, a member's history of
notices and suspensions (its file and its space), the arrears rules in force."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, QuerySet

from contributions.models import ArrearsNotice, EntryKind, LedgerEntry
from contributions.models.arrears import OPEN_STATES
from members.models import Member, RightsSuspension
from mutuelle.bulk import one_of
from referentials.models import Parameter
from referentials.selectors import parameter_value


@dataclass(frozen=True)
class ArrearsRules:
    """The dated rules in force on a day: unpaid months before a notice, grace days after it."""

    notice_months: int
    grace_days: int


def arrears_rules_on(*, on: dt.date) -> ArrearsRules:
    return ArrearsRules(
        notice_months=parameter_value(name=Parameter.Name.ARREARS_NOTICE_MONTHS, on=on),
        grace_days=parameter_value(name=Parameter.Name.SUSPENSION_GRACE_DAYS, on=on),
    )


def open_cases(*, member_ids: Sequence[int] | None = None) -> dict[int, ArrearsNotice]:
    """The open case (noticed or suspended) of each member, with its suspension, by member id."""
    qs = ArrearsNotice.objects.filter(state__in=OPEN_STATES).select_related("suspension")
    if member_ids is not None:
        qs = qs.filter(one_of(ArrearsNotice, "member_id", list(member_ids)))
    return {case.member_id: case for case in qs}


def open_case_member_ids() -> list[int]:
    return sorted(ArrearsNotice.objects.filter(state__in=OPEN_STATES).values_list("member_id", flat=True))


def last_payment_dates(*, member_ids: Sequence[int], as_of: dt.date) -> dict[int, dt.date]:
    """The day of each member's last payment up to `as_of` (payroll or receipt), one query."""
    if not member_ids:
        return {}
    rows = (
        LedgerEntry.objects.filter(one_of(LedgerEntry, "member_id", list(member_ids)), active=True)
        .filter(kind=EntryKind.PAID, paid_on__lte=as_of)
        .values("member_id")
        .annotate(last=Max("paid_on"))
    )
    return {r["member_id"]: r["last"] for r in rows}


def member_statuses(*, member_ids: Sequence[int]) -> dict[int, str]:
    if not member_ids:
        return {}
    return dict(Member.objects.filter(one_of(Member, "id", list(member_ids))).values_list("pk", "status"))


@dataclass(frozen=True)
class MemberRights:
    """What the member's file and space show: every notice (newest first) and every suspension."""

    notices: list[ArrearsNotice]
    suspensions: list[RightsSuspension]
    suspended_now: RightsSuspension | None


def member_rights(*, member: Member, today: dt.date) -> MemberRights:
    """Two queries. The suspensions are those prefetched on the member's file when present."""
    notices = list(ArrearsNotice.objects.filter(member=member).select_related("suspension"))
    suspensions = sorted(member.rights_suspensions.all(), key=lambda s: s.starts_on, reverse=True)
    now = next((s for s in suspensions if s.starts_on <= today and (s.ends_on is None or today < s.ends_on)), None)
    return MemberRights(notices=notices, suspensions=suspensions, suspended_now=now)


def arrears_notices_list(*, state: str = "") -> QuerySet[ArrearsNotice]:
    """The cases for the accountants' page, newest first, with the member (a constant query count)."""
    qs: QuerySet[Any] = ArrearsNotice.objects.select_related("member", "suspension")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-noticed_on", "-id")
