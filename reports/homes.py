"""Each role's home page is its work: counts of what waits for the user, each linking to the list
that shows those files (issue 14). Read-only; one or two aggregate queries per card, whatever the
volume, and a card only for the permissions the user holds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Aggregate, Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.models import Channel, ClaimStatus
from claims.selectors import claims_visible, prior_approvals_pending, review_queue
from contributions.models import PayrollFile
from contributions.models.payroll import PayrollState
from grievances.selectors import queue_counts
from payments.models import BatchState, Payment, PaymentBatch, PaymentState

S = ClaimStatus
# The claims officer's queue: what waits for their decision or for papers.
QUEUE_STATUSES = (S.RECEIVED, S.INCOMPLETE, S.ADJUDICATED)
# Age buckets in days since filing: (label, youngest, oldest or None).
AGES: tuple[tuple[Any, int, int | None], ...] = (
    (_("0–7 days"), 0, 7),
    (_("8–30 days"), 8, 30),
    (_("31–60 days"), 31, 60),
    (_("over 60 days"), 61, None),
)


@dataclass(frozen=True, slots=True)
class Item:
    label: str
    count: int
    url: str
    oldest: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Card:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)
    # A table of counts: rows (a label and one item per column) under column headings.
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[str, list[Item]]] = field(default_factory=list)
    link: tuple[str, str] | None = None  # (text, url) of the card's page


def claims_list_url(**params: Any) -> str:
    """The claims list filtered by plain GET parameters (status, channel, filed_from, filed_to)."""
    query = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in params.items() if v not in (None, "")}
    return f"{reverse('claims:list')}?{urlencode(query)}" if query else reverse("claims:list")


def _day(value: dt.date | dt.datetime | None) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value)
    return value


def reception_card(*, user: Any, today: dt.date) -> Card:
    """Files taken at the counter today: by this agent and by the whole desk."""
    counts = (
        claims_visible(user=user)
        .filter(channel=Channel.COUNTER, filed_on=today)
        .aggregate(desk=Count("id"), mine=Count("id", filter=Q(created_by=user)))
    )
    url = claims_list_url(channel=Channel.COUNTER, filed_from=today, filed_to=today)
    items = [
        Item(str(_("Filed by you today")), counts["mine"], url),
        Item(str(_("Filed at the counter today (the whole desk)")), counts["desk"], url),
    ]
    return Card("reception", str(_("Files of the day")), items, link=(str(_("Counter")), reverse("claims:counter")))


def officer_card(*, user: Any, today: dt.date) -> Card:
    """Received, incomplete and adjudicated files by age (days since filing), one query."""
    bounds = []
    for label, young, old in AGES:
        newest = today - dt.timedelta(days=young)
        oldest = today - dt.timedelta(days=old) if old is not None else None
        bounds.append((str(label), oldest, newest))
    aggregates: dict[str, Aggregate] = {}
    for i, (_label, oldest, newest) in enumerate(bounds):
        cond = Q(filed_on__lte=newest) & (Q(filed_on__gte=oldest) if oldest else Q())
        aggregates[f"a{i}"] = Count("id", filter=cond)
    aggregates["first"] = Min("filed_on")
    rows_db = {
        r["status"]: r
        for r in claims_visible(user=user)
        .filter(status__in=QUEUE_STATUSES)
        .values("status")
        .annotate(**aggregates)
        .order_by()
    }
    rows = []
    for status in QUEUE_STATUSES:
        found = rows_db.get(status, {})
        items = [
            Item(label, int(found.get(f"a{i}", 0)), claims_list_url(status=status, filed_from=oldest, filed_to=newest))
            for i, (label, oldest, newest) in enumerate(bounds)
        ]
        total = Item(str(_("All")), sum(i.count for i in items), claims_list_url(status=status), found.get("first"))
        rows.append((f"{S(status).label}", [*items, total]))
    columns = [b[0] for b in bounds] + [str(_("All"))]
    return Card("officer", str(_("Your queue by age (days since filing)")), columns=columns, rows=rows)


def doctor_card(*, user: Any) -> Card:
    """Files in medical review and prior approvals to decide: how many, and since when."""
    # The same querysets as the queues the counts link to.
    review = review_queue(user=user).aggregate(n=Count("id"), first=Min("filed_on"))
    pending = prior_approvals_pending(user=user).aggregate(n=Count("id"), first=Min("requested_at"))
    items = [
        Item(str(_("Files in medical review")), review["n"], reverse("claims:review_queue"), _day(review["first"])),
        Item(
            str(_("Prior approvals to decide")), pending["n"], reverse("claims:approval_queue"), _day(pending["first"])
        ),
    ]
    return Card("doctor", str(_("Your reviews")), items)


def accountant_card(*, user: Any) -> Card:
    """Batches by state, payments awaiting the bank's return, rejected payments, payroll files."""
    by_state = dict(
        PaymentBatch.objects.exclude(state__in=[BatchState.CONFIRMED, BatchState.CANCELLED])
        .values_list("state")
        .annotate(n=Count("id"))
        .order_by()
    )
    payments = Payment.objects.aggregate(
        sent=Count("id", filter=Q(state=PaymentState.EXPORTED)),
        rejected=Count("id", filter=Q(state=PaymentState.REJECTED, requeued_at__isnull=True)),
    )
    payroll = PayrollFile.objects.aggregate(
        importing=Count("id", filter=Q(state=PayrollState.IMPORTING)),
        refused=Count("id", filter=Q(state=PayrollState.REFUSED)),
    )
    approved = claims_visible(user=user).filter(status=S.APPROVED).count()
    batches = reverse("payments:list")
    # Every state a batch waits in, even at zero: the accountant sees that nothing waits.
    waiting = (BatchState.PREPARING, BatchState.PREPARED, BatchState.VALIDATED, BatchState.EXPORTED)
    items = [Item(f"{_('Batches')!s}: {BatchState(state).label}", by_state.get(state, 0), batches) for state in waiting]
    items += [
        Item(str(_("Approved files waiting for a batch")), approved, claims_list_url(status=S.APPROVED)),
        Item(str(_("Payments sent, bank return to import")), payments["sent"], reverse("payments:returns")),
        Item(str(_("Rejected payments to send again")), payments["rejected"], reverse("payments:rejected")),
        Item(str(_("Payroll files being imported")), payroll["importing"], reverse("contributions:payroll_list")),
        Item(str(_("Payroll files refused")), payroll["refused"], reverse("contributions:payroll_list")),
    ]
    return Card("accountant", str(_("Batches and returns")), items)


