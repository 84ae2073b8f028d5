from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import Params, add_months, anniversary, eligibility_check
from engine.eligibility import covered_window, covered_windows
from engine.types import Suspension

from .factories import facts

P = Params()
CHILD_BORN = date(2004, 6, 15)  # 22 on 2026-06-15, 27 on 2031-06-15


def child(**kw):
    return facts(relation="child", birth_date=CHILD_BORN, **kw)


def test_it_covers_an_active_member():
    e = eligibility_check(facts(), date(2026, 3, 1), P)
    assert (e.covered, e.reason) == (True, None)


def test_it_covers_a_child_the_day_before_the_22nd_birthday():
    assert eligibility_check(child(), date(2026, 6, 14), P).covered


def test_it_refuses_a_child_from_the_22nd_birthday_without_school_certificate():
    e = eligibility_check(child(), date(2026, 6, 15), P)
    assert (e.covered, e.reason) == (False, "AGE_LIMIT")


def test_it_refuses_a_child_aged_22_without_school_certificate():
    assert eligibility_check(child(), date(2027, 1, 10), P).reason == "AGE_LIMIT"


def test_it_covers_a_student_aged_22_while_the_certificate_is_valid():
    kid = child(student_until=date(2027, 7, 31))
    assert eligibility_check(kid, date(2027, 1, 10), P).covered
    assert eligibility_check(kid, date(2027, 7, 31), P).covered
    assert eligibility_check(kid, date(2027, 8, 1), P).reason == "AGE_LIMIT"


def test_it_covers_a_student_until_the_day_before_the_27th_birthday():
    kid = child(student_until=date(2032, 7, 31))
    assert eligibility_check(kid, date(2031, 6, 14), P).covered
    e = eligibility_check(kid, date(2031, 6, 15), P)
    assert (e.covered, e.reason) == (False, "AGE_LIMIT")


def test_it_covers_a_disabled_child_at_any_age():
    assert eligibility_check(child(disabled=True), date(2060, 1, 1), P).covered


def test_it_puts_a_new_member_in_the_waiting_period_three_months_minus_a_day():
    joined = facts(member_joined=date(2026, 1, 1))
    e = eligibility_check(joined, date(2026, 3, 31), P)
    assert (e.covered, e.reason) == (False, "WAITING_PERIOD")


def test_it_covers_a_new_member_exactly_three_months_after_joining():
    assert eligibility_check(facts(member_joined=date(2026, 1, 1)), date(2026, 4, 1), P).covered


def test_it_skips_the_waiting_period_for_a_member_from_another_amo_scheme():
    joined = facts(member_joined=date(2026, 1, 1), from_other_amo=True)
    assert eligibility_check(joined, date(2026, 1, 2), P).covered


def test_it_applies_the_waiting_period_of_the_member_to_dependants():
    spouse = facts(relation="spouse", member_joined=date(2026, 1, 1))
    assert eligibility_check(spouse, date(2026, 2, 1), P).reason == "WAITING_PERIOD"


def test_it_counts_months_to_the_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert add_months(date(2025, 11, 15), 3) == date(2026, 2, 15)
    joined = facts(member_joined=date(2025, 11, 30))
    assert eligibility_check(joined, date(2026, 2, 27), P).reason == "WAITING_PERIOD"
    assert eligibility_check(joined, date(2026, 2, 28), P).covered


def test_it_ages_someone_born_on_29_february_on_1_march():
    assert anniversary(date(2004, 2, 29), 22) == date(2026, 3, 1)
    assert anniversary(date(2004, 2, 29), 24) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("status", "reason"),
    [("resigned", "NOT_COVERED"), ("suspended", "RIGHTS_SUSPENDED"), ("retired", None), ("active", None)],
)
def test_it_applies_the_member_status(status, reason):
    assert eligibility_check(facts(member_status=status), date(2026, 3, 1), P).reason == reason


