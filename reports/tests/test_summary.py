"""The summary tables and the figures read from them, worked by hand on reports/tests/fixture.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports import selectors_dashboard as sel
from reports.models import (
    BacklogStats,
    DecisionStats,
    DelayStats,
    MonthlySpending,
    PlanBudget,
    RejectionStats,
    SummaryRefresh,
    WeeklyClaimStats,
)
from reports.summary import ORDER, reports_refresh_run
from reports.tests import fixture

pytestmark = pytest.mark.django_db
D = dt.date
ALL = sel.period_parse("all", as_of=fixture.TODAY)


@pytest.fixture
def built() -> dict[str, object]:
    files = fixture.build()
    reports_refresh_run(today=fixture.TODAY)
    return files


def _snapshot() -> list[list[tuple[object, ...]]]:
    models = (WeeklyClaimStats, BacklogStats, DelayStats, DecisionStats, RejectionStats, MonthlySpending)
    fields = {m: [f.attname for f in m._meta.concrete_fields if f.attname != "id"] for m in models}
    return [sorted(m.objects.values_list(*fields[m])) for m in models]


def test_it_counts_delays_from_filing_to_payment(built: object) -> None:
    # Paid after 20, 45 and 70 days: average 135 / 3 = 45.0; 90th percentile: rank ceil(0.9 × 3) = 3,
    # the 3rd smallest = 70; within 30 days 1 of 3 = 33.3 %; within 60 days 2 of 3 = 66.7 %.
    cells = sorted(DelayStats.objects.values_list("month", "days", "files"))
    assert cells == [(D(2026, 1, 1), 20, 1), (D(2026, 2, 1), 45, 1), (D(2026, 3, 1), 70, 1)]
    d = sel.delays(ALL)
    assert (d.files, d.average, d.p90) == (3, Decimal("45.0"), 70)
    assert (d.within_30, d.within_60) == (Decimal("33.3"), Decimal("66.7"))


def test_it_computes_the_90th_percentile_by_nearest_rank() -> None:
    # 10 files: 9 paid after 10 days, 1 after 100: rank ceil(0.9 × 10) = 9 -> 10 days; average 190 / 10 = 19.0.
    d = sel.delays_from([(10, 9), (100, 1)])
    assert (d.p90, d.average, d.within_30) == (10, Decimal("19.0"), Decimal("90.0"))
    # 11 files: rank ceil(9.9) = 10 -> the 10th smallest is 100.
    assert sel.delays_from([(10, 9), (100, 2)]).p90 == 100
    assert sel.delays_from([]).average is None


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 400), st.integers(1, 50)), min_size=1, max_size=20))
def test_it_keeps_the_percentile_within_the_delays_and_shares_ordered(cells: list[tuple[int, int]]) -> None:
    d = sel.delays_from(cells)
    days = [c[0] for c in cells]
    assert d.p90 is not None and min(days) <= d.p90 <= max(days)
    assert d.within_30 is not None and d.within_60 is not None and d.within_30 <= d.within_60 <= 100
    assert d.average is not None and min(days) <= d.average <= max(days)


def test_it_counts_automatic_decisions_as_files_with_no_manual_step(built: object) -> None:
    # January: F1 (engine only), F2 (was incomplete), F3 (medical review) -> 3 decided, 1 automatic;
    # February: F4 rejected straight from adjudication -> 1 of 1. Period: 2 of 4 = 50.0 %.
    rows = sorted(DecisionStats.objects.values_list("month", "decided", "automatic"))
    assert rows == [(D(2026, 1, 1), 3, 1), (D(2026, 2, 1), 1, 1)]
    assert sel.decisions(ALL).rate == Decimal("50.0")


def test_it_sorts_the_backlog_by_age_on_the_refresh_day(built: object) -> None:
    # On 2026-03-31: F5 received 1 day old (0–7), F7 incomplete 30 days (8–30), F6 adjudicated 70 days (> 60).
    cells = sorted(BacklogStats.objects.values_list("status", "bucket", "files"))
    assert cells == [("adjudicated", "61+", 1), ("incomplete", "8-30", 1), ("received", "0-7", 1)]


def test_it_counts_files_per_week(built: object) -> None:
    weeks = {w.week: (w.received, w.decided, w.paid) for w in WeeklyClaimStats.objects.all()}
    # Filed Mon 5 and Sat 10 January: both in the week of Monday 2026-01-05; F1 decided 01-07 there too.
    assert weeks[D(2026, 1, 5)] == (2, 1, 0)
    # F3 filed 01-12, F2 decided 01-16 -> week of 01-12; F7 filed Sunday 03-01 -> week of Monday 02-23.
    assert weeks[D(2026, 1, 12)] == (1, 1, 0)
    assert weeks[D(2026, 2, 23)][0] == 1
    # F1 paid Sunday 01-25 (week of 01-19): its AMO 64.00 and complementary 10.00.
    paid_week = WeeklyClaimStats.objects.get(week=D(2026, 1, 19))
    assert (paid_week.paid, paid_week.paid_amo, paid_week.paid_complementary) == (1, Decimal("64.00"), Decimal("10.00"))


def test_it_rates_rejections_by_reason(built: object) -> None:
    # Four decided lines (F1–F3 accepted with no reason, F4 rejected LATE_FILING): 1 / 4 = 25.0 %.
    r = sel.rejections(ALL)
    assert (r.lines, r.rejected, r.rate) == (4, 1, Decimal("25.0"))
    assert [(x.reason, x.rejected, x.rate) for x in r.by_reason] == [("LATE_FILING", 1, Decimal("25.0"))]


def test_it_sums_spending_by_category_and_against_the_budget(built: object) -> None:
    # F1–F3: three consultation lines (key letter C) of January 2026: AMO 3 × 64.00, complementary 3 × 10.00.
    s = sel.spending(ALL, category_label={})
    assert [(c.key, c.lines, c.amo, c.complementary) for c in s.by_category] == [
        ("consultation", 3, Decimal("192.00"), Decimal("30.00"))
    ]
    assert [m.key for m in s.by_month] == ["2026-01"]
    PlanBudget.objects.create(valid_from=D(2026, 1, 1), valid_to=D(2027, 1, 1), amount=Decimal("120.00"))
    b = sel.budget(fixture.TODAY)
    assert b is not None and (b.spent, b.used) == (Decimal("30.00"), Decimal("25.0"))  # 30 / 120


def test_it_sets_contributions_against_due_and_the_loss_ratio(built: object) -> None:
    # Due 3 × 80.00 = 240.00, collected 2 × 80.00 = 160.00 -> 66.7 %. Complementary benefits paid
    # (F1–F3, paid in weeks of January to March): 30.00 of 100.00 collected -> 30.0 %; AMO 192.00 / 60.00 -> 320.0 %.
    c = sel.contributions(ALL)
    assert (c.due, c.collected, c.collected_share) == (Decimal("240.00"), Decimal("160.00"), Decimal("66.7"))
    assert (c.paid_complementary, c.collected_complementary) == (Decimal("30.00"), Decimal("100.00"))
    assert c.loss_ratio_complementary == Decimal("30.0")
    assert c.loss_ratio_amo == Decimal("320.0")


def test_it_gives_the_same_rows_when_refreshed_again(built: object) -> None:
    first = _snapshot()
    reports_refresh_run(today=fixture.TODAY)
    assert _snapshot() == first
    assert SummaryRefresh.objects.count() == len(ORDER)
    assert set(SummaryRefresh.objects.values_list("as_of", flat=True)) == {fixture.TODAY}


def test_it_reads_the_benchmark_in_force_on_the_day() -> None:
    # Seeded by migration: 54 days and 76 % from 2024-01-01.
    bench = sel.benchmarks(D(2026, 1, 1))
    assert bench[sel.BenchmarkName.AVERAGE_DELAY] == Decimal("54")
    assert bench[sel.BenchmarkName.SHARE_60] == Decimal("76")
    assert sel.benchmarks(D(2023, 12, 31)) == {}


def test_it_takes_a_hostile_period_for_the_default() -> None:
    assert sel.period_parse("'; DROP TABLE x", as_of=D(2026, 3, 31)).key == "12m"
    p = sel.period_parse("12m", as_of=D(2026, 3, 31))
    assert (p.first, p.last) == (D(2025, 4, 1), D(2026, 3, 1))
    assert sel.period_parse("2025", as_of=D(2026, 3, 31)).first == D(2025, 1, 1)


def test_it_rolls_up_spending_to_the_same_totals_along_each_dimension(built: object) -> None:
    from django.db.models import Sum

    from reports.models import SpendingRollup

    cube = MonthlySpending.objects.aggregate(n=Sum("lines"), a=Sum("amo"), c=Sum("complementary"))
    for dimension in SpendingRollup.Dimension.values:
        rolled = SpendingRollup.objects.filter(dimension=dimension).aggregate(
            n=Sum("lines"), a=Sum("amo"), c=Sum("complementary")
        )
        assert rolled == cube, dimension
