"""Due dates: calendar days, or working days that skip Saturdays and Sundays (worked by hand)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from grievances.workdays import days_late, due_date, is_working_day


def test_it_counts_five_working_days_over_a_weekend() -> None:
    # Wednesday 2026-12-02 + 5 working days: Thu 3, Fri 4, Mon 7, Tue 8, Wed 9.
    assert due_date(filed_on=dt.date(2026, 12, 2), days=5, working_days=True) == dt.date(2026, 12, 9)
    # Friday 2026-12-04: Mon 7, Tue 8, Wed 9, Thu 10, Fri 11.
    assert due_date(filed_on=dt.date(2026, 12, 4), days=5, working_days=True) == dt.date(2026, 12, 11)
    # Saturday 2026-12-05 and Sunday 2026-12-06 start counting on Monday: Fri 11 as well.
    assert due_date(filed_on=dt.date(2026, 12, 5), days=5, working_days=True) == dt.date(2026, 12, 11)
    assert due_date(filed_on=dt.date(2026, 12, 6), days=5, working_days=True) == dt.date(2026, 12, 11)


def test_it_counts_calendar_days_for_an_appeal() -> None:
    # 30 days from 2026-12-02: 2027-01-01, whatever the weekday.
    assert due_date(filed_on=dt.date(2026, 12, 2), days=30, working_days=False) == dt.date(2027, 1, 1)


def test_it_skips_a_holiday_given_on_a_working_day() -> None:
    # Friday 2026-12-04 a holiday: Wed 2 + 2 working days = Thu 3, Mon 7.
    assert due_date(filed_on=dt.date(2026, 12, 2), days=2, working_days=True,
                    holidays={dt.date(2026, 12, 4)}) == dt.date(2026, 12, 7)  # fmt: skip


def test_it_is_late_only_after_the_due_day() -> None:
    due = dt.date(2026, 12, 9)
    assert days_late(due_on=due, today=due) == 0
    assert days_late(due_on=due, today=dt.date(2026, 12, 11)) == 2


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)), st.integers(min_value=1, max_value=60))
def test_it_lands_on_a_working_day_after_exactly_n_of_them(filed: dt.date, n: int) -> None:
    due = due_date(filed_on=filed, days=n, working_days=True)
    assert is_working_day(due)
    between = [filed + dt.timedelta(days=i) for i in range(1, (due - filed).days + 1)]
    assert sum(is_working_day(d) for d in between) == n
    # Never more than n weeks and a weekend away, never fewer than n days.
    assert n <= (due - filed).days <= n + 2 * (n // 5 + 1)