def test_it_suspends_rights_from_the_given_date():
    f = facts(suspensions=(Suspension(date(2026, 2, 1)),))
    assert eligibility_check(f, date(2026, 1, 31), P).covered
    assert eligibility_check(f, date(2026, 2, 1), P).reason == "RIGHTS_SUSPENDED"


def test_it_keeps_refusing_care_during_a_suspension_after_the_rights_are_restored():
    # Suspended on 1 Feb, arrears paid on 10 Mar: rights back from 10 Mar, Feb care stays refused.
    f = facts(suspensions=(Suspension(date(2026, 2, 1), date(2026, 3, 10)),))
    assert eligibility_check(f, date(2026, 1, 31), P).covered
    assert eligibility_check(f, date(2026, 3, 9), P).reason == "RIGHTS_SUSPENDED"
    assert eligibility_check(f, date(2026, 3, 10), P).covered
    assert covered_window(f, P) == (date(2026, 3, 10), date.max)
    assert covered_windows(f, P) == ((date(2015, 4, 1), date(2026, 1, 31)), (date(2026, 3, 10), date.max))


def test_it_covers_a_deceased_member_up_to_the_day_of_death_and_survivors_after():
    dead = facts(member_status="deceased", member_died_on=date(2026, 2, 10))
    assert eligibility_check(dead, date(2026, 2, 10), P).covered
    assert eligibility_check(dead, date(2026, 2, 11), P).reason == "NOT_COVERED"
    widow = facts(relation="spouse", member_status="deceased", member_died_on=date(2026, 2, 10))
    assert eligibility_check(widow, date(2026, 6, 1), P).covered
    orphan = child(member_status="deceased", member_died_on=date(2026, 2, 10))
    assert eligibility_check(orphan, date(2026, 6, 1), P).covered
    assert eligibility_check(orphan, date(2026, 6, 15), P).reason == "AGE_LIMIT"


def test_it_refuses_care_before_birth():
    baby = facts(relation="child", birth_date=date(2026, 5, 1))
    assert eligibility_check(baby, date(2026, 4, 30), P).reason == "NOT_COVERED"
    assert eligibility_check(baby, date(2026, 5, 1), P).covered


@settings(max_examples=400, deadline=None)
@given(
    relation=st.sampled_from(["self", "spouse", "child", "cousin"]),
    status=st.sampled_from(["active", "retired", "deceased", "suspended", "resigned", "unknown"]),
    birth=st.dates(date(1950, 1, 1), date(2026, 12, 31)),
    joined=st.dates(date(2000, 1, 1), date(2026, 12, 31)),
    other_amo=st.booleans(),
    disabled=st.booleans(),
    student_until=st.none() | st.dates(date(2000, 1, 1), date(2040, 12, 31)),
    suspensions=st.lists(
        st.tuples(st.dates(date(2000, 1, 1), date(2040, 12, 31)), st.none() | st.integers(1, 4000)), max_size=3
    ),
    died=st.none() | st.dates(date(2000, 1, 1), date(2040, 12, 31)),
    on=st.dates(date(1995, 1, 1), date(2045, 12, 31)),
)
def test_it_agrees_between_the_covered_window_and_the_rules(
    relation, status, birth, joined, other_amo, disabled, student_until, suspensions, died, on
):
    f = facts(
        relation=relation,
        member_status=status,
        birth_date=birth,
        member_joined=joined,
        from_other_amo=other_amo,
        disabled=disabled,
        student_until=student_until,
        # Past suspensions (restored `days` later) and a running one; they may overlap.
        suspensions=tuple(
            Suspension(start, None if days is None else start + timedelta(days=days)) for start, days in suspensions
        ),
        member_died_on=died,
    )
    covered = eligibility_check(f, on, P).covered
    windows = covered_windows(f, P)
    assert any(a <= on <= b for a, b in windows) == covered
    # The engine's fast path: every date of the one window is covered.
    window = covered_window(f, P)
    if window is not None and window[0] <= on <= window[1]:
        assert covered
    assert window == (windows[-1] if windows else None)