def grievances_card(*, user: Any, today: dt.date) -> Card:
    """Open and late complaints and appeals (one aggregate query, the queue's own counts); the
    links are the queue's filters (grievances/urls.py, QueueFilterForm: open by default, late=on)."""
    counts = queue_counts(user=user, today=today)
    queue = reverse("grievances:queue")
    items = [
        Item(str(_("Open complaints and appeals")), counts.open, queue),
        Item(str(_("Late (due date passed)")), counts.late, f"{queue}?{urlencode({'late': 'on'})}"),
    ]
    return Card("grievances", str(_("Complaints and appeals to answer")), items)


def homes_for(*, user: Any, today: dt.date | None = None) -> list[Card]:
    """The cards of `user`'s home, by the permissions they hold (a user with several roles gets each)."""
    day = today or timezone.localdate()
    cards = []
    if user.has_perm("claims.add_claimfile") and user.has_perm("members.add_member"):
        cards.append(reception_card(user=user, today=day))
    if user.has_perm("claims.adjudicate_claimfile"):
        cards.append(officer_card(user=user, today=day))
    if user.has_perm("claims.review_claimfile") or user.has_perm("claims.decide_priorapproval"):
        cards.append(doctor_card(user=user))
    if user.has_perm("payments.prepare_paymentbatch"):
        cards.append(accountant_card(user=user))
    if user.has_perm("grievances.answer_grievance"):
        cards.append(grievances_card(user=user, today=day))
    if user.has_perm("reports.view_dashboard"):
        cards.append(Card("dashboard", str(_("Management dashboard")),
                          link=(str(_("Open the dashboard")), reverse("reports:dashboard"))))  # fmt: skip
    return cards
