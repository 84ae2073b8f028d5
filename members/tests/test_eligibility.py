"""Every coverage boundary, through the one selector, on rows in the database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from members.models import Relation
from members.selectors import beneficiary_eligibility
from members.services import member_status_change
from members.tests.registry_factories import dependant_make, member_make

pytestmark = pytest.mark.django_db

D = dt.date
JOINED = D(2000, 1, 1)
CHILD_BORN = D(2000, 6, 15)  # 22nd birthday 2022-06-15, 27th 2027-06-15


def _child(**child: Any) -> Any:
    member = member_make(joined_on=JOINED)
    return dependant_make(member, birth_date=CHILD_BORN, **child)


@pytest.mark.parametrize(
    ("child", "on", "covered", "reason"),
    [
        ({}, D(2022, 6, 14), True, None),  # aged 21, the day before the 22nd birthday
        ({}, D(2022, 6, 15), False, "AGE_LIMIT"),  # the 22nd birthday
        ({"school_certificate_until": D(2027, 6, 30)}, D(2027, 6, 14), True, None),  # 26, day before the 27th
        ({"school_certificate_until": D(2027, 6, 30)}, D(2027, 6, 15), False, "AGE_LIMIT"),  # the 27th birthday
        ({"school_certificate_until": D(2023, 6, 30)}, D(2023, 6, 30), True, None),  # certificate's last day
        ({"school_certificate_until": D(2023, 6, 30)}, D(2023, 7, 1), False, "AGE_LIMIT"),  # certificate expired
        ({"disabled": True, "disability_certificate": "H-1"}, D(2030, 6, 15), True, None),  # disabled child at 30
    ],
)
def test_it_applies_the_child_age_limits(child: dict[str, Any], on: dt.date, covered: bool, reason: str | None) -> None:
    eligibility = beneficiary_eligibility(beneficiary=_child(**child), on=on)
    assert (eligibility.covered, eligibility.reason) == (covered, reason)


@pytest.mark.parametrize(
    ("from_other_amo", "on", "covered", "reason"),
    [
        (False, D(2024, 4, 14), False, "WAITING_PERIOD"),  # three months minus a day after 2024-01-15
        (False, D(2024, 4, 15), True, None),  # exactly three months
        (True, D(2024, 1, 15), True, None),  # from another AMO scheme: no waiting period
        (False, D(2024, 1, 14), False, "NOT_COVERED"),  # before joining
    ],
)
def test_it_applies_the_waiting_period(from_other_amo: bool, on: dt.date, covered: bool, reason: str | None) -> None:
    member = member_make(joined_on=D(2024, 1, 15), from_other_amo=from_other_amo)
    holder = member.beneficiaries.get(relation=Relation.SELF)
    eligibility = beneficiary_eligibility(beneficiary=holder, on=on)
    assert (eligibility.covered, eligibility.reason) == (covered, reason)


@pytest.mark.parametrize(
    ("status", "on", "covered", "reason"),
    [
        ("retired", D(2024, 6, 1), True, None),
        ("resigned", D(2024, 5, 31), True, None),  # the day before the change: still active
        ("resigned", D(2024, 6, 1), False, "NOT_COVERED"),
        ("suspended", D(2024, 6, 1), False, "RIGHTS_SUSPENDED"),
        ("suspended", D(2024, 7, 1), True, None),  # rights restored from the history's next row
    ],
)
def test_it_reads_the_status_on_the_date_of_care_from_the_history(
    status: str, on: dt.date, covered: bool, reason: str | None
) -> None:
    member = member_make(joined_on=JOINED)
    member_status_change(actor=None, member=member, status=status, valid_from=D(2024, 6, 1), note="")
    if status == "suspended":
        member_status_change(actor=None, member=member, status="active", valid_from=D(2024, 7, 1), note="paid")
    holder = member.beneficiaries.get(relation=Relation.SELF)
    eligibility = beneficiary_eligibility(beneficiary=holder, on=on)
    assert (eligibility.covered, eligibility.reason) == (covered, reason)


def test_it_covers_survivors_but_not_the_deceased_member() -> None:
    member = member_make(joined_on=JOINED)
    spouse = dependant_make(member, relation=Relation.SPOUSE, birth_date=D(1982, 1, 1))
    child = dependant_make(member, birth_date=D(2015, 1, 1))
    member_status_change(actor=None, member=member, status="deceased", valid_from=D(2024, 3, 10), note="")
    holder = member.beneficiaries.get(relation=Relation.SELF)
    assert beneficiary_eligibility(beneficiary=holder, on=D(2024, 3, 10)).covered  # the day of death
    after = beneficiary_eligibility(beneficiary=holder, on=D(2024, 3, 11))
    assert (after.covered, after.reason) == (False, "NOT_COVERED")
    assert beneficiary_eligibility(beneficiary=spouse, on=D(2024, 3, 11)).covered
    assert beneficiary_eligibility(beneficiary=child, on=D(2024, 3, 11)).covered


def test_it_ends_a_divorced_spouse_cover_after_covered_until() -> None:
    member = member_make(joined_on=JOINED)
    spouse = dependant_make(member, relation=Relation.SPOUSE, birth_date=D(1982, 1, 1), covered_until=D(2024, 5, 31))
    assert beneficiary_eligibility(beneficiary=spouse, on=D(2024, 5, 31)).covered
    later = beneficiary_eligibility(beneficiary=spouse, on=D(2024, 6, 1))
    assert (later.covered, later.reason) == (False, "NOT_COVERED")
