"""Reads of complaints and appeals, already scoped to the reader, with related rows fetched."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from allowances.models import AllowanceRequest
from claims.models import ClaimLine, LineStatus
from grievances.models import OPEN_STATUSES, Grievance, GrievanceCategory, Kind, Status
from grievances.services.filing import FINAL
from members.models import Member, RightsSuspension
from payments.models import Payment, PaymentState

VIEW = "grievances.view_grievance"
QUEUE_SIZE = 200


def grievances_visible(*, user: Any) -> QuerySet[Grievance]:
    """Staff who may read grievances see all; a provider's user those its provider filed; a member their own."""
    if not getattr(user, "is_authenticated", False):
        return Grievance.objects.none()
    if user.has_perm(VIEW):
        return Grievance.objects.all()
    if user.provider_id is not None:
        return Grievance.objects.filter(provider_id=user.provider_id)
    return Grievance.objects.filter(member__user=user)


def grievance_get(*, user: Any, pk: int) -> Grievance:
    """One grievance with what its page shows; 404 for one the reader may not see, as for one that does not exist."""
    found = (
        grievances_visible(user=user)
        .select_related(
            "category",
            "member",
            "claim_line__file",
            "payment__batch",
            "allowance_request__type",
            "suspension",
            "filed_by",
            "answered_by",
            "reviewed_by",
            "revision_file",
        )
        .prefetch_related("attachments", "transitions__actor")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""  # "" = the open ones
    kind: str = ""
    category: str = ""
    late: bool = False


@dataclass(frozen=True)
class QueueCounts:
    open: int
    late: int
    complaints: int
    appeals: int
    in_review: int


def grievance_queue(*, user: Any, filters: QueueFilters, today: dt.date | None = None) -> QuerySet[Grievance]:
    """The officers' queue, the most overdue first; a fixed number of queries whatever its length."""
    today = today or timezone.localdate()
    qs = grievances_visible(user=user).select_related("category", "member")
    qs = qs.filter(status=filters.status) if filters.status in Status.values else qs.filter(status__in=OPEN_STATUSES)
    if filters.kind in Kind.values:
        qs = qs.filter(kind=filters.kind)
    if filters.category:
        qs = qs.filter(category__code=filters.category)
    if filters.late:
        qs = qs.filter(status__in=OPEN_STATUSES, due_on__lt=today)
    return qs.order_by("due_on", "id")


def queue_counts(*, user: Any, today: dt.date | None = None) -> QueueCounts:
    today = today or timezone.localdate()
    open_ = Q(status__in=OPEN_STATUSES)
    found = grievances_visible(user=user).aggregate(
        open=Count("id", filter=open_),
        late=Count("id", filter=open_ & Q(due_on__lt=today)),
        complaints=Count("id", filter=open_ & Q(kind=Kind.COMPLAINT)),
        appeals=Count("id", filter=open_ & Q(kind=Kind.APPEAL)),
        in_review=Count("id", filter=Q(status=Status.IN_REVIEW)),
    )
    return QueueCounts(**found)


def member_grievances(*, member: Member) -> QuerySet[Grievance]:
    """A member's own complaints and appeals, newest first (the portal's list, with the answers)."""
    qs = Grievance.objects.filter(member=member).select_related("category", "claim_line__file", "revision_file")
    return qs.order_by("-filed_at", "-id")


def categories_active() -> list[GrievanceCategory]:
    return list(GrievanceCategory.objects.filter(active=True).order_by("kind", "position", "code"))


@dataclass(frozen=True)
class MemberDecisions:
    """What a member may contest, for the filing form (newest first, a bounded number of each)."""

    lines: list[ClaimLine]
    payments: list[Payment]
    allowances: list[AllowanceRequest]
    suspensions: list[RightsSuspension]


DECISIONS_SHOWN = 50


def member_decisions(*, member: Member) -> MemberDecisions:
    lines = (
        ClaimLine.objects.filter(member_id=member.pk, file__member=member, file__status__in=FINAL)
        .exclude(status=LineStatus.PENDING)
        .select_related("file")
        .order_by("-file__filed_on", "-file_id", "position")[:DECISIONS_SHOWN]
    )
    payments = Payment.objects.filter(member=member).exclude(state=PaymentState.CANCELLED).select_related("batch")
    allowances = AllowanceRequest.objects.filter(member=member).select_related("type")
    return MemberDecisions(
        lines=list(lines),
        payments=list(payments.order_by("-id")[:DECISIONS_SHOWN]),
        allowances=list(allowances.order_by("-id")[:DECISIONS_SHOWN]),
        suspensions=list(RightsSuspension.objects.filter(member=member).order_by("-starts_on")[:DECISIONS_SHOWN]),
    )


@dataclass(frozen=True)
class CategoryFigures:
    code: str
    label: str
    kind: str
    filed: int
    open: int
    late: int  # open and past the due date
    answered: int
    answered_in_time: int
    upheld: int  # upheld or partly


@dataclass(frozen=True)
class AgeBucket:
    label: str  # "0-5", "6-30", "31+" days since filing, open ones only
    count: int


@dataclass(frozen=True)
class GrievanceSummary:
    categories: list[CategoryFigures]
    open_by_age: list[AgeBucket]
    filed: int
    open: int
    late: int


AGE_BUCKETS = ((0, 5), (6, 30), (31, None))


def grievances_summary(*, since: dt.date | None = None, until: dt.date | None = None,
                       today: dt.date | None = None) -> GrievanceSummary:  # fmt: skip
    """The dashboard's figures: per category, filed in [since, until] (both inclusive, None = no
    bound), how many are open, late, answered, answered by their due date, upheld; open ones by age.
    Two grouped queries whatever the volume (indexes: grievance_category_status, grievance_status_due).
    The caller checks the reader's permission (reports: managers)."""
    today = today or timezone.localdate()
    qs = Grievance.objects.all()
    if since is not None:
        qs = qs.filter(filed_on__gte=since)
    if until is not None:
        qs = qs.filter(filed_on__lte=until)
    open_ = Q(status__in=OPEN_STATUSES)
    answered = Q(answered_at__isnull=False)
    rows = qs.values("category_id").annotate(
        filed=Count("id"),
        open=Count("id", filter=open_),
        late=Count("id", filter=open_ & Q(due_on__lt=today)),
        answered=Count("id", filter=answered),
        answered_in_time=Count("id", filter=answered & Q(answered_at__date__lte=F("due_on"))),
        upheld=Count("id", filter=Q(outcome__in=["upheld", "partly"])),
    )
    by_category = {r["category_id"]: r for r in rows}
    categories = []
    for cat in GrievanceCategory.objects.filter(pk__in=by_category).order_by("kind", "position", "code"):
        r = by_category[cat.pk]
        categories.append(CategoryFigures(cat.code, cat.label, cat.kind, r["filed"], r["open"], r["late"],
                                          r["answered"], r["answered_in_time"], r["upheld"]))  # fmt: skip
    ages = {}
    for low, high in AGE_BUCKETS:
        window = Q(filed_on__lte=today - dt.timedelta(days=low))
        if high is not None:
            window &= Q(filed_on__gte=today - dt.timedelta(days=high))
        ages[f"b{low}"] = Count("id", filter=open_ & window)
    aged = qs.aggregate(**ages)
    buckets = [
        AgeBucket(f"{low}-{high}" if high is not None else f"{low}+", aged[f"b{low}"]) for low, high in AGE_BUCKETS
    ]
    return GrievanceSummary(
        categories=categories, open_by_age=buckets, filed=sum(c.filed for c in categories),
        open=sum(c.open for c in categories), late=sum(c.late for c in categories),
    )  # fmt: skip


def approval_for_line(*, grievance: Grievance, number: str) -> int | None:
    """The id of the granted prior approval numbered `number` of the contested line's beneficiary."""
    from claims.models import PriorApproval

    line = grievance.claim_line
    if line is None or not number.strip():
        return None
    found = PriorApproval.objects.filter(number=number.strip().upper(), beneficiary_id=line.file.beneficiary_id)
    return found.values_list("pk", flat=True).first()
