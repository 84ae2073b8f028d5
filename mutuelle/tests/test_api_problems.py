"""Every /api/ error is application/problem+json (RFC 9457): stable type, translated title, status,
instance, the producer's detail and field errors kept; the OpenAPI document says so."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from claims.models import ClaimFile
from mutuelle.api_problems import PROBLEM_TYPES, problem_type_uri

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
BASE = "https://mutuelle.example/problems/"


def _problem(response: Any, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json; charset=utf-8"
    body: dict[str, Any] = response.json()
    assert body["type"] == BASE + slug and body["status"] == status
    assert body["title"] and body["detail"] and body["instance"].startswith("/api/")
    return body


def test_it_answers_a_missing_token_with_a_401_problem_in_the_callers_language(client: Client) -> None:
    english = _problem(client.get("/api/v1/claims/", HTTP_ACCEPT_LANGUAGE="en"), 401, "unauthenticated")
    assert english["title"] == "Authentication required" and english["instance"] == "/api/v1/claims/"
    arabic = _problem(client.get("/api/v1/claims/", HTTP_ACCEPT_LANGUAGE="ar"), 401, "unauthenticated")
    french = _problem(client.get("/api/v1/claims/", {"lang": "fr"}), 401, "unauthenticated")
    assert arabic["title"] == "المصادقة مطلوبة" and french["title"] == "Authentification requise"
    assert len({english["detail"], arabic["detail"], french["detail"]}) == 3


def test_it_answers_a_validation_error_with_its_field_errors(provider_client: Client) -> None:
    body = _problem(provider_client.get("/api/v1/claims/", {"page": "abc"}), 422, "validation")
    assert body["errors"][0]["field"] == "page" and set(body["errors"][0]) == {"field", "code", "message"}
    assert body["title"] == "The request has invalid fields"


def test_it_answers_hostile_input_before_any_view_as_a_problem(provider_client: Client) -> None:
    response = provider_client.post("/api/v1/claims/", '{"card": "\\u0000"}', content_type="application/json")
    body = _problem(response, 400, "bad-request")
    assert body["errors"][0]["code"] == "nul_character"
    assert not ClaimFile.objects.exists()


def test_it_answers_an_unknown_address_and_a_wrong_method_as_problems(client: Client) -> None:
    _problem(client.get("/api/v1/nothing-here", HTTP_ACCEPT_LANGUAGE="fr"), 404, "not-found")
    _problem(client.delete("/api/v1/simulate/claim"), 405, "method-not-allowed")


def test_it_keeps_the_pages_out_of_problem_json(client: Client) -> None:
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")


def test_it_documents_every_error_response_as_a_problem() -> None:
    from mutuelle.api import api

    document = api.get_openapi_schema()
    assert set(document["components"]["schemas"]["Problem"]["required"]) >= {"type", "title", "status", "detail"}
    seen = 0
    for operations in document["paths"].values():
        for operation in operations.values():
            for code, answer in operation["responses"].items():
                if int(code) >= 400:
                    assert list(answer["content"]) == ["application/problem+json"], (code, operation["operationId"])
                    seen += 1
    assert seen >= 10


def test_it_gives_each_status_a_stable_distinct_type() -> None:
    slugs = [kind.slug for kind in PROBLEM_TYPES.values()]
    assert len(set(slugs)) == len(slugs)
    assert problem_type_uri(PROBLEM_TYPES[422].slug) == BASE + "validation"


def test_it_serves_an_openapi_document_without_duplicated_keys(client: Client) -> None:
    import json as _json

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _v in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    _json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=unique)
