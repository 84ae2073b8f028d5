"""Reads of the allowances, scoped to the reader, related rows fetched (constant queries on lists)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from allowances.models import (
    Advance,
    AdvanceState,
    AllowanceRequest,
    AllowanceShare,
    AllowanceTransition,
    RequestDocument,
)
from members.models import Member

VIEW = "allowances.view_allowances"
ZERO = Decimal("0.00")


def _require(user: Any) -> None:
    if not user.has_perm(VIEW):
        raise PermissionDenied


@dataclass(frozen=True)
class RequestFilters:
    state: str = ""
    type: str = ""
    q: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    sort: str = "-filed_on"


SORTS = {"filed_on", "-filed_on", "net", "-net", "number", "-number", "deadline", "-deadline"}


def request_list(*, user: Any, filters: RequestFilters) -> QuerySet[AllowanceRequest]:
    _require(user)
    qs = AllowanceRequest.objects.select_related("type", "member", "checked_by", "approved_by")
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.type:
        qs = qs.filter(type__code=filters.type)
    if filters.q:
        q = filters.q.strip()
        qs = qs.filter(Q(number__iexact=q) | Q(member__membership_number=q) | Q(member__matricule=q))
    if filters.start:
        qs = qs.filter(filed_on__gte=filters.start)
    if filters.end:
        qs = qs.filter(filed_on__lte=filters.end)
    sort = filters.sort if filters.sort in SORTS else "-filed_on"
    return qs.order_by(sort, "-id")


def request_totals(qs: QuerySet[AllowanceRequest]) -> dict[str, Any]:
    """Count and sums of the filtered list (one query)."""
    totals = qs.order_by().aggregate(
        count=Count("id"), gross=Sum("gross"), deductions=Sum("deductions"), net=Sum("net")
    )
    count = totals.pop("count")
    # SQLite sums decimals without their scale: the totals are quantized to the centime.
    return {"count": count, **{k: Decimal(v or 0).quantize(ZERO) for k, v in totals.items()}}


def request_get(*, user: Any, pk: int) -> AllowanceRequest:
    """One request with everything its page shows; a member reads only their own."""
    qs = AllowanceRequest.objects.select_related("type", "member", "rate", "beneficiary", "checked_by", "approved_by")
    qs = qs.prefetch_related(
        Prefetch("shares", queryset=AllowanceShare.objects.order_by("rank")),
        Prefetch("documents", queryset=RequestDocument.objects.order_by("kind", "id")),
        Prefetch("transitions", queryset=AllowanceTransition.objects.select_related("actor").order_by("at", "id")),
        "deduction_lines__advance",
    )
    request = qs.get(pk=pk)
    own = getattr(request.member, "user_id", None) == getattr(user, "pk", -1)
    if not own and not user.has_perm(VIEW):
        raise PermissionDenied
    return request


def requests_of_member(*, member: Member) -> QuerySet[AllowanceRequest]:
    """A member's own requests (the portal: the member is the reader)."""
    qs = AllowanceRequest.objects.filter(member=member).select_related("type")
    return qs.prefetch_related("documents", "shares").order_by("-filed_on", "-id")


def advances_owed(*, member_id: int) -> QuerySet[Advance]:
    return Advance.objects.filter(member_id=member_id, state__in=[AdvanceState.PAID, AdvanceState.IN_PAYMENT,
                                                                  AdvanceState.APPROVED])  # fmt: skip


def advance_list(*, user: Any) -> QuerySet[Advance]:
    _require(user)
    return Advance.objects.select_related("member", "requested_by", "approved_by", "claim").order_by("-id")


def member_allowances(*, user: Any, member: Member) -> dict[str, Any] | None:
    """The member page's section: requests and advances, with what is still owed; None for readers without the right."""
    if not user.has_perm(VIEW):
        return None
    advances = list(Advance.objects.filter(member=member).order_by("-id"))
    owed = sum((a.owed for a in advances if a.state == AdvanceState.PAID), ZERO)
    return {
        "allowance_requests": list(requests_of_member(member=member)),
        "member_advances": advances,
        "advances_owed": owed,
    }
