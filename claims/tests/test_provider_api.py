"""The provider API: eligibility, third-party-payment files (idempotent), scoping, and the back office
denied to provider users. Figures are worked by hand from the seeded referentials (DESIGN.md)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.auth_api import MSG_NO_TOKEN
from accounts.models import Provider, User
from accounts.roles import Role
from accounts.tokens import api_token_create
from audit.models import AuditEvent
from claims.models import Channel, ClaimFile, ClaimLine, ClaimStatus, MedicalNote
from claims.tests.factories import CONSULTATION, file_make, holder, member_make
from members.models import MemberStatusChange

pytestmark = pytest.mark.django_db
URL = "/api/v1/claims/"
TODAY = timezone.localdate


def _provider(inpe: str, name: str) -> Provider:
    return Provider.objects.create(inpe=inpe, name=name, kind="clinic", sector="private", city="Rabat")


@pytest.fixture
def api(make_user: Callable[..., User]) -> Callable[..., Client]:
    """A client holding the token of a new provider user (of `provider`, a new clinic by default)."""

    def make(provider: Provider | None = None) -> Client:
        provider = provider or _provider(f"{Provider.objects.count() + 100000001}", "Clinique Agdal")
        user = make_user(Role.PROVIDER, provider_id=provider.pk)
        _token, plaintext = api_token_create(actor=None, user=user)
        client = Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
        client.user = user  # type: ignore[attr-defined]
        client.provider = provider  # type: ignore[attr-defined]
        return client

    return make


def _card(member: Any) -> str:
    return str(holder(member).card_number)


def _body(card: str, ref: str = "FAC-2026-0001", **extra: Any) -> dict[str, Any]:
    day = (TODAY() - dt.timedelta(days=3)).isoformat()
    return {
        "card": card,
        "external_ref": ref,
        "lines": [
            {"kind": "act", "code": "CONS-G", "care_date": day, "paid": "150.00"},
            {"kind": "medicine", "code": "6118000000004", "care_date": day, "paid": "59.90"},  # Clamoxyl 1 g
        ],
        **extra,
    }


def _post(client: Client, body: Any, **extra: Any) -> Any:
    return client.post(URL, body, content_type="application/json", **extra)


# --- eligibility ---------------------------------------------------------------------------------


def test_it_says_a_beneficiary_is_covered_with_the_name_in_both_scripts_and_nothing_else(api) -> None:
    client = api()
    member = member_make(joined_on=dt.date(2020, 1, 1))
    response = client.get("/api/v1/eligibility", {"card": _card(member).lower(), "on": "2025-06-01"})
    assert response.status_code == 200
    ben = holder(member)
    assert response.json() == {
        "card": ben.card_number, "on": "2025-06-01", "last_name": "Alaoui", "first_name": ben.first_name,
        "last_name_ar": "العلوي", "first_name_ar": "كريم", "covered": True, "reason_code": None, "reason": "",
    }  # fmt: skip


def test_it_caps_the_eligibility_checks_of_a_token_per_minute(api, settings) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.PROVIDER_ELIGIBILITY_RATE_LIMIT = 2
    client, other = api(), api()
    card = _card(member_make())
    assert [client.get("/api/v1/eligibility", {"card": card}).status_code for _ in range(3)] == [200, 200, 429]
    refused = client.get("/api/v1/eligibility", {"card": card}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.json()["detail"] == ("Too many eligibility checks with this token; try again in a minute.")
    assert refused.json()["type"].endswith("/rate-limited") and refused["Retry-After"] == "60"
    assert other.get("/api/v1/eligibility", {"card": card}).status_code == 200  # per token


def test_it_says_why_a_beneficiary_is_not_covered_in_the_asked_language(api) -> None:
    client = api()
    member = member_make(joined_on=dt.date(2025, 5, 1))  # waiting period: 3 months, until 2025-08-01
    card = _card(member)
    answers = {
        lang: client.get("/api/v1/eligibility", {"card": card, "on": "2025-06-01", "lang": lang}).json()
        for lang in ("fr", "en")
    }
    assert answers["en"]["covered"] is False and answers["en"]["reason_code"] == "WAITING_PERIOD"
    assert answers["fr"]["reason"] and answers["en"]["reason"] and answers["fr"]["reason"] != answers["en"]["reason"]
    assert client.get("/api/v1/eligibility", {"card": card, "on": "2025-08-01"}).json()["covered"] is True
    # Suspended from 2025-09-01: covered the day before, not from that day (status history).
    MemberStatusChange.objects.create(member=member, status="suspended", valid_from=dt.date(2025, 9, 1))
    assert client.get("/api/v1/eligibility", {"card": card, "on": "2025-08-31"}).json()["covered"] is True
    refused = client.get("/api/v1/eligibility", {"card": card, "on": "2025-09-01"}).json()
    assert refused["covered"] is False and refused["reason_code"]
    before = client.get("/api/v1/eligibility", {"card": card, "on": "2019-01-01"}).json()  # not yet a member
    assert before["covered"] is False and before["reason_code"] == "NOT_COVERED"


def test_it_answers_404_to_an_unknown_card_and_422_to_a_bad_date_in_the_callers_language(api) -> None:
    client = api()
    unknown = client.get("/api/v1/eligibility", {"card": "999999-09"}, HTTP_ACCEPT_LANGUAGE="en")
    assert unknown.status_code == 404 and unknown.json()["detail"] == "No beneficiary has this card number."
    french = client.get("/api/v1/eligibility", {"card": "999999-09", "lang": "fr"}).json()["detail"]
    assert french != unknown.json()["detail"]
    for on in ("15/01/2026", "20260115", "2026-02-30"):
        bad = client.get("/api/v1/eligibility", {"card": _card(member_make()), "on": on})
        assert bad.status_code == 422 and [e["field"] for e in bad.json()["errors"]] == ["on"]
    missing = client.get("/api/v1/eligibility", HTTP_ACCEPT_LANGUAGE="en")  # ninja's own check, translated too
    assert missing.status_code == 422
    assert missing.json()["errors"] == [{"field": "card", "code": "required", "message": "This field is required."}]


# --- filing a claim ------------------------------------------------------------------------------


def test_it_files_and_adjudicates_a_claim_with_the_amounts_worked_by_hand(api) -> None:
    client = api()
    member = member_make()
    body = _body(_card(member), diagnosis="Angine")
    late = (TODAY() - dt.timedelta(days=91)).isoformat()  # a provider files within 90 days: day 91 is late
    body["lines"].append({"kind": "act", "code": "cons-g", "care_date": late, "paid": "150.00"})
    response = _post(client, body, QUERY_STRING="lang=en")
    assert response.status_code == 201, response.content
    data = response.json()
    claim = ClaimFile.objects.get()
    assert data["number"] == claim.number and data["external_ref"] == "FAC-2026-0001"
    assert claim.channel == Channel.PROVIDER and claim.provider == client.provider
    assert (claim.provider_inpe, claim.provider_kind, claim.filed_on) == (client.provider.inpe, "clinic", TODAY())
    assert data["status"] in ("adjudicated", "medical_review") and claim.status == data["status"]
    # CONS-G = C x 1 = 80.00 (basis, below the 150.00 paid); AMO 80 % = 64.00; complementary +10.00 flat.
    # Clamoxyl 1 g: basis the generic's reference price 38.00; AMO 70 % = 26.60; complementary 20 % = 7.60.
    # The late line keeps its basis but pays nothing: its 150.00 remain to be paid.
    amounts = [(ln["status"], ln["basis"], ln["amo"], ln["complementary"], ln["remainder"]) for ln in data["lines"]]
    assert amounts == [
        ("accepted", "80.00", "64.00", "10.00", "76.00"),
        ("accepted", "38.00", "26.60", "7.60", "25.70"),
        ("rejected", "80.00", "0.00", "0.00", "150.00"),
    ]
    assert (data["paid"], data["amo"], data["complementary"], data["remainder"]) == (
        "359.90", "90.60", "17.60", "251.70"
    )  # fmt: skip
    assert data["lines"][2]["code"] == "CONS-G"
    assert data["lines"][2]["reasons"] == [{"code": "LATE_FILING", "label": "Claim filed after the deadline"}]
    assert "diagnosis" not in response.content.decode() and "Angine" not in response.content.decode()
    assert MedicalNote.objects.get(file=claim).diagnosis == "Angine"
    assert AuditEvent.objects.filter(object_type="claims.claimfile", action="create", actor=client.user).exists()


def test_a_retry_with_the_same_reference_returns_the_file_already_filed(api) -> None:
    client = api()
    card = _card(member_make())
    first = _post(client, _body(card))
    again = _post(client, _body(card))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json() and ClaimFile.objects.count() == 1 and ClaimLine.objects.count() == 2
    # Another provider may use the same reference for its own file.
    other = _post(api(), _body(card))
    assert other.status_code == 201 and other.json()["number"] != first.json()["number"]
    # The same reference for another patient is a client's mistake, not a retry.
    clash = _post(client, _body(_card(member_make())))
    assert clash.status_code == 409 and ClaimFile.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"lines": []}, "lines", "too_few_lines"),
        ({"external_ref": "  "}, "external_ref", "required"),
        ({"external_ref": "x" * 65}, "external_ref", "text_too_long"),
        ({"card": "000000-00"}, "card", "unknown_card"),
        ({"lines[0].paid": "150.005"}, "lines[0].paid", "too_many_decimals"),
        ({"lines[0].paid": "-1"}, "lines[0].paid", "negative"),
        ({"lines[0].paid": "cent"}, "lines[0].paid", "not_a_number"),
        ({"lines[0].paid": 150}, "lines[0].paid", "invalid_type"),
        ({"lines[0].paid": "2000000"}, "lines[0].paid", "too_large"),
        ({"lines[0].kind": "stay"}, "lines[0].kind", "invalid_choice"),
        ({"lines[0].care_date": "2026-02-30"}, "lines[0].care_date", "invalid_date"),
        ({"lines[0].care_date": "2999-01-01"}, "lines[0].care_date", "future_date"),
        ({"lines[0].quantity": 0}, "lines[0].quantity", "must_be_positive"),
        ({"lines[0].coefficient": "0"}, "lines[0].coefficient", "must_be_positive"),
        ({"lines[0].price": "1"}, "lines[0].price", "unknown_field"),
    ],
)
def test_bad_input_gets_422_with_the_field_and_nothing_is_stored(api, change, field, code) -> None:
    client = api()
    body = _body(_card(member_make()))
    for key, value in change.items():
        if key.startswith("lines[0]."):
            body["lines"][0][key.removeprefix("lines[0].")] = value
        else:
            body[key] = value
    events = AuditEvent.objects.count()
    response = _post(client, body, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [(field, code)]
    assert errors[0]["message"] and response.json()["detail"] == "The request has errors; see each field."
    assert not ClaimFile.objects.exists() and not ClaimLine.objects.exists()
    assert AuditEvent.objects.count() == events


def test_every_bad_field_is_listed_at_once_and_messages_follow_the_language(api) -> None:
    client = api()
    body = _body(_card(member_make()))
    body["lines"][0]["paid"] = "1,50"
    del body["lines"][1]["care_date"]
    answers = {lang: _post(client, body, QUERY_STRING=f"lang={lang}").json() for lang in ("en", "fr")}
    en = answers["en"]["errors"]
    assert [(e["field"], e["code"]) for e in en] == [
        ("lines[0].paid", "not_a_number"),
        ("lines[1].care_date", "required"),
    ]
    assert en[1]["message"] == "This field is required."
    assert answers["fr"]["errors"][1]["message"] != en[1]["message"]
    assert _post(client, "{not json", QUERY_STRING="lang=en").status_code == 400
    assert not ClaimFile.objects.exists()


# --- reading one's files -------------------------------------------------------------------------


def test_a_provider_reads_and_lists_only_its_own_files(api) -> None:
    a, b = api(), api()
    card = _card(member_make())
    mine = _post(a, _body(card, ref="A-1")).json()["number"]
    theirs = _post(b, _body(card, ref="B-1")).json()["number"]
    file_make(member=member_make(), lines=[CONSULTATION])  # a member's file at the counter
    # A member's own file by post with a care sheet of provider A stays the member's.
    by_post = file_make(member=member_make(), lines=[CONSULTATION], channel=Channel.POST)
    ClaimFile.objects.filter(pk=by_post.pk).update(provider=a.provider)
    detail = a.get(f"{URL}{mine}")
    assert detail.status_code == 200 and len(detail.json()["lines"]) == 2
    assert a.get(f"{URL}{theirs}").status_code == 404 and a.get(f"{URL}{by_post.number}").status_code == 404
    assert a.get(f"{URL}{theirs}", HTTP_ACCEPT_LANGUAGE="en").json()["detail"] == (
        "You have no claim file with this number."
    )
    listed = a.get(URL).json()
    assert listed["count"] == 1 and [f["number"] for f in listed["items"]] == [mine]
    assert a.get(URL, {"external_ref": "B-1"}).json()["count"] == 0
    assert a.get(URL, {"external_ref": "A-1"}).json()["items"][0]["number"] == mine


def test_the_list_is_newest_first_paginated_in_a_constant_number_of_queries(api, django_assert_max_num_queries) -> None:
    client = api()
    provider = client.provider
    card = _card(member_make())
    numbers = [_post(client, _body(card, ref=f"R{i}")).json()["number"] for i in range(3)]
    ClaimFile.objects.filter(number=numbers[0]).update(filed_on=TODAY() - dt.timedelta(days=2))
    client.get(URL)  # last_used_at written (at most once a minute)
    with django_assert_max_num_queries(7) as few:  # 6, and the token's rate count (one upsert)
        first = client.get(URL, {"page_size": 2}).json()
    queries = len(few)
    assert first["count"] == 3 and [f["number"] for f in first["items"]] == [numbers[2], numbers[1]]
    assert [f["number"] for f in client.get(URL, {"page_size": 2, "page": 2}).json()["items"]] == [numbers[0]]
    for i in range(20):
        file_make(member=member_make(), lines=[CONSULTATION], channel=Channel.PROVIDER, number=f"X{i:08d}")
    ClaimFile.objects.filter(number__startswith="X").update(provider=provider, external_ref=F("number"))
    with django_assert_max_num_queries(queries):
        page = client.get(URL, {"page_size": 100}).json()
    assert page["count"] == 23 and len(page["items"]) == 23
    bad = client.get(URL, {"page": "zero"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 422 and bad.json()["errors"][0]["code"] == "invalid_integer"


def test_it_is_documented_in_openapi_with_the_bearer_scheme(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["components"]["securitySchemes"]["ProviderBearer"] == {"type": "http", "scheme": "bearer"}
    operations = {(path, method): op for path, ops in spec["paths"].items() for method, op in ops.items()}
    for key in [("/api/v1/eligibility", "get"), (URL, "post"), (URL, "get"), (URL + "{number}", "get")]:
        assert operations[key]["security"] == [{"ProviderBearer": []}] and "401" in operations[key]["responses"]
    body = operations[(URL, "post")]["requestBody"]["content"]["application/json"]["schema"]
    assert {"card", "external_ref", "lines"} <= set(body["required"])


# --- authentication ------------------------------------------------------------------------------


def test_it_refuses_calls_without_a_live_providers_token(api, make_user) -> None:
    client = api()
    card = _card(member_make())
    anonymous = Client()
    for response in (
        anonymous.get(URL, HTTP_ACCEPT_LANGUAGE="en"),
        anonymous.get(URL, HTTP_AUTHORIZATION="Bearer ", HTTP_ACCEPT_LANGUAGE="en"),
        anonymous.get("/api/v1/eligibility", {"card": card}, HTTP_AUTHORIZATION="Basic YTpi"),
        Client(HTTP_AUTHORIZATION="Bearer not-a-token").get(URL, HTTP_ACCEPT_LANGUAGE="en"),
        _post(Client(HTTP_AUTHORIZATION="Bearer " + "x" * 300), _body(card)),
    ):
        assert response.status_code == 401 and response.json()["detail"]
    for lang in ("ar", "fr", "en"):
        with translation.override(lang):
            expected = str(MSG_NO_TOKEN)
        assert anonymous.get(URL, HTTP_ACCEPT_LANGUAGE=lang).json()["detail"] == expected
    assert not ClaimFile.objects.exists()
    # A logged-in session is not a token: the back office's cookie does not open the API.
    session = Client()
    session.force_login(client.user)  # type: ignore[attr-defined]
    assert session.get(URL).status_code == 401
    assert client.get(URL).status_code == 200


def test_the_back_office_gives_a_provider_user_its_own_files_only_and_no_counter(api, client) -> None:
    a, b = api(), api()
    card = _card(member_make())
    mine = ClaimFile.objects.get(number=_post(a, _body(card, ref="A-1")).json()["number"])
    theirs = ClaimFile.objects.get(number=_post(b, _body(card, ref="B-1")).json()["number"])
    counter_file = file_make(member=member_make(), lines=[CONSULTATION])
    ClaimFile.objects.filter(pk=counter_file.pk).update(provider=a.provider)  # the member's, naming A
    client.force_login(a.user)  # type: ignore[attr-defined]
    listed = client.get(reverse("claims:list")).context["page"]
    assert [c.pk for c in listed] == [mine.pk]
    assert client.get(reverse("claims:detail", args=[mine.pk])).status_code == 200
    for other in (theirs, counter_file):
        assert client.get(reverse("claims:detail", args=[other.pk])).status_code == 404
    for name in ("claims:counter", "claims:counter_beneficiary", "claims:counter_codes"):
        assert client.get(reverse(name), {"card_number": card, "q": "CONS"}).status_code == 403
    # No workflow action, not even the ones claims.add_claimfile allows (returned -> received).
    ClaimFile.objects.filter(pk=mine.pk).update(status=ClaimStatus.RETURNED, missing_pieces=["invoice"])
    moved = client.post(reverse("claims:transition", args=[mine.pk]), {"to": "received"})
    assert moved.status_code == 403 and ClaimFile.objects.get(pk=mine.pk).status == ClaimStatus.RETURNED
    assert client.get(reverse("members:list")).status_code in (302, 403)


# --- the race --------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_identical_requests_at_once_file_one_claim(api) -> None:
    client = api()
    body = _body(_card(member_make()))
    barrier = threading.Barrier(2)
    results: list[tuple[int, str]] = []

    def send() -> None:
        try:
            barrier.wait()
            response = _post(client, body)
            results.append((response.status_code, response.json().get("number", "")))
        except Exception as exc:
            results.append((0, repr(exc)))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(code for code, _n in results) == [200, 201], results
    assert results[0][1] == results[1][1] and ClaimFile.objects.count() == 1 and ClaimLine.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_request_racing_an_uncommitted_insert_of_its_reference_gets_that_file(api) -> None:
    """Deterministic: the second request passes the 'already sent?' check before the first commits,
    blocks on the unique index, then gets the IntegrityError the service turns into the first file."""
    client = api()
    member = member_make()
    body = _body(_card(member), ref="RACE-1")
    inserted, done = threading.Event(), threading.Event()
    results: list[Any] = []

    def first_request() -> None:
        try:
            with transaction.atomic():
                file_make(member=member, lines=[CONSULTATION], channel=Channel.PROVIDER, number="T-FIRST")
                ClaimFile.objects.filter(number="T-FIRST").update(provider=client.provider, external_ref="RACE-1")
                inserted.set()
                _wait_for_a_lock_waiter()
        except Exception as exc:
            results.append(repr(exc))
        finally:
            done.set()
            connection.close()

    def second_request() -> None:
        try:
            inserted.wait(10)
            response = _post(client, body)
            results.append((response.status_code, response.json().get("number")))
        except Exception as exc:
            results.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=first_request), threading.Thread(target=second_request)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results == [(200, "T-FIRST")] and ClaimFile.objects.count() == 1


def _wait_for_a_lock_waiter() -> None:
    """Until another session of this database waits on a lock (the second request's INSERT)."""
    with connection.cursor() as cur:
        for _ in range(200):
            cur.execute("SELECT pg_stat_clear_snapshot()")  # else the view is read once per transaction
            cur.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cur.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the second request never waited on the unique index")
