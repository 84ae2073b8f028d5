"""POST /api/v1/simulate/claim against the seeded referentials."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client
from django.test.utils import override_settings

from referentials.tests.scenario import example

pytestmark = pytest.mark.django_db
URL = "/api/v1/simulate/claim"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _post(client: Client, body: object, **extra: str):  # type: ignore[no-untyped-def]
    text = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL, text, content_type="application/json", **extra)  # type: ignore[arg-type]


def test_it_gives_the_issue_figures_without_login(client: Client) -> None:
    response = _post(client, example())
    assert response.status_code == 200
    data = response.json()
    amounts = [tuple(line[k] for k in ("basis", "amo", "complementary", "remainder")) for line in data["lines"]]
    assert amounts == [("80.00", "64.00", "10.00", "126.00"), ("100.00", "70.00", "20.00", "10.00")]
    assert data["totals"] == {
        "paid": "300.00",
        "basis": "180.00",
        "amo": "134.00",
        "complementary": "30.00",
        "remainder": "136.00",
    }
    assert data["lines"][0]["trace"]


def test_it_labels_reasons_in_the_asked_language(client: Client) -> None:
    scenario = example()
    scenario["lines"][0]["date"] = "2025-12-01"  # filed 99 days later by a member: late
    labels = {}
    for lang in ("ar", "fr", "en"):
        data = _post(client, scenario, QUERY_STRING=f"lang={lang}").json()
        assert data["lines"][0]["reasons"][0]["code"] == "LATE_FILING"
        labels[lang] = data["lines"][0]["reasons"][0]["label"]
    assert labels == {
        "ar": "تم إيداع الملف خارج الأجل",
        "fr": "Dossier déposé hors délai",
        "en": "Claim filed after the deadline",
    }


def test_it_lists_every_bad_field_with_422(client: Client) -> None:
    scenario = example()
    scenario["filed_on"] = "10/03/2026"
    scenario["lines"][0]["paid"] = "abc"
    del scenario["beneficiary"]["birth_date"]
    response = _post(client, scenario, QUERY_STRING="lang=en")
    assert response.status_code == 422
    errors = {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert errors == {
        ("filed_on", "invalid_date"),
        ("lines[0].paid", "not_a_number"),
        ("beneficiary.birth_date", "required"),
    }
    assert all(e["message"] for e in response.json()["errors"])


def test_it_refuses_a_body_that_is_not_json_with_400(client: Client) -> None:
    response = _post(client, "{not json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_json"


@override_settings(SIMULATOR_RATE_LIMIT=3)
def test_it_rate_limits_per_client_address(client: Client) -> None:
    for _ in range(3):
        assert _post(client, example(), REMOTE_ADDR="10.0.0.1").status_code == 200
    refused = _post(client, example(), REMOTE_ADDR="10.0.0.1")
    assert refused.status_code == 429
    assert refused.json()["detail"]
    assert _post(client, example(), REMOTE_ADDR="10.0.0.2").status_code == 200


def test_it_stores_nothing(client: Client) -> None:
    from django.apps import apps

    # The rate limit's counter (a key and a number, shared by the web workers) is the one row written.
    models = [m for m in apps.get_models() if m._meta.label != "accounts.RateCounter"]
    counts = {m._meta.label: m._default_manager.count() for m in models}
    assert _post(client, example()).status_code == 200
    assert {m._meta.label: m._default_manager.count() for m in models} == counts


def test_it_is_documented_in_openapi(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    op = spec["paths"]["/api/v1/simulate/claim"]["post"]
    body = op["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["required"]) >= {"filed_on", "filed_by", "provider", "beneficiary", "lines"}
    assert "$ref" not in json.dumps(body)
    assert {"200", "400", "422", "429"} <= set(op["responses"])
