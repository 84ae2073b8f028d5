"""Reads of the payments app, scoped to the user, with related rows fetched."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet, Sum
from django.db.models.functions import TruncDay, TruncMonth
from django.http import Http404

from members.models import Beneficiary, Member, Relation
from payments.models import FundEntry, Payment, PaymentBatch, PaymentClaim, PaymentState, ReturnImport

VIEW = "payments.view_paymentbatch"


def _require(user: Any, perm: str = VIEW) -> None:
    if not user.is_authenticated or not user.has_perm(perm):
        raise PermissionDenied


def batch_list(*, user: Any) -> QuerySet[PaymentBatch]:
    _require(user)
    return PaymentBatch.objects.select_related("prepared_by", "validated_by").order_by("-id")


def batch_get(*, user: Any, pk: int) -> PaymentBatch:
    _require(user)
    return PaymentBatch.objects.select_related("prepared_by", "validated_by", "exported_by", "confirmed_by").get(pk=pk)


def batch_payments(*, user: Any, batch: PaymentBatch) -> QuerySet[Payment]:
    _require(user)
    links = PaymentClaim.objects.select_related("claim").only("payment_id", "claim__number", "amo", "complementary")
    # The member's own name in both scripts (Arabic pages show it; payee_name is the bank's, Latin).
    holders = Beneficiary.objects.filter(relation=Relation.SELF).only("member_id", "first_name_ar", "last_name_ar")
    return (
        batch.payments.select_related("member", "provider")
        .prefetch_related(
            Prefetch("claim_links", queryset=links), Prefetch("member__beneficiaries", holders, to_attr="holders")
        )
        .order_by("pk")
    )


def rejected_queue(*, user: Any) -> QuerySet[Payment]:
    """Rejected payments not yet sent back to payment, oldest first."""
    _require(user)
    return (
        Payment.objects.filter(state=PaymentState.REJECTED, requeued_at__isnull=True, source="")
        .select_related("batch", "member", "provider")
        .order_by("rejected_at", "pk")
    )


def return_imports(*, user: Any) -> QuerySet[ReturnImport]:
    _require(user)
    return ReturnImport.objects.select_related("imported_by").order_by("-imported_at", "-id")


def payments_for_member(*, user: Any, member: Member) -> QuerySet[Payment]:
    """The payments made to a member: for the member themself or for staff who may see payments."""
    own = getattr(user, "is_authenticated", False) and member.user_id is not None and member.user_id == user.pk
    if not own and not (user.is_authenticated and user.has_perm(VIEW)):
        raise PermissionDenied
    links = PaymentClaim.objects.select_related("claim").only("payment_id", "claim__number")
    return (
        Payment.objects.filter(member=member)
        .exclude(state=PaymentState.CANCELLED)
        .select_related("batch")
        .prefetch_related(Prefetch("claim_links", queryset=links), "withholdings")
        .order_by("-batch__execution_date", "-pk")
    )


def member_payments_get(*, user: Any, member_pk: int) -> tuple[Member, QuerySet[Payment]]:
    """A member and their payments for the payments page; a member the user may not see answers
    404 like one that does not exist, so the page tells nothing of which members exist."""
    member = Member.objects.filter(pk=member_pk).first()
    if member is None:
        raise Http404
    try:
        return member, payments_for_member(user=user, member=member)
    except PermissionDenied:
        raise Http404 from None


def fund_totals(*, user: Any, start: dt.date, end: dt.date, period: str) -> list[dict[str, Any]]:
    """Totals per fund per day (period="day") or month (period="month") between two dates, inclusive."""
    _require(user)
    trunc = TruncMonth("booked_on") if period == "month" else TruncDay("booked_on")
    rows = (
        FundEntry.objects.filter(booked_on__gte=start, booked_on__lte=end)
        .annotate(period=trunc)
        .values("period", "fund")
        .annotate(total=Sum("amount"))
        .order_by("period", "fund")
    )
    return [
        {
            "period": r["period"].date() if isinstance(r["period"], dt.datetime) else r["period"],
            "fund": r["fund"],
            "total": r["total"] or Decimal("0.00"),
        }
        for r in rows
    ]
