"""A name search is bounded: at most MAX_FOUND members, said on the page; numbers in one indexed query."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.roles import Role
from members import selectors
from members.selectors import member_lookup
from members.tests.registry_factories import member_make

pytestmark = pytest.mark.django_db


def test_it_keeps_at_most_max_found_members_and_says_so(client_for, monkeypatch) -> None:
    monkeypatch.setattr(selectors, "MAX_FOUND", 3)
    for n in range(5):
        member_make(membership_number=f"40000{n}", last_name="Amrani", first_name="Omar")
    member_make(membership_number="400009", last_name="Tazi", first_name="Omar")
    client = client_for(Role.RECEPTION)
    found = member_lookup(user=client.user, query="Omar Amrani")
    assert found.capped and found.count == 3 and found.members.count() == 3
    assert all(m.holders[0].last_name == "Amrani" for m in found.members)
    html = client.get(reverse("members:list"), {"q": "Omar Amrani"}, headers={"Accept-Language": "fr"}).content.decode()
    assert "Plus de <bdi>3</bdi> adhérents portent ces noms" in html and "<bdi>3</bdi> adhérents" in html
    few = member_lookup(user=client.user, query="Omar Tazi")
    assert not few.capped and few.count == 1
    page = client.get(reverse("members:list"), {"q": "Omar Tazi"}, headers={"Accept-Language": "fr"}).content.decode()
    assert "Plus de" not in page


def test_it_finds_each_kind_of_number_and_pages_without_counting_again(client_for, django_assert_num_queries) -> None:
    member = member_make(membership_number="400100", last_name="Filali", first_name="Hind")
    client = client_for(Role.RECEPTION)
    for number in (member.membership_number, member.matricule, member.cin, f"{member.membership_number}-00"):
        found = member_lookup(user=client.user, query=number)
        assert list(found.members) == [member] and found.count == 1, number
    assert member_lookup(user=client.user, query="400101").count == 0  # no number: nobody, no tolerance
    rows = member_lookup(user=client.user, query="Hind Filali").rows()
    with django_assert_num_queries(2):  # the page and its holders: the count is known
        assert rows.count() == 1 and [m.pk for m in rows[0:25]] == [member.pk]
