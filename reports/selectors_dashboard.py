"""What the management dashboard shows, read from the summary tables only (never the claim tables).

Each figure comes with its period and the time its table was refreshed. Amounts stay Decimal,
shares are Decimal percentages rounded to one decimal; a constant number of queries whatever the
data (one or two per table, aggregated in the database).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum
from django.db.models.functions import ExtractYear

from members.models import Administration, Region
from reports.models import (
    BacklogStats,
    BenchmarkFigure,
    BenchmarkName,
    ContributionStats,
    DecisionStats,
    DelayStats,
    PlanBudget,
    RejectionStats,
    SpendingRollup,
    SummaryRefresh,
    WeeklyClaimStats,
)

ZERO = Decimal("0.00")
TENTH = Decimal("0.1")
WEEKS_SHOWN = 26
TOP_ADMINISTRATIONS = 10


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """part / whole in percent, one decimal (half up); None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Period:
    """Months [first, last] (first days of months), the key the page's links carry."""

    key: str
    first: dt.date
    last: dt.date

    def months(self) -> Q:
        return Q(month__gte=self.first, month__lte=self.last)


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _months_back(day: dt.date, n: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


def period_parse(raw: str | None, *, as_of: dt.date) -> Period:
    """ "12m" (default: the 12 months up to the refresh's month), "all", or a year "2025"; anything
    else is the default (a hostile value changes nothing but the period shown)."""
    last = _month(as_of)
    if raw == "all":
        return Period("all", dt.date(1900, 1, 1), dt.date(9998, 12, 1))
    if raw and raw.isdigit() and len(raw) == 4 and 1900 < int(raw) < 9999:
        year = int(raw)
        return Period(raw, dt.date(year, 1, 1), dt.date(year, 12, 1))
    return Period("12m", _months_back(last, 11), last)


@dataclass(frozen=True, slots=True)
class Freshness:
    refreshed_at: dt.datetime | None
    as_of: dt.date | None


def freshness() -> dict[str, Freshness]:
    """Table name -> when it was last rebuilt (missing: never)."""
    return {r.table: Freshness(r.refreshed_at, r.as_of) for r in SummaryRefresh.objects.all()}


def years_with_data() -> list[int]:
    rows = (
        SpendingRollup.objects.filter(dimension=SpendingRollup.Dimension.CATEGORY)
        .annotate(y=ExtractYear("month"))
        .values_list("y", flat=True)
        .distinct()
    )
    return sorted({int(y) for y in rows}, reverse=True)


@dataclass(frozen=True, slots=True)
class Delays:
    files: int
    average: Decimal | None
    p90: int | None
    within_30: Decimal | None
    within_60: Decimal | None
    histogram: list[tuple[int, int]] = field(default_factory=list)


def delays_from(histogram: list[tuple[int, int]]) -> Delays:
    """Average, 90th percentile (nearest rank: the smallest delay that 90 % of the files did not
    exceed) and shares paid within 30 and 60 days, from (days, files) pairs."""
    cells = sorted((d, n) for d, n in histogram if n)
    total = sum(n for _, n in cells)
    if not total:
        return Delays(0, None, None, None, None, [])
    average = (Decimal(sum(d * n for d, n in cells)) / total).quantize(TENTH, rounding=ROUND_HALF_UP)
    rank = -(-total * 9 // 10)  # ceil(0.9 × total) without floats
    seen, p90 = 0, cells[-1][0]
    for days, n in cells:
        seen += n
        if seen >= rank:
            p90 = days
            break
    within_30 = percent(sum(n for d, n in cells if d <= 30), total)
    within_60 = percent(sum(n for d, n in cells if d <= 60), total)
    return Delays(total, average, p90, within_30, within_60, cells)


def delays(period: Period) -> Delays:
    rows = DelayStats.objects.filter(period.months()).values("days").annotate(n=Sum("files")).order_by("days")
    return delays_from([(r["days"], r["n"]) for r in rows])


def benchmarks(on: dt.date) -> dict[str, Decimal]:
    """The basic insurer's figures in force on `on`, by name."""
    rows = BenchmarkFigure.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on), valid_from__lte=on)
    # 54.00 reads "54": the figures are whole unless published with decimals.
    return {r.name: r.value.quantize(Decimal(1)) if r.value == r.value.to_integral_value() else r.value.normalize()
            for r in rows.order_by("valid_from")}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Week:
    week: dt.date
    received: int
    decided: int
    paid: int


