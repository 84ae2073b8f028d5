"""The member search's tolerant tier (members.search): misspelt names in both scripts are found,
only when no number and no name prefix matched, most similar first; numbers stay exact.

The worked examples of the thresholds are here: what must match and what must not, on both
databases, then what each database's own rule accepts or refuses on its own."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import ApiTokenScope
from accounts.roles import Role
from accounts.tokens import api_token_create
from members.models import Beneficiary, Member
from members.search import edit_distance, word_distance
from members.selectors import member_lookup
from members.tests.registry_factories import dependant_make, member_make

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm rule: needs PostgreSQL")
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the edit-distance rule of SQLite")

# (membership number, Latin last, first, Arabic last, first)
PEOPLE = [
    ("300001", "Bennani", "Youssef", "بناني", "يوسف"),
    ("300002", "Filali", "Hind", "الفيلالي", "هند"),
    ("300003", "El Amrani", "Ahmed", "العمراني", "أحمد"),
    ("300004", "Idrissi", "Mohammed", "الإدريسي", "محمد"),
    ("300005", "Sqalli", "Omar", "الصقلي", "عمر"),
    ("300006", "Tazi", "Salma", "التازي", "سلمى"),
    ("300007", "Berrada", "Karim", "برادة", "كريم"),
]

# Misspellings a counter agent makes, and whom they must find on either database.
MUST_MATCH = [
    ("Bennanni", "300001"),  # a letter doubled
    ("Benani", "300001"),  # a double letter single
    ("youssef bennanni", "300001"),  # the first name right, the last name misspelt
    ("Yousef Bennani", "300001"),  # both ... the last name right but the first misspelt
    ("Filaly", "300002"),  # y for i
    ("Fillali", "300002"),
    ("hind filaly", "300002"),
    ("Mohamed Idrisi", "300004"),  # two words, each a letter short
    ("Berada", "300007"),
    ("Sqali", "300005"),
    ("العمرني", "300003"),  # a letter missing
    ("عمرني", "300003"),  # and without the article
    ("الفلالي", "300002"),  # a letter missing
    ("فلالي هند", "300002"),  # without the article, with the first name
    ("الادريسى محمد", "300004"),  # folded letters, no typo: the prefix search already
]
# Names that are someone else's, not a typo: no one of PEOPLE is close enough.
MUST_NOT_MATCH = [
    "Bennis",  # another family (بنيس), shares "benn"
    "Ahmadi",
    "Alaoui",
    "Hamid",
    "Omar Bennani",  # each word close to someone, but not to the same person
    "العلوي",
    "الحسني",
    "يوسف العمراني",  # the first name of one, the family of another
    "Benjelloun",
]


def _people() -> dict[str, Member]:
    return {
        number: member_make(
            membership_number=number, last_name=last, first_name=first, last_name_ar=last_ar, first_name_ar=first_ar
        )
        for number, last, first, last_ar, first_ar in PEOPLE
    }


def _found(user: Any, query: str) -> list[str]:
    return [m.membership_number for m in member_lookup(user=user, query=query).members]


@pytest.fixture
def agent(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.RECEPTION)


@pytest.mark.parametrize(("query", "number"), MUST_MATCH)
def test_it_finds_misspelt_names_in_both_scripts(agent, query: str, number: str) -> None:  # type: ignore[no-untyped-def]
    _people()
    assert _found(agent, query)[:1] == [number]


@pytest.mark.parametrize("query", MUST_NOT_MATCH)
def test_it_does_not_offer_unrelated_names(agent, query: str) -> None:  # type: ignore[no-untyped-def]
    _people()
    assert _found(agent, query) == []


def test_it_keeps_exact_numbers_then_word_prefixes_first(agent) -> None:  # type: ignore[no-untyped-def]
    people = _people()
    benani = member_make(membership_number="300010", last_name="Benani", first_name="Laila")
    found = member_lookup(user=agent, query="Bennani")
    assert [m.pk for m in found.members] == [people["300001"].pk] and not found.tolerant  # not Benani too
    found = member_lookup(user=agent, query="Benani")
    assert [m.pk for m in found.members] == [benani.pk] and not found.tolerant
    assert not member_lookup(user=agent, query="300001").tolerant
    assert not member_lookup(user=agent, query="benn").tolerant


def test_it_never_tolerates_a_mistyped_number(agent) -> None:  # type: ignore[no-untyped-def]
    _people()  # cards 300001-00 ... 300007-00, matricules and CINs from the factory
    for typo in ("300011-00", "30001-00", "3000001", "300008", "AB1O0001", "Bennanni 300001"):
        found = member_lookup(user=agent, query=typo)
        assert list(found.members) == [] and not found.tolerant, typo
    # Numbers are words of the search text too: a number's prefix is the prefix rule, as before.
    found = member_lookup(user=agent, query="Bennani 300001")
    assert [m.membership_number for m in found.members] == ["300001"] and not found.tolerant


def test_it_orders_close_names_most_similar_first(agent) -> None:  # type: ignore[no-untyped-def]
    near = member_make(membership_number="300021", last_name="Bennaoui", first_name="Rachid")
    nearest = member_make(membership_number="300022", last_name="Bennani", first_name="Rachid")
    found = member_lookup(user=agent, query="rachid bennanni")
    assert found.tolerant
    pks = [m.pk for m in found.members]
    assert pks[:1] == [nearest.pk]  # Bennaoui, two letters off, comes after (SQLite) or not at all (trigrams)
    assert near.pk not in pks or pks.index(near.pk) > 0


def test_it_finds_a_member_through_a_dependants_misspelt_name(agent) -> None:  # type: ignore[no-untyped-def]
    member = member_make(membership_number="300031", last_name="Tazi", first_name="Karim")
    dependant_make(member, last_name="Tazi", first_name="Khadija", first_name_ar="خديجة", last_name_ar="التازي")
    dependant_make(member, last_name="Tazi", first_name="Khadija", first_name_ar="خديجة", last_name_ar="التازي")
    found = member_lookup(user=agent, query="Khadidja Tazi")  # the French spelling; found once
    assert [m.pk for m in found.members] == [member.pk] and found.tolerant


def test_it_tolerates_only_within_what_the_user_sees(make_user) -> None:  # type: ignore[no-untyped-def]
    people = _people()
    user = make_user(Role.MEMBER)
    Member.objects.filter(pk=people["300002"].pk).update(user=user)
    assert _found(user, "Filaly") == ["300002"]
    assert _found(user, "Bennanni") == []
    assert _found(make_user(Role.PROVIDER), "Filaly") == []


def test_it_says_so_on_the_members_page(client_for) -> None:  # type: ignore[no-untyped-def]
    _people()
    client = client_for(Role.RECEPTION)
    page = client.get(reverse("members:list"), {"q": "Bennanni"})
    html = page.content.decode()
    assert "No exact match; names close to “Bennanni”" in html and "300001-00" in html
    partial = client.get(reverse("members:list"), {"q": "بنانى يوسف"}, headers={"HX-Request": "true"})
    assert "No exact match" not in partial.content.decode() and "300001-00" in partial.content.decode()
    partial = client.get(reverse("members:list"), {"q": "العمرني"}, headers={"HX-Request": "true"})
    assert "No exact match" in partial.content.decode() and "300003-00" in partial.content.decode()
    nothing = client.get(reverse("members:list"), {"q": "Alaoui"})
    assert "No exact match" not in nothing.content.decode()
    assert "No member matches this search." in nothing.content.decode()


def test_it_says_so_in_the_readers_language(client_for) -> None:  # type: ignore[no-untyped-def]
    _people()
    client = client_for(Role.RECEPTION)
    page = client.get(reverse("members:list"), {"q": "Filaly"}, headers={"Accept-Language": "fr"})
    assert page.status_code == 200 and "300002-00" in page.content.decode()


def test_it_gives_the_staff_api_the_same_answers_in_constant_queries(  # type: ignore[no-untyped-def]
    make_user, django_assert_max_num_queries
) -> None:
    people = _people()
    _token, plaintext = api_token_create(actor=None, user=make_user(Role.RECEPTION), scope=ApiTokenScope.STAFF_READ)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}", HTTP_ACCEPT_LANGUAGE="en")
    api.get("/api/v1/staff/members", {"q": "Filaly"})  # warm the token and permission caches
    with CaptureQueriesContext(connection) as few:
        body = api.get("/api/v1/staff/members", {"q": "Filaly"}).json()
    assert [item["id"] for item in body["items"]] == [people["300002"].pk]
    for n in range(30):
        member_make(membership_number=f"3001{n:02}", last_name="Filali", first_name="Hind")
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = api.get("/api/v1/staff/members", {"q": "Filaly", "page_size": "25"}).json()
    assert body["count"] == 31 and len(body["items"]) == 25
    assert api.get("/api/v1/staff/members", {"q": "30001"}).json()["count"] == 0  # numbers stay exact


@on_postgresql
def test_it_holds_the_trigram_threshold_on_the_worked_examples() -> None:
    """Strict word similarity of the query word to a word of the names, at least 0.5 (pg_trgm's
    default threshold, which the `%>>` operator and its GIN index apply)."""
    close = [("bennanni", "bennani"), ("benani", "bennani"), ("filaly", "filali"), ("mohamed", "mohammed"),
             ("idrisi", "idrissi"), ("berada", "berrada"), ("sqali", "sqalli"), ("العمرني", "العمراني"),
             ("الفلالي", "الفيلالي"), ("yousef", "youssef"), ("khadidja", "khadija"), ("mouhamed", "mohamed"),
             ("allaoui", "alaoui"), ("benjeloun", "benjelloun"), ("الشرابي", "الشرايبي")]  # fmt: skip
    unrelated = [("bennis", "bennani"), ("mohamed", "ahmed"), ("alaoui", "filali"), ("العلوي", "العمراني"),
                 ("skalli", "sqalli"), ("benjelloun", "bennani"), ("tezi", "tazi"), ("naciri", "nasiri"),
                 ("الشاوي", "الشرقاوي"), ("yasmine", "yassine"), ("abderrahim", "abderrazak"),
                 # and what trigrams miss: a vowel changed in a short word (SQLite's rule accepts them)
                 ("rashid", "rachid"), ("leila", "laila")]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SHOW pg_trgm.strict_word_similarity_threshold")
        assert float(cursor.fetchone()[0]) == 0.5
        for word, name, expected in [(w, n, True) for w, n in close] + [(w, n, False) for w, n in unrelated]:
            cursor.execute("SELECT %s %%>> %s, strict_word_similarity(%s, %s)", [f" x {name} y ", word, word, name])
            matches, value = cursor.fetchone()
            assert matches is expected, (word, name, value)


@on_postgresql
def test_it_refuses_a_letter_changed_in_a_short_word_on_postgresql(agent) -> None:  # type: ignore[no-untyped-def]
    _people()
    assert _found(agent, "Tezi") == []  # 0.25: four letters have too few trigrams to survive a change
    assert _found(agent, "Skalli") == []  # 0.40


@on_sqlite
def test_it_accepts_one_edit_and_two_in_long_words_on_sqlite(agent) -> None:  # type: ignore[no-untyped-def]
    _people()
    member_make(membership_number="300041", last_name="Benjelloun", first_name="Nadia")
    assert _found(agent, "Tezi") == ["300006"]  # one letter changed
    assert _found(agent, "Skalli") == ["300005"]
    assert _found(agent, "Benjeloune") == ["300041"]  # two edits in a word of 10 letters
    assert _found(agent, "Tazzii") == []  # two edits in a word of 6 letters: too many
    assert _found(agent, "Bennis") == []  # three edits from Bennani


def test_it_measures_edit_distances_within_a_bound() -> None:
    assert word_distance("bennanni", ["youssef", "bennani"]) == 1
    assert word_distance("benn", ["youssef", "bennani"]) == 0  # a prefix
    assert word_distance("عمرني", ["احمد", "العمراني"]) == 1  # the article added, then one letter
    assert word_distance("bennis", ["bennani"]) is None
    assert word_distance("taz", ["tazi"]) == 0 and word_distance("tez", ["tazi"]) is None  # 3 letters: prefix only


def _levenshtein(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


@given(st.text("abnei", max_size=9), st.text("abnei", max_size=9), st.integers(0, 3))
def test_it_bounds_the_edit_distance_exactly(a: str, b: str, limit: int) -> None:
    full = _levenshtein(a, b)
    assert edit_distance(a, b, limit) == (full if full <= limit else limit + 1)


NAMES = [(p[1], p[2], p[3], p[4]) for p in PEOPLE]


def test_it_finds_every_word_prefix_as_before_never_tolerant(agent) -> None:  # type: ignore[no-untyped-def]
    """Invariant: a query made of prefixes of one person's name words (any script, any order)
    finds that person by the prefix rule, not by the tolerant tier."""
    people = _people()

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.data())
    def check(data: st.DataObject) -> None:
        index = data.draw(st.integers(0, len(PEOPLE) - 1))
        number, last, first, last_ar, first_ar = PEOPLE[index]
        words = " ".join([last, first] if data.draw(st.booleans()) else [last_ar, first_ar]).split()
        chosen = data.draw(st.lists(st.sampled_from(words), min_size=1, max_size=2, unique=True))
        query = " ".join(w[: data.draw(st.integers(1, len(w)))] for w in chosen)
        found = member_lookup(user=agent, query=query)
        assert not found.tolerant, query
        assert people[number].pk in [m.pk for m in found.members], query

    check()


@on_postgresql
def test_it_finds_misspelt_names_however_the_beneficiary_was_written(agent) -> None:  # type: ignore[no-untyped-def]
    """The distinct name words (migration 0007) follow every write: the services, a bulk COPY and a
    plain UPDATE statement alike, since triggers on the table keep them, not the Python paths."""
    from members.normalize import search_document
    from mutuelle import bulk

    member = member_make(membership_number="300051", last_name="Zerhouni", first_name="Ghita")
    assert _found(agent, "Zerhouny") == ["300051"]
    Beneficiary.objects.filter(member=member).update(search_text=search_document("Ghita Benslimane"))
    assert _found(agent, "Benslimani") == ["300051"]
    other = member_make(membership_number="300052", last_name="Tazi", first_name="Salma")
    bulk.rows_copy(
        Beneficiary,
        ("member_id", "relation", "rank", "card_number", "last_name", "first_name", "search_text", "birth_date", "sex"),
        [(other.pk, "child", 1, "300052-01", "Tazi", "Khadija", search_document("Khadija Tazi"), "2015-01-01", "F")],
    )
    assert _found(agent, "Khadidja Tazi") == ["300052"]
    assert _found(agent, "Zerhouny") == []  # the word is still stored; it matches nobody now
    with connection.cursor() as cursor:  # names only: the numbers of the search text would make it the registry's size
        cursor.execute(
            "SELECT count(*) FILTER (WHERE word ~ '[0-9]'), count(*) FILTER (WHERE word = 'zerhouni') "
            "FROM members_nameword"
        )
        assert cursor.fetchone() == (0, 1)


@on_postgresql
def test_it_ranks_the_closest_stored_word_first_among_many(agent) -> None:  # type: ignore[no-untyped-def]
    """Worked example of the score: Bennanni is 0.70 from Bennani and 0.5 from Bennaoui (pg_trgm),
    so Bennani's bearers come first, each in membership order; both come before no one else."""
    far = member_make(membership_number="300061", last_name="Bennaouii", first_name="Rachid")
    near = [member_make(membership_number=f"30006{n}", last_name="Bennani", first_name="Rachid") for n in (2, 3)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT strict_word_similarity('bennanni', 'bennani'), strict_word_similarity('bennanni', 'bennaouii')"
        )
        close, farther = cursor.fetchone()
    assert round(close, 2) == 0.7 and farther < close
    found = [m.pk for m in member_lookup(user=agent, query="Bennanni").members]
    assert found[:2] == [near[0].pk, near[1].pk]
    assert far.pk not in found or found.index(far.pk) == 2
