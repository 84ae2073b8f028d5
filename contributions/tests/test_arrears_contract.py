"""member_arrears_list and member_balance, the contract the rights and allowances apps read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contributions.selectors import MemberArrears, member_arrears_list, member_balance
from contributions.tests.factories import entry_make, member_make

pytestmark = pytest.mark.django_db
JAN, FEB, MAR, APR = (dt.date(2026, m, 1) for m in (1, 2, 3, 4))


def test_it_lists_the_unpaid_months_before_the_month_of_as_of() -> None:
    member = member_make()
    for month in (JAN, FEB, MAR, APR):
        entry_make(member, month, "due", "50.00")
    # January paid in full on 2026-02-03, February 20.00 of 50.00, March and April nothing.
    entry_make(member, JAN, "paid", "50.00", paid_on=dt.date(2026, 2, 3))
    entry_make(member, FEB, "paid", "20.00", paid_on=dt.date(2026, 3, 2))
    # As of 2026-04-10: February (30.00 short) and March (50.00) count, April not yet: 80.00.
    assert member_arrears_list(as_of=dt.date(2026, 4, 10)) == [
        MemberArrears(member.pk, 2, FEB, Decimal("80.00"), dt.date(2026, 3, 2))
    ]
    assert member_balance(member_id=member.pk, as_of=dt.date(2026, 4, 10)) == Decimal("80.00")
    # As of 2026-03-01 the last payment known that day is the one of 2026-02-03.
    assert member_arrears_list(as_of=dt.date(2026, 3, 1)) == [
        MemberArrears(member.pk, 1, FEB, Decimal("30.00"), dt.date(2026, 2, 3))
    ]


def test_it_leaves_out_members_paid_up_and_ignores_inactive_rows() -> None:
    paid_up, other = member_make(), member_make()
    entry_make(paid_up, JAN, "due", "15.00")
    entry_make(paid_up, JAN, "paid", "15.00", paid_on=JAN)
    entry_make(other, JAN, "due", "15.00", active=False)
    assert member_arrears_list(as_of=MAR) == []
    assert member_balance(member_id=paid_up.pk, as_of=MAR) == Decimal("0.00")
    assert member_arrears_list(as_of=MAR, member_ids=[]) == []


def test_it_reads_any_number_of_members_in_two_queries() -> None:
    members = [member_make() for _ in range(6)]
    for m in members:
        entry_make(m, JAN, "due", "36.00")
    with CaptureQueriesContext(connection) as ctx:
        found = member_arrears_list(as_of=MAR, member_ids=[m.pk for m in members[:4]])
    assert len(ctx.captured_queries) == 2
    assert sorted(a.member_id for a in found) == sorted(m.pk for m in members[:4])