def weeks(period: Period) -> list[Week]:
    """The last WEEKS_SHOWN weeks of the period (a week counts in the month of its Monday)."""
    end = _months_back(period.last, -1)
    rows = WeeklyClaimStats.objects.filter(week__gte=period.first, week__lt=end).order_by("-week")[:WEEKS_SHOWN]
    return [Week(r.week, r.received, r.decided, r.paid) for r in reversed(list(rows))]


@dataclass(frozen=True, slots=True)
class BacklogCell:
    status: str
    bucket: str
    files: int


def backlog() -> list[BacklogCell]:
    return [BacklogCell(r.status, r.bucket, r.files) for r in BacklogStats.objects.order_by("status", "bucket")]


@dataclass(frozen=True, slots=True)
class Decisions:
    decided: int
    automatic: int
    rate: Decimal | None
    by_month: list[tuple[dt.date, int, int]]


def decisions(period: Period) -> Decisions:
    rows = list(DecisionStats.objects.filter(period.months()).order_by("month"))
    decided, automatic = sum(r.decided for r in rows), sum(r.automatic for r in rows)
    return Decisions(decided, automatic, percent(automatic, decided), [(r.month, r.decided, r.automatic) for r in rows])


@dataclass(frozen=True, slots=True)
class Rejection:
    reason: str
    rejected: int
    rate: Decimal | None


@dataclass(frozen=True, slots=True)
class Rejections:
    lines: int
    rejected: int
    rate: Decimal | None
    by_reason: list[Rejection]


def rejections(period: Period) -> Rejections:
    rows = RejectionStats.objects.filter(period.months()).values("reason").annotate(n=Sum("lines"), r=Sum("rejected"))
    cells = [(row["reason"], int(row["n"] or 0), int(row["r"] or 0)) for row in rows]
    lines, rejected = sum(c[1] for c in cells), sum(c[2] for c in cells)
    by_reason = [Rejection(k, r, percent(r, lines)) for k, _, r in sorted(cells, key=lambda c: (-c[2], c[0])) if r]
    return Rejections(lines, rejected, percent(rejected, lines), by_reason)


@dataclass(frozen=True, slots=True)
class Spent:
    """One slice of spending: its key (category code, region code, administration, month)."""

    key: str
    label: str
    lines: int
    amo: Decimal
    complementary: Decimal

    @property
    def reimbursed(self) -> Decimal:
        return self.amo + self.complementary


@dataclass(frozen=True, slots=True)
class Spending:
    by_category: list[Spent]
    by_region: list[Spent]
    by_administration: list[Spent]
    by_month: list[Spent]


def _ranked(rows: list[Spent]) -> list[Spent]:
    return sorted(rows, key=lambda s: (-s.reimbursed, s.key))


