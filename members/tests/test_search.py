from __future__ import annotations

import pytest

from accounts.roles import Role
from members.models import Member, Relation
from members.selectors import beneficiaries_named, member_lookup
from members.tests.registry_factories import dependant_make, member_make


@pytest.fixture
def agent(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.RECEPTION)


def _found(user, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [m.membership_number for m in member_lookup(user=user, query=query).members]


def test_it_matches_latin_names_whatever_the_case_and_accents(agent) -> None:  # type: ignore[no-untyped-def]
    member_make(membership_number="200001", last_name="EL AMRANI", first_name="Hélène")
    member_make(membership_number="200002", last_name="Bennani", first_name="Omar")
    assert _found(agent, "El Amrani") == ["200001"]
    assert _found(agent, "helene el") == ["200001"]
    assert _found(agent, "HÉLÈNE") == ["200001"]
    assert _found(agent, "amr") == ["200001"]  # a word prefix
    # Not the middle of a word, nor a misspelling, by the prefix rule (the tolerant tier that follows
    # when it finds nobody is test_search_tolerant's).
    assert not beneficiaries_named("mrani").exists()
    assert _found(agent, "Bennani") == ["200002"]
    assert not beneficiaries_named("Benani").exists()
    assert _found(agent, "Omar Amrani") == []  # every word must match the same person


def test_it_matches_arabic_names_across_letter_variants(agent) -> None:  # type: ignore[no-untyped-def]
    member_make(membership_number="200011", first_name_ar="أحمد", last_name_ar="الإدريسي")
    member_make(membership_number="200012", first_name_ar="فاطمة", last_name_ar="مصطفى")
    assert _found(agent, "احمد") == ["200011"]
    assert _found(agent, "الادريسي") == ["200011"]
    assert _found(agent, "فاطمه") == ["200012"]
    assert _found(agent, "مصطفي") == ["200012"]
    assert _found(agent, "أَحْمَد") == ["200011"]  # short vowels ignored


def test_it_matches_numbers_exactly(agent) -> None:  # type: ignore[no-untyped-def]
    first = member_make(membership_number="400001", matricule="812345", cin="BK123456")
    member_make(membership_number="4000011", matricule="912345", cin="BK12345")
    dependant_make(first)
    assert _found(agent, "400001") == ["400001"]  # not also 4000011 by prefix
    assert _found(agent, "812345") == ["400001"]
    assert _found(agent, "bk123456") == ["400001"]
    assert _found(agent, "400001-01") == ["400001"]
    assert _found(agent, "4000011-00") == ["4000011"]


def test_it_finds_a_member_once_through_dependants(agent) -> None:  # type: ignore[no-untyped-def]
    member = member_make(membership_number="500001", last_name="Tazi", first_name="Karim")
    dependant_make(member, last_name="Tazi", first_name="Salma")
    dependant_make(member, relation=Relation.SPOUSE, last_name="Tazi", first_name="Salma")
    assert _found(agent, "salma") == ["500001"]
    assert _found(agent, "tazi") == ["500001"]


def test_it_lets_a_member_user_find_only_their_own_file(make_user) -> None:  # type: ignore[no-untyped-def]
    own = member_make(membership_number="600001", last_name="Alaoui")
    member_make(membership_number="600002", last_name="Alaoui")
    user = make_user(Role.MEMBER)
    Member.objects.filter(pk=own.pk).update(user=user)
    assert _found(user, "alaoui") == ["600001"]
    assert _found(make_user(Role.PROVIDER), "alaoui") == []


def test_it_finds_an_arabic_family_name_with_or_without_the_article(make_user) -> None:  # type: ignore[no-untyped-def]
    from accounts.roles import Role
    from members.selectors import member_lookup
    from members.tests.registry_factories import member_make

    user = make_user(Role.RECEPTION)
    filali = member_make(last_name="Filali", first_name="Hind", last_name_ar="الفيلالي", first_name_ar="هند")
    fassi = member_make(last_name="Fassi", first_name="Omar", last_name_ar="فاسي", first_name_ar="عمر")
    assert list(member_lookup(user=user, query="فيلالي").members) == [filali]
    assert list(member_lookup(user=user, query="الفاسي").members) == [fassi]
    assert list(member_lookup(user=user, query="هند الفيلالي").members) == [filali]
