"""API errors are JSON with a translated `detail`, and the schema's bounds are what the API accepts."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.test import Client

from accounts.roles import Role
from claims.models import ClaimFile
from referentials.tests.scenario import example

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
SERVER_ERROR = "Something went wrong on our side; the error has been logged. Try again later."


def test_it_answers_an_unexpected_exception_of_an_api_view_in_json_and_logs_it(
    provider_client: Client, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.PROVIDER_ELIGIBILITY_RATE_LIMIT = "many"  # int() of it raises inside the view
    provider_client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = provider_client.get("/api/v1/eligibility", {"card": "100001-01"})
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json; charset=utf-8"
    assert response.json() == {
        "type": "https://mutuelle.example/problems/server-error",
        "title": "Server error",
        "status": 500,
        "detail": SERVER_ERROR,
        "instance": "/api/v1/eligibility",
    }
    assert any(r.exc_info and isinstance(r.exc_info[1], ValueError) for r in caplog.records)
    arabic = provider_client.get("/api/v1/eligibility", {"card": "100001-01", "lang": "ar"}).json()
    assert arabic["detail"] == "حدث خلل من جهتنا؛ وقد سُجّل الخطأ. أعد المحاولة لاحقًا."


def test_it_answers_an_address_outside_the_api_routes_in_json(client: Client) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/problem+json")
    assert response.json()["detail"] == "There is nothing at this address."
    assert response.json()["type"] == "https://mutuelle.example/problems/not-found"
    assert client.get("/verify/ABCDEF")["Content-Type"].startswith("text/html")  # pages stay HTML


@pytest.mark.parametrize("page", ["9223372036854775807", "1000001", "0", "-1", "abc", "1e400"])
def test_it_refuses_a_page_out_of_bounds_with_a_422_not_a_500(provider_client: Client, page: str) -> None:
    response = provider_client.get("/api/v1/claims/", {"page": page})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "page"


def test_it_refuses_a_page_size_over_100(provider_client: Client) -> None:
    assert provider_client.get("/api/v1/claims/", {"page_size": "101"}).status_code == 422
    assert provider_client.get("/api/v1/claims/", {"page": "1000000", "page_size": "100"}).status_code == 200


@pytest.mark.parametrize("page", ["9223372036854775807", "-5", "abc"])
def test_it_serves_a_huge_page_number_of_a_back_office_list(client_for: Any, page: str) -> None:
    client = client_for(Role.CLAIMS_OFFICER)
    assert client.get("/claims/", {"page": page}).status_code == 200


def _line(**extra: Any) -> dict[str, Any]:
    return {"kind": "act", "code": "CONS-G", "care_date": "2026-01-02", "paid": "150.00", **extra}


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"inpatient": 0}, "lines[0].inpatient", "invalid_boolean"),
        ({"inpatient": "true"}, "lines[0].inpatient", "invalid_boolean"),
        ({"quantity": "2"}, "lines[0].quantity", "invalid_integer"),
        ({"quantity": True}, "lines[0].quantity", "invalid_integer"),
        ({"coefficient": True}, "lines[0].coefficient", "invalid_type"),
        ({"care_date": 1767312000}, "lines[0].care_date", "invalid_date"),
        ({"care_date": "2026-01-02T00:00:00"}, "lines[0].care_date", "invalid_date"),
        ({"paid": "1" * 400}, "lines[0].paid", "too_large"),
    ],
)
def test_it_refuses_what_the_schema_does_not_allow(provider_client: Client, change: Any, field: str, code: str) -> None:
    body = {"card": "100001-01", "external_ref": "FAC-1", "lines": [_line(**change)]}
    response = provider_client.post("/api/v1/claims/", body, content_type="application/json")
    assert response.status_code == 422
    assert {(e["field"], e["code"]) for e in response.json()["errors"]} == {(field, code)}
    assert not ClaimFile.objects.exists()


def test_it_documents_the_simulator_lines_it_accepts(client: Client) -> None:
    from mutuelle.api import api

    body = api.get_openapi_schema()["paths"]["/api/v1/simulate/claim"]["post"]["requestBody"]
    lines = body["content"]["application/json"]["schema"]["properties"]["lines"]
    assert (lines["minItems"], lines["maxItems"]) == (1, 30)
    too_many = {**example(), "lines": example()["lines"] * 16}
    response = client.post("/api/v1/simulate/claim", json.dumps(too_many), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "lines", "code": "too_many_lines", "message": "A claim file has at most 30 lines."}
    ]


def test_it_reads_a_hostile_line_count_of_the_simulator_page(client: Client) -> None:
    for total in ("9" * 5000, "abc", "²"):
        response = client.post("/simulate/", {"lines-TOTAL_FORMS": total, "add_line": "1"})
        assert response.status_code == 200, total
