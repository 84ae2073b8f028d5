"""`/healthz`: the load balancers' probe and the benchmarks' floor answers without the database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_answers_ok_without_a_query_nor_a_session(django_assert_num_queries: Callable[..., Any]) -> None:
    client = Client()
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert "sessionid" not in response.cookies


def test_it_refuses_a_post() -> None:
    response = Client(enforce_csrf_checks=False).post(reverse("healthz"))
    assert response.status_code == 405
