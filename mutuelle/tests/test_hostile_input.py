"""Hostile input gets a 400 (or 413) with a translated message, before any view or query runs.

On PostgreSQL a NUL in any string reaching a query was a 500; these tests run on both databases.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from accounts.roles import Role
from claims.models import ClaimFile
from mutuelle.middleware_input import JSON_MAX_DEPTH, json_problem
from referentials.tests.scenario import example

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
NUL = "The request contains a NUL character, which is not allowed."
ENCODING = "The request contains text that is not valid UTF-8."
TOO_DEEP = "The JSON body is nested too deeply."
SIMULATE = "/api/v1/simulate/claim"
CLAIMS = "/api/v1/claims/"


def _json(client: Client, url: str, text: str | bytes) -> Any:
    return client.post(url, text, content_type="application/json")


def _refused(message: str, code: str) -> dict[str, Any]:
    """The API's error shape (ErrorsOut): the body or address as a whole is at fault."""
    return {"detail": message, "errors": [{"field": "", "code": code, "message": message}]}


def _shape(response: Any) -> dict[str, Any]:
    """The producer's members of a problem+json answer (mutuelle.api_problems adds the RFC 9457 ones)."""
    assert response["Content-Type"].startswith("application/problem+json")
    return {k: v for k, v in response.json().items() if k in ("detail", "errors")}


def _claim_body(**extra: Any) -> dict[str, Any]:
    line = {"kind": "act", "code": "CONS-G", "care_date": "2026-01-02", "paid": "150.00"}
    return {"card": "100001-01", "external_ref": "FAC-1", "lines": [line], **extra}


