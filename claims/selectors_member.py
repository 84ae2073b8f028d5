"""The claim files section of a member's file (members.sections, registered in claims.apps), and where
one file stands for its member: its steps and the estimated dates of decision and payment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.core.cache import cache
from django.db.models import Count, DurationField, ExpressionWrapper, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.models import ClaimFile, ClaimStatus, ClaimTransition
from claims.selectors import claims_visible

# The latest files on the member's page; the claims list (searched by membership number) has them all.
MEMBER_FILES_SHOWN = 20


@dataclass(frozen=True)
class MemberClaims:
    files: list[ClaimFile]  # the latest MEMBER_FILES_SHOWN, newest first
    count: int  # all of the member's files the reader may see
    paid: Decimal
    amo: Decimal
    complementary: Decimal
    remainder: Decimal


def claims_of_member(*, user: Any, member: Any) -> MemberClaims | None:
    """The member's claim files as `user` may see them (claims_visible: staff with the claims
    permission, the member themself), with the count and the sums of all of them; None when the
    reader sees none of the member's files by right (the section is left out). Two queries."""
    if not (user.has_perm("claims.view_claimfile") or member.user_id == user.pk):
        return None
    files = claims_visible(user=user).filter(member=member)
    totals = files.aggregate(
        count=Count("id"), paid=Sum("paid"), amo=Sum("amo"), complementary=Sum("complementary"),
        remainder=Sum("remainder"),
    )  # fmt: skip
    shown = list(files.select_related("beneficiary").order_by("-filed_on", "-id")[:MEMBER_FILES_SHOWN])
    zero = Decimal("0.00")
    return MemberClaims(
        files=shown, count=totals["count"], paid=totals["paid"] or zero, amo=totals["amo"] or zero,
        complementary=totals["complementary"] or zero, remainder=totals["remainder"] or zero,
    )  # fmt: skip


# --- Where a member's file stands, and when it should be decided and paid -------------------------

DELAY_WINDOW_DAYS = 90  # the delays measured on the files decided (paid) in the last 90 days
DELAY_MIN_FILES = 20  # fewer files than this measure nothing: the fallback delays are used
# The fallback, the mutual's commitments to its members (service targets, not a rule of law).
FALLBACK_DECISION_DAYS = 30
FALLBACK_PAYMENT_DAYS = 15
DECIDED = (ClaimStatus.APPROVED, ClaimStatus.REJECTED)
DECIDED_FROM = (ClaimStatus.ADJUDICATED, ClaimStatus.MEDICAL_REVIEW)  # not a payment put back (in payment -> approved)


@dataclass(frozen=True)
class Delay:
    days: int  # the median, in whole days (a half day counts as a day)
    files: int  # how many files it was measured on; 0 when it is the fallback
    measured: bool


@dataclass(frozen=True)
class Delays:
    decision: Delay  # filing -> decision (approved or rejected)
    payment: Delay  # decision -> paid


def _median_days(qs: QuerySet[Any], field: str) -> tuple[int | None, int]:
    """The median of the duration `field` over `qs` in whole days (rounded up) and the count: the
    database sorts, two rows come back (the middle ones), whatever the number of files."""
    count = qs.count()
    if count == 0:
        return None, 0
    ordered = qs.order_by(field).values_list(field, flat=True)
    middle = list(ordered[(count - 1) // 2 : count // 2 + 1])
    total = sum((d.days for d in middle), 0)
    return -(-total // len(middle)), count


def claim_delays_measure(*, today: date) -> Delays:
    """The current delays: the median, over the files decided in the last DELAY_WINDOW_DAYS days, of
    the days from filing to decision; over the files paid in that time, of the days from decision to
    payment. Fewer than DELAY_MIN_FILES files: the fallback delays. Four queries."""
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=DELAY_WINDOW_DAYS), dt.time.min))
    decided = ClaimTransition.objects.filter(to_status__in=DECIDED, from_status__in=DECIDED_FROM, at__gte=since)
    decision = decided.annotate(
        delay=ExpressionWrapper(TruncDate("at") - F("file__filed_on"), output_field=DurationField())
    )
    decided_at = Subquery(
        ClaimTransition.objects.filter(
            file_id=OuterRef("file_id"), to_status=ClaimStatus.APPROVED, from_status__in=DECIDED_FROM,
            version__lt=OuterRef("version"),
        ).order_by("-version").values("at")[:1]
    )  # fmt: skip
    paid = ClaimTransition.objects.filter(to_status=ClaimStatus.PAID, at__gte=since).annotate(
        delay=ExpressionWrapper(TruncDate("at") - TruncDate(decided_at), output_field=DurationField())
    )
    d_days, d_count = _median_days(decision, "delay")
    p_days, p_count = _median_days(paid.filter(delay__isnull=False), "delay")
    return Delays(
        decision=_delay(d_days, d_count, FALLBACK_DECISION_DAYS), payment=_delay(p_days, p_count, FALLBACK_PAYMENT_DAYS)
    )


