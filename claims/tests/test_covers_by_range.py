"""Covers read by a range of members (the what-if replay's chunks) are the covers read by ids."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from claims.models import AldRecognition
from claims.services.engine_io import ald_codes, ald_member_range
from claims.tests.factories import holder, member_make
from members.eligibility import CoversOnDemand, beneficiary_covers, member_range_cover_rows
from members.models import MemberStatus, MemberStatusChange, RightsSuspension
from members.tests.registry_factories import dependant_make

pytestmark = pytest.mark.django_db

DAYS = [dt.date(2024, 12, 31), dt.date(2025, 1, 15), dt.date(2025, 3, 15), dt.date(2025, 6, 1), dt.date(2025, 9, 30)]


def test_it_reads_a_range_of_members_covers_as_by_their_beneficiaries_ids() -> None:
    before, first, second, after = (member_make(joined_on=dt.date(2025, 1, 1)) for _ in range(4))
    child = dependant_make(first, relation="child", birth_date=dt.date(2015, 2, 1))
    RightsSuspension.objects.create(member=first, starts_on=dt.date(2025, 3, 1), ends_on=dt.date(2025, 4, 1))
    MemberStatusChange.objects.create(member=second, status=MemberStatus.DECEASED, valid_from=dt.date(2025, 5, 1))
    AldRecognition.objects.create(member_id=second.pk, beneficiary=holder(second), code="ALD01",
                                  valid_from=dt.date(2025, 3, 1), valid_to=dt.date(2025, 3, 31))  # fmt: skip
    AldRecognition.objects.create(member_id=after.pk, beneficiary=holder(after), code="ALD02",
                                  valid_from=dt.date(2025, 1, 1))  # fmt: skip
    ids = [holder(first).pk, child.pk, holder(second).pk]
    by_ids = beneficiary_covers(beneficiary_ids=ids, ald=ald_codes(ids))
    with connection.cursor() as cur:
        rows = member_range_cover_rows(cur, after=before.pk, upto=second.pk)
        ald = ald_member_range(cur, after=before.pk, upto=second.pk)
    assert sorted(r[0] for r in rows.beneficiaries) == sorted(ids)  # neither `before` nor `after`
    assert list(ald) == [holder(second).pk]
    by_range = CoversOnDemand(rows, ald)
    assert len(by_range) == 0  # nothing built until asked
    for bid in ids:
        assert [by_range[bid].facts_on(d) for d in DAYS] == [by_ids[bid].facts_on(d) for d in DAYS]
    assert by_range.get(holder(after).pk) is None and by_range.get(child.pk) is by_range[child.pk]
    with pytest.raises(KeyError):
        by_range[holder(before).pk]
