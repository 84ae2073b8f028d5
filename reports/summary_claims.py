"""The claim files' summary rows, each set computed by GROUP BY queries in the database.

Every builder returns the rows of one summary table (few: weeks, months, buckets, reasons) from
aggregate queries over the claim tables, through the ORM so that SQLite and PostgreSQL run the
same statements; reports.summary replaces the table's rows with them in one transaction. No
builder reads one row per file into Python: at 1.5 million files a year the work stays in SQL.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, DateField, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import TruncDate, TruncMonth, TruncWeek

from claims.models import ClaimFile, ClaimLine, ClaimStatus, ClaimTransition, LineStatus
from reports.models import BacklogStats, DecisionStats, DelayStats, RejectionStats, WeeklyClaimStats

S = ClaimStatus
ZERO = Decimal("0.00")

# A file leaves the backlog when it is paid, rejected or cancelled.
OPEN_STATUSES = (S.RECEIVED, S.INCOMPLETE, S.RETURNED, S.ADJUDICATED, S.MEDICAL_REVIEW, S.APPROVED, S.IN_PAYMENT)
# A decision: out of adjudication or medical review into approved or rejected (not a payment sent
# back to "approved" by a rejected transfer).
DECISION = Q(to_status__in=[S.APPROVED, S.REJECTED], from_status__in=[S.ADJUDICATED, S.MEDICAL_REVIEW])
# A step some person had to take on the file: papers asked for, medical review, the engine's
# decision sent back to be done again. A file decided with none of these was decided by the engine
# alone (the officer's approval confirms the engine's amounts; docs/dashboard.md).
MANUAL_STEP = (
    Q(to_status__in=[S.INCOMPLETE, S.RETURNED, S.MEDICAL_REVIEW])
    | Q(from_status=S.ADJUDICATED, to_status=S.RECEIVED)
    | Q(from_status=S.MEDICAL_REVIEW)
)
DECIDED_LINES = (LineStatus.ACCEPTED, LineStatus.REDUCED, LineStatus.REJECTED)


def _date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def weekly_rows() -> list[WeeklyClaimStats]:
    """Files filed, decided and paid per week (Monday); three GROUP BY queries."""
    weeks: dict[dt.date, WeeklyClaimStats] = {}

    def row(week: dt.date | dt.datetime) -> WeeklyClaimStats:
        day = _date(week)
        if day not in weeks:
            weeks[day] = WeeklyClaimStats(week=day)
        return weeks[day]

    received = ClaimFile.objects.annotate(w=TruncWeek("filed_on")).values("w").annotate(n=Count("id")).order_by()
    for r in received:
        row(r["w"]).received = r["n"]
    week_at = TruncWeek("at", output_field=DateField())
    decided = (
        ClaimTransition.objects.filter(DECISION)
        .annotate(w=week_at)
        .values("w")
        .annotate(n=Count("file_id", distinct=True))
        .order_by()
    )
    for r in decided:
        row(r["w"]).decided = r["n"]
    paid = (
        ClaimTransition.objects.filter(to_status=S.PAID)
        .annotate(w=week_at)
        .values("w")
        .annotate(n=Count("file_id", distinct=True), amo=Sum("file__amo"), compl=Sum("file__complementary"))
        .order_by()
    )
    for r in paid:
        target = row(r["w"])
        target.paid, target.paid_amo, target.paid_complementary = r["n"], r["amo"] or ZERO, r["compl"] or ZERO
    return [weeks[w] for w in sorted(weeks)]


def backlog_rows(*, today: dt.date) -> list[BacklogStats]:
    """Open files by status and age on `today` (0–7, 8–30, 31–60, over 60 days since filing); one query."""
    b = BacklogStats.Bucket
    limits = {d: today - dt.timedelta(days=d) for d in (7, 30, 60)}
    counts = (
        ClaimFile.objects.filter(status__in=OPEN_STATUSES)
        .values("status")
        .annotate(
            d0=Count("id", filter=Q(filed_on__gte=limits[7])),
            d8=Count("id", filter=Q(filed_on__lt=limits[7], filed_on__gte=limits[30])),
            d31=Count("id", filter=Q(filed_on__lt=limits[30], filed_on__gte=limits[60])),
            d61=Count("id", filter=Q(filed_on__lt=limits[60])),
        )
        .order_by("status")
    )
    rows = []
    for r in counts:
        for bucket, key in ((b.D0_7, "d0"), (b.D8_30, "d8"), (b.D31_60, "d31"), (b.D61, "d61")):
            if r[key]:
                rows.append(BacklogStats(status=r["status"], bucket=bucket, files=r[key]))
    return rows


def delay_rows() -> list[DelayStats]:
    """Files paid per month by whole days from filing to payment (the day the payment was recorded)."""
    delay = ExpressionWrapper(TruncDate("at") - F("file__filed_on"), output_field=DurationField())
    groups = (
        ClaimTransition.objects.filter(to_status=S.PAID)
        .annotate(m=TruncMonth("at", output_field=DateField()), delay=delay)
        .values("m", "delay")
        .annotate(n=Count("file_id", distinct=True))
        .order_by()
    )
    cells: dict[tuple[dt.date, int], int] = defaultdict(int)
    for r in groups:
        # A payment recorded before the filing date (a file's date typed late) counts as the same day.
        days = max(0, r["delay"].days) if r["delay"] is not None else 0
        cells[_date(r["m"]), days] += r["n"]
    return [DelayStats(month=m, days=d, files=n) for (m, d), n in sorted(cells.items())]


def decision_rows() -> list[DecisionStats]:
    """Files decided per month, and how many of them with no manual step."""
    manual = Exists(ClaimTransition.objects.filter(MANUAL_STEP, file_id=OuterRef("file_id")))
    groups = (
        ClaimTransition.objects.filter(DECISION)
        .annotate(m=TruncMonth("at", output_field=DateField()), manual=manual)
        .values("m", "manual")
        .annotate(n=Count("file_id", distinct=True))
        .order_by()
    )
    months: dict[dt.date, DecisionStats] = {}
    for r in groups:
        day = _date(r["m"])
        row = months.setdefault(day, DecisionStats(month=day))
        row.decided += r["n"]
        if not r["manual"]:
            row.automatic += r["n"]
    return [months[m] for m in sorted(months)]


def rejection_rows() -> list[RejectionStats]:
    """Decided lines per month of filing and first reason ("" for a line with none), with how many
    of them were rejected; the page divides by the month's total for the rejection rate."""
    groups = (
        ClaimLine.objects.filter(status__in=DECIDED_LINES)
        .annotate(m=TruncMonth("file__filed_on"), reason=KeyTextTransform("0", "reasons"))
        .values("m", "reason")
        .annotate(n=Count("id"), rejected=Count("id", filter=Q(status=LineStatus.REJECTED)))
        .order_by()
    )
    cells: dict[tuple[dt.date, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in groups:
        cell = cells[_date(r["m"]), r["reason"] or ""]
        cell[0] += r["n"]
        cell[1] += r["rejected"]
    return [RejectionStats(month=m, reason=k, lines=n, rejected=j) for (m, k), (n, j) in sorted(cells.items())]