def _delay(days: int | None, files: int, fallback: int) -> Delay:
    if days is None or files < DELAY_MIN_FILES:
        return Delay(days=fallback, files=0, measured=False)
    return Delay(days=max(days, 0), files=files, measured=True)


def claim_delays(*, today: date) -> Delays:
    """claim_delays_measure, once a day (the cache): every member's page reads the same figures."""
    return cast(
        Delays, cache.get_or_set(f"claims:delays:{today.isoformat()}", lambda: claim_delays_measure(today=today), 86400)
    )


@dataclass(frozen=True)
class Step:
    key: str  # received, decided, paid
    label: Any
    done: bool
    on: date | None  # when it happened, or the estimate when not yet
    estimated: bool
    outcome: Any = ""  # the decision in words (approved, rejected), or why it waits


@dataclass(frozen=True)
class Progress:
    steps: list[Step]
    closed: bool  # rejected or cancelled: no payment will follow
    waiting_for_member: bool  # returned: the member's pieces are awaited
    delays: Delays


def claim_progress(*, claim: ClaimFile, delays: Delays, today: date) -> Progress:
    """The file's three steps (received, decided, paid) with the dates they happened on, or the
    estimated ones: the filing date plus the current decision delay, then the payment delay (never
    before today: a file late on the median is expected any day now). Reads the file's transitions
    (prefetched by claim_get)."""
    moves = list(claim.transitions.all())
    decided = next((t for t in reversed(moves) if t.to_status in DECIDED and t.from_status in DECIDED_FROM), None)
    paid = next((t for t in reversed(moves) if t.to_status == ClaimStatus.PAID), None)
    status = claim.status
    closed = status in (ClaimStatus.REJECTED, ClaimStatus.CANCELLED)
    waiting = status in (ClaimStatus.RETURNED,)
    still = status not in (ClaimStatus.APPROVED, ClaimStatus.IN_PAYMENT, ClaimStatus.PAID) and not closed
    decided_on = timezone.localdate(decided.at) if decided is not None and not still else None
    decision_estimate = None
    if decided_on is None and not closed and not waiting:
        decision_estimate = max(claim.filed_on + dt.timedelta(days=delays.decision.days), today)
    paid_on = timezone.localdate(paid.at) if paid is not None and status == ClaimStatus.PAID else None
    payment_estimate = None
    base = decided_on or decision_estimate
    if paid_on is None and base is not None and not closed:
        payment_estimate = max(base + dt.timedelta(days=delays.payment.days), today)
    outcome = ClaimStatus(status).label if decided_on is not None or closed else ""
    steps = [
        Step("received", _("Received"), True, claim.filed_on, False),
        Step("decided", _("Decided"), decided_on is not None or closed, decided_on or decision_estimate,
             decision_estimate is not None, outcome),
        Step("paid", _("Paid"), paid_on is not None, paid_on or payment_estimate, payment_estimate is not None),
    ]  # fmt: skip
    return Progress(steps=steps, closed=closed, waiting_for_member=waiting, delays=delays)