def spending(period: Period, *, category_label: dict[str, str]) -> Spending:
    """Three queries on the rollups (dimensions, months, administrations' names), whatever the period."""
    qs = SpendingRollup.objects.filter(period.months())
    cells: dict[str, list[Spent]] = {d: [] for d in SpendingRollup.Dimension.values}
    rows = qs.values("dimension", "key").annotate(n=Sum("lines"), amo_=Sum("amo"), compl=Sum("complementary"))
    for r in rows.order_by():
        cells[r["dimension"]].append(Spent(r["key"], "", int(r["n"] or 0), r["amo_"] or ZERO, r["compl"] or ZERO))
    d = SpendingRollup.Dimension
    categories = _ranked([Spent(s.key, category_label.get(s.key, s.key), s.lines, s.amo, s.complementary)
                          for s in cells[d.CATEGORY]])  # fmt: skip
    region_names = {str(k): str(v) for k, v in Region.choices}
    regions = _ranked([Spent(s.key, region_names.get(s.key, "—"), s.lines, s.amo, s.complementary)
                       for s in cells[d.REGION]])  # fmt: skip
    adm_rows = _ranked(cells[d.ADMINISTRATION])
    top, rest = adm_rows[:TOP_ADMINISTRATIONS], adm_rows[TOP_ADMINISTRATIONS:]
    ids = [int(s.key) for s in top if s.key.isdigit()]
    names = {str(a.pk): a.name for a in Administration.objects.filter(pk__in=ids)} if ids else {}
    administrations = [Spent(s.key, names.get(s.key, s.key), s.lines, s.amo, s.complementary) for s in top]
    if rest:
        administrations.append(
            Spent("", "", sum(s.lines for s in rest), sum((s.amo for s in rest), ZERO),
                  sum((s.complementary for s in rest), ZERO))
        )  # fmt: skip
    months = (
        qs.filter(dimension=d.CATEGORY)
        .values("month")
        .annotate(n=Sum("lines"), amo_=Sum("amo"), compl=Sum("complementary"))
        .order_by("month")
    )
    by_month = [Spent(f"{r['month']:%Y-%m}", f"{r['month']:%Y-%m}", int(r["n"] or 0), r["amo_"] or ZERO,
                      r["compl"] or ZERO) for r in months]  # fmt: skip
    return Spending(categories, regions, administrations, by_month)


@dataclass(frozen=True, slots=True)
class Budget:
    first: dt.date
    end: dt.date | None
    amount: Decimal
    spent: Decimal
    used: Decimal | None


def budget(on: dt.date) -> Budget | None:
    """The plan's budget in force on `on` and the complementary amounts of care in its period."""
    row = (
        PlanBudget.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on), valid_from__lte=on)
        .order_by("-valid_from")
        .first()
    )
    if row is None:
        return None
    qs = SpendingRollup.objects.filter(dimension=SpendingRollup.Dimension.CATEGORY, month__gte=_month(row.valid_from))
    if row.valid_to is not None:
        qs = qs.filter(month__lt=row.valid_to)
    spent = qs.aggregate(s=Sum("complementary"))["s"] or ZERO
    return Budget(row.valid_from, row.valid_to, row.amount, spent, percent(spent, row.amount))


@dataclass(frozen=True, slots=True)
class Contributions:
    due: Decimal
    collected: Decimal
    collected_share: Decimal | None
    due_complementary: Decimal
    collected_complementary: Decimal
    collected_amo: Decimal
    paid_complementary: Decimal
    paid_amo: Decimal
    # Benefits paid / contributions collected, for the complementary plan and the basic (AMO) layer.
    loss_ratio_complementary: Decimal | None
    loss_ratio_amo: Decimal | None


def contributions(period: Period) -> Contributions:
    c = ContributionStats.objects.filter(period.months()).aggregate(
        due=Sum("due_total"), got=Sum("paid_total"), due_c=Sum("due_complementary"),
        got_c=Sum("paid_complementary"), got_a=Sum("paid_amo"),
    )  # fmt: skip
    end = _months_back(period.last, -1)
    w = WeeklyClaimStats.objects.filter(week__gte=period.first, week__lt=end).aggregate(
        c=Sum("paid_complementary"), a=Sum("paid_amo")
    )
    due, got = c["due"] or ZERO, c["got"] or ZERO
    got_c, got_a = c["got_c"] or ZERO, c["got_a"] or ZERO
    paid_c, paid_a = w["c"] or ZERO, w["a"] or ZERO
    return Contributions(
        due=due,
        collected=got,
        collected_share=percent(got, due),
        due_complementary=c["due_c"] or ZERO,
        collected_complementary=got_c,
        collected_amo=got_a,
        paid_complementary=paid_c,
        paid_amo=paid_a,
        loss_ratio_complementary=percent(paid_c, got_c),
        loss_ratio_amo=percent(paid_a, got_a),
    )


__all__ = [
    "BenchmarkName",
    "Budget",
    "Contributions",
    "Delays",
    "Period",
    "Spending",
    "backlog",
    "benchmarks",
    "budget",
    "contributions",
    "decisions",
    "delays",
    "delays_from",
    "freshness",
    "percent",
    "period_parse",
    "rejections",
    "spending",
    "weeks",
    "years_with_data",
]
