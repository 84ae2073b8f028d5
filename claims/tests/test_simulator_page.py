"""The public page /simulate/ against the seeded referentials."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.test.utils import override_settings

pytestmark = pytest.mark.django_db
URL = "/simulate/"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _line(i: int, **values: str) -> dict[str, str]:
    return {f"lines-{i}-{k}": v for k, v in values.items()}


def _example_post(**extra: str) -> dict[str, Any]:
    data = {
        "filed_on": "2026-03-10",
        "filed_by": "member",
        "sector": "private",
        "kind": "doctor",
        "relation": "self",
        "birth_date": "1980-05-01",
        "member_joined": "2015-01-01",
        "member_status": "active",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "30",
        **_line(0, kind="act", code="C", coefficient="1", quantity="1", date="2026-03-01", paid="200.00"),
        **_line(
            1,
            kind="medicine",
            coefficient="1",
            quantity="2",
            date="2026-03-01",
            paid="100.00",
            unit_price="50.00",
            reference_unit_price="50.00",
        ),
    }
    data.update(extra)
    return data


def _result_rows(html: str) -> list[list[str]]:
    rows = re.findall(r'<tr class="sim-result-line">(.*?)</tr>', html, re.S)
    return [re.findall(r'<bdi class="amount">([^<]*)</bdi>', row) for row in rows]


def test_it_shows_an_empty_form_with_one_line_to_anyone(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="lines-0-kind"' in html and 'name="lines-1-kind"' not in html
    assert 'hx-get="/simulate/line"' in html


def test_it_gives_the_issue_figures(client: Client) -> None:
    response = client.post(URL, _example_post())
    assert response.status_code == 200
    # paid, basis, AMO, mutual, remainder per line
    assert _result_rows(response.content.decode()) == [
        ["200.00", "80.00", "64.00", "10.00", "126.00"],
        ["100.00", "100.00", "70.00", "20.00", "10.00"],
    ]


def test_it_works_with_one_line_without_javascript(client: Client) -> None:
    data = _example_post(**{"lines-TOTAL_FORMS": "1"})
    response = client.post(URL, data)
    assert _result_rows(response.content.decode()) == [["200.00", "80.00", "64.00", "10.00", "126.00"]]


def test_it_adds_a_line_without_javascript(client: Client) -> None:
    data = _example_post(add_line="1")
    html = client.post(URL, data).content.decode()
    assert 'name="lines-2-kind"' in html
    assert 'value="3"' in html and "sim-result-line" not in html


def test_it_returns_a_numbered_line_form_for_htmx(client: Client) -> None:
    html = client.get("/simulate/line", {"lines-TOTAL_FORMS": "2"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="lines-2-kind"' in html
    assert re.search(r'name="lines-TOTAL_FORMS" value="3"[^>]*hx-swap-oob="true"', html)


def test_it_shows_reasons_in_the_page_language(client: Client) -> None:
    data = _example_post(**{"lines-TOTAL_FORMS": "1", "lines-0-date": "2025-12-01"})
    for lang, label in (
        ("ar", "تم إيداع الملف خارج الأجل"),
        ("fr", "Dossier déposé hors délai"),
        ("en", "Claim filed after the deadline"),
    ):
        html = client.post(URL, data, HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        assert label in html
        assert f'lang="{lang}"' in html
    assert 'dir="rtl"' in client.post(URL, data, HTTP_ACCEPT_LANGUAGE="ar").content.decode()


def test_it_flags_bad_fields_and_computes_nothing(client: Client) -> None:
    data = _example_post(**{"filed_on": "yesterday", "lines-0-paid": "-3"})
    response = client.post(URL, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "sim-result-line" not in html
    assert html.count("invalid-feedback") >= 2


@override_settings(SIMULATOR_RATE_LIMIT=2)
def test_it_rate_limits_the_page_per_address(client: Client) -> None:
    for _ in range(2):
        assert client.post(URL, _example_post(), REMOTE_ADDR="10.1.1.1").status_code == 200
    assert client.post(URL, _example_post(), REMOTE_ADDR="10.1.1.1").status_code == 429
