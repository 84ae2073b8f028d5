from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.roles import Role
from members.models import Member
from members.selectors import age_on, member_get, member_status_on
from members.services import member_status_change
from members.tests.registry_factories import dependant_make, member_make


def test_it_gives_staff_any_member_with_related_rows(make_user, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    agent = make_user(Role.CLAIMS_OFFICER)
    member = member_make()
    dependant_make(member)
    agent.has_perm("members.view_member")  # fill the permission cache
    with django_assert_num_queries(4):  # member with administration, beneficiaries, history, suspensions
        found = member_get(user=agent, pk=member.pk)
        assert [b.rank for b in found.beneficiaries.all()] == [0, 1]
        assert found.administration.code == "MEN"
        assert len(found.status_history.all()) == 1


def test_it_scopes_a_member_user_to_their_own_file(make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.MEMBER)
    own, other = member_make(), member_make()
    Member.objects.filter(pk=own.pk).update(user=user)
    assert member_get(user=user, pk=own.pk).pk == own.pk
    with pytest.raises(Http404):
        member_get(user=user, pk=other.pk)
    with pytest.raises(PermissionDenied):
        member_get(user=make_user(Role.PROVIDER), pk=own.pk)
    with pytest.raises(Http404):
        member_get(user=make_user(Role.AUDITOR), pk=other.pk + 100)


@pytest.mark.django_db
def test_it_reads_the_status_on_a_date_from_the_history() -> None:
    member = member_make(joined_on=dt.date(2010, 1, 1))
    member_status_change(actor=None, member=member, status="suspended", valid_from=dt.date(2020, 3, 1), note="")
    member_status_change(actor=None, member=member, status="active", valid_from=dt.date(2020, 9, 1), note="")
    member_status_change(actor=None, member=member, status="retired", valid_from=dt.date(2023, 1, 1), note="")
    expected = {
        dt.date(2009, 12, 31): "",
        dt.date(2010, 1, 1): "active",
        dt.date(2020, 2, 29): "active",
        dt.date(2020, 3, 1): "suspended",
        dt.date(2020, 8, 31): "suspended",
        dt.date(2020, 9, 1): "active",
        dt.date(2023, 1, 1): "retired",
    }
    assert {on: member_status_on(member=member, on=on) for on in expected} == expected


def test_it_counts_ages_in_whole_years() -> None:
    born = dt.date(2000, 6, 15)
    assert age_on(born, dt.date(2022, 6, 14)) == 21
    assert age_on(born, dt.date(2022, 6, 15)) == 22
    assert age_on(dt.date(2004, 2, 29), dt.date(2022, 2, 28)) == 17
    assert age_on(dt.date(2004, 2, 29), dt.date(2022, 3, 1)) == 18
