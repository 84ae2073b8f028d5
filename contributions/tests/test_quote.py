"""Quotes worked by hand from the seeded schedules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contributions.rules import Rule, from_centimes, to_centimes
from contributions.selectors import quote_compute
from contributions.tests.factories import schedule_change

pytestmark = pytest.mark.django_db
MONTH = dt.date(2026, 3, 1)


def _q(salary: str, status: str = "active", month: dt.date = MONTH) -> dict[str, str]:
    return quote_compute(base=Decimal(salary), status=status, month=month).as_strings()


def test_it_quotes_a_salary_of_9000() -> None:
    # 1.8 % x 9,000 = 162.00 -> cap 50.00; 1 % = 90.00 -> cap 15.00; 2.5 % = 225.00 within 70..400 (each share).
    assert _q("9000") == {
        "complementary": "50.00",
        "death_fund": "15.00",
        "amo_employee": "225.00",
        "amo_employer": "225.00",
    }


def test_it_quotes_a_salary_of_2000() -> None:
    # 1.8 % x 2,000 = 36.00 (under the cap); 1 % = 20.00 -> cap 15.00; 2.5 % = 50.00 -> floor 70.00.
    assert _q("2000") == {
        "complementary": "36.00",
        "death_fund": "15.00",
        "amo_employee": "70.00",
        "amo_employer": "70.00",
    }


def test_it_quotes_a_salary_of_20000() -> None:
    # 2.5 % x 20,000 = 500.00 -> cap 400.00; the other two capped as above.
    assert _q("20000") == {
        "complementary": "50.00",
        "death_fund": "15.00",
        "amo_employee": "400.00",
        "amo_employer": "400.00",
    }


def test_it_quotes_a_pension_without_employer_share() -> None:
    # Pension 6,000: 1.8 % = 108.00 -> 50.00; 1 % = 60.00 -> 15.00; 2.5 % = 150.00; employer 0.
    assert _q("6000", "retired") == {
        "complementary": "50.00",
        "death_fund": "15.00",
        "amo_employee": "150.00",
        "amo_employer": "0.00",
    }


def test_it_rounds_half_up_to_the_centime() -> None:
    # 1.8 % x 2,000.25 = 36.0045 -> 36.00; 1.8 % x 2,000.28 = 36.00504 -> 36.01;
    # 1.8 % x 1,000.25 = 18.0045 -> 18.00 and 1.8 % x 1,000.75 = 18.0135 -> 18.01.
    assert _q("2000.25")["complementary"] == "36.00"
    assert _q("2000.28")["complementary"] == "36.01"
    # exactly half a centime: 1 % x 1,000.50 = 10.005 -> 10.01 (half up, not to even)
    assert _q("1000.50")["death_fund"] == "10.01"


def test_it_applies_a_rate_change_from_its_month_and_not_before() -> None:
    # Complementary raised to 2 %, cap 60, from 2026-07-01: a 2,000 salary pays 1.8 % = 36.00
    # through June and 2 % = 40.00 from July; a 9,000 salary 50.00 then 60.00 (2 % = 180 -> cap 60).
    schedule_change("complementary", "active", dt.date(2026, 7, 1), "2.000", "0.00", "60.00")
    assert _q("2000", month=dt.date(2026, 6, 1))["complementary"] == "36.00"
    assert _q("2000", month=dt.date(2026, 7, 1))["complementary"] == "40.00"
    assert _q("9000", month=dt.date(2026, 6, 1))["complementary"] == "50.00"
    assert _q("9000", month=dt.date(2026, 12, 1))["complementary"] == "60.00"
    assert _q("9000", month=dt.date(2026, 1, 1))["complementary"] == "50.00"


@given(
    base=st.integers(min_value=0, max_value=10**9),
    milli=st.integers(min_value=0, max_value=100_000),
    floor=st.integers(min_value=0, max_value=50_000),
    extra=st.one_of(st.none(), st.integers(min_value=0, max_value=100_000)),
)
def test_it_stays_within_floor_and_cap_and_equals_exact_half_up_rounding(
    base: int, milli: int, floor: int, extra: int | None
) -> None:
    cap = None if extra is None else floor + extra
    rule = Rule(milli, floor, cap)
    amount = rule.apply(base)
    if base == 0:
        assert amount == 0
        return
    exact = (Decimal(base) * Decimal(milli) / Decimal(100_000)).quantize(Decimal(1), rounding="ROUND_HALF_UP")
    expected = max(int(exact), floor)
    assert amount == (expected if cap is None else min(expected, cap))


def test_it_converts_centimes_both_ways() -> None:
    assert to_centimes(Decimal("12.345")) == 1235
    assert from_centimes(1235) == Decimal("12.35")