@pytest.mark.parametrize(
    "url",
    [
        "/verify/ABC%00DEF",  # path
        "/verify/ABCDEF?x=%00",  # query, percent-encoded
        "/verify/ABCDEF?x%00=1",  # a parameter's name
        "/verify/ABCDEF?x=a+%00",
    ],
)
def test_it_refuses_a_nul_in_the_address_of_the_public_verify_page(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert NUL in response.content.decode()


def test_it_refuses_bad_utf8_in_the_path_and_the_query(client: Client) -> None:
    for url in ("/verify/%ff", "/verify/ABCDEF?q=%ff%fe", "/members/?q=%c3"):
        response = client.get(url)
        assert (response.status_code, ENCODING in response.content.decode()) == (400, True), url


def test_it_keeps_an_encoded_percent_and_arabic_text(client: Client) -> None:
    # "%2500" is the text "%00", not a NUL; Arabic in the query is valid UTF-8.
    assert client.get("/verify/ABCDEF?q=%2500").status_code == 404
    assert client.get("/verify/ABCDEF", {"q": "العلوي"}).status_code == 404


def test_it_refuses_a_nul_in_a_page_query_for_a_logged_in_agent(client_for: Any) -> None:
    client = client_for(Role.RECEPTION)
    assert client.get("/members/", {"q": "Alaoui"}).status_code == 200
    response = client.get("/members/", {"q": "Ala\x00oui"})
    assert response.status_code == 400 and NUL in response.content.decode()


def test_it_refuses_a_nul_in_a_posted_form_field(client: Client) -> None:
    response = client.post("/accounts/login/", {"username": "ad\x00min", "password": "x"})
    assert response.status_code == 400 and NUL in response.content.decode()


def test_it_refuses_a_nul_in_a_session_cookie(client: Client) -> None:
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert client.get("/verify/ABCDEF").status_code == 400


def test_it_answers_the_provider_api_in_json(provider_client: Client) -> None:
    for url in (f"{CLAIMS}?external_ref=%00", f"{CLAIMS}FS%00X", "/api/v1/eligibility?card=100001-01%00"):
        response = provider_client.get(url)
        assert response.status_code == 400, url
        assert _shape(response) == _refused(NUL, "nul_character")


def test_it_refuses_a_nul_escaped_in_a_json_string_and_files_nothing(provider_client: Client) -> None:
    for text in ('"FAC\\u0000-1"', '"FAC-1\\u0000"'):
        body = json.dumps(_claim_body()).replace('"FAC-1"', text)
        response = _json(provider_client, CLAIMS, body)
        assert (response.status_code, _shape(response)) == (400, _refused(NUL, "nul_character"))
    raw = json.dumps(_claim_body()).replace("FAC-1", "FAC\x00-1").encode()
    assert _json(provider_client, CLAIMS, raw).status_code == 400
    assert not ClaimFile.objects.exists()


def test_it_keeps_an_escaped_backslash_before_u0000(client: Client) -> None:
    # "\\u0000" is a backslash and the text u0000: no NUL, the simulator reads the scenario.
    scenario = example()
    scenario["lines"][0]["code"] = "\\u0000"
    assert json_problem(json.dumps(scenario).encode()) is None


def test_it_refuses_a_nul_in_a_simulator_scenario(client: Client) -> None:
    body = json.dumps(example()).replace('"self"', '"se\\u0000lf"')
    response = _json(client, SIMULATE, body)
    assert (response.status_code, _shape(response)) == (400, _refused(NUL, "nul_character"))
    assert _json(client, f"{SIMULATE}?lang=%00", json.dumps(example())).status_code == 400


def test_it_refuses_a_lone_surrogate_in_a_json_string(client: Client) -> None:
    body = json.dumps(example()).replace('"self"', '"\\udc00"')
    response = _json(client, SIMULATE, body)
    assert (response.status_code, _shape(response)) == (400, _refused(ENCODING, "invalid_utf8"))
    paired = json.dumps(example()).replace('"self"', '"\\ud83d\\ude00"')  # an emoji, correctly paired
    assert json_problem(paired.encode()) is None


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_it_refuses_deeply_nested_json_before_parsing_it(client: Client, provider_client: Client, opening: str) -> None:
    body = opening * 5000
    for api, url in ((client, SIMULATE), (provider_client, CLAIMS)):
        response = _json(api, url, body)
        assert (response.status_code, _shape(response)) == (400, _refused(TOO_DEEP, "too_deep")), url


def test_it_counts_depth_outside_strings_only() -> None:
    assert json_problem(b"[" * JSON_MAX_DEPTH + b"]" * JSON_MAX_DEPTH) is None
    assert json_problem(b"[" * (JSON_MAX_DEPTH + 1)) == TOO_DEEP
    assert json_problem(json.dumps({"code": "[" * 5000}).encode()) is None
    assert json_problem(json.dumps({"a": '\\"[[['}).encode() + b"[" * 10) is None


def test_it_refuses_a_json_body_over_the_limit(client: Client, settings: Any) -> None:
    settings.JSON_MAX_BYTES = 1000
    response = _json(client, SIMULATE, json.dumps({**example(), "pad": "x" * 2000}))
    assert (response.status_code, _shape(response)) == (413, _refused("The request body is too large.", "too_large"))


def test_it_answers_in_the_language_of_the_request(client: Client) -> None:
    response = client.get("/verify/A%00", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400 and NUL not in response.content.decode()
    assert response.content.decode().count("NUL") == 1
    arabic = client.get("/api/v1/eligibility?card=%00", HTTP_ACCEPT_LANGUAGE="ar")
    assert arabic.status_code == 400 and arabic.json()["detail"] != NUL


@pytest.mark.parametrize(
    ("language", "heading", "message"),
    [
        ("fr", "Requête invalide", "La requête contient un caractère NUL"),
        ("ar", "طلب غير صالح", None),
    ],
)
def test_it_gives_a_page_the_styled_translated_error_layout(client: Client, language: str, heading: str,
                                                             message: str | None) -> None:  # fmt: skip
    response = client.get("/verify/ABC%00DEF", HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert 'class="card shadow-sm"' in page and "css/app.css" in page  # the site's error layout, not bare HTML
    assert f'lang="{language}"' in page and ('dir="rtl"' in page) == (language == "ar")
    assert heading in page and "<bdi>400</bdi>" in page
    assert message is None or message in page
