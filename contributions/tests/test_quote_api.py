"""The quote from the command line and the API: figures, errors, OpenAPI."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db
URL = "/api/v1/simulate/contributions"


def _run(*args: str) -> dict[str, str]:
    out = io.StringIO()
    call_command("simulate", "contributions", *args, stdout=out)
    return dict(json.loads(out.getvalue()))


def test_it_prints_the_quote_as_json_strings() -> None:
    # 9,000: 1.8 % = 162 -> cap 50; 1 % = 90 -> cap 15; 2.5 % = 225 each share.
    assert _run("--salary", "9000", "--status", "active") == {
        "complementary": "50.00", "death_fund": "15.00", "amo_employee": "225.00", "amo_employer": "225.00"
    }  # fmt: skip
    # A pension of 2,000: 36.00, 20 -> 15.00, 2.5 % = 50 -> floor 70.00, no employer share.
    assert _run("--salary", "2000", "--status", "retired", "--month", "2026-01") == {
        "complementary": "36.00", "death_fund": "15.00", "amo_employee": "70.00", "amo_employer": "0.00"
    }  # fmt: skip


@pytest.mark.parametrize("salary", ["-1", "abc", "9e3", "99999999999999", "1e400"])
def test_it_exits_non_zero_on_bad_input(salary: str) -> None:
    with pytest.raises(SystemExit) as exit_:
        call_command("simulate", "contributions", "--salary", salary, "--status", "active", stderr=io.StringIO())
    assert exit_.value.code == 2


def test_it_refuses_an_unknown_status_from_the_command_line() -> None:
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("simulate", "contributions", "--salary", "9000", "--status", "idle", "--lang", "fr", stderr=err)
    assert err.getvalue().startswith("status: ")


def test_it_answers_the_api_with_the_figures(client) -> None:  # type: ignore[no-untyped-def]
    # 20,000: 50 / 15 (caps) and 2.5 % = 500 -> cap 400 each.
    response = client.get(URL, {"salary": "20000", "status": "active", "month": "2026-05"})
    assert response.status_code == 200
    assert response.json() == {
        "complementary": "50.00", "death_fund": "15.00", "amo_employee": "400.00", "amo_employer": "400.00",
        "status": "active", "month": "2026-05",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"salary": "-9000", "status": "active"}, "salary"),
        ({"salary": "nine", "status": "active"}, "salary"),
        ({"salary": "123456789012", "status": "active"}, "salary"),
        ({"salary": "9000", "status": "sleeping"}, "status"),
        ({"salary": "9000", "status": "active", "month": "2026-13"}, "month"),
        ({"status": "active"}, "salary"),
    ],
)
def test_it_refuses_bad_api_input_with_a_422_and_a_message(client, params: dict[str, str], field: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    assert errors[0]["message"]


def test_it_is_in_the_openapi_schema(client) -> None:  # type: ignore[no-untyped-def]
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "get" in paths[URL]
    assert {p["name"] for p in paths[URL]["get"]["parameters"]} >= {"salary", "status", "month"}
