"""The per-token rate limit of /api/v1 and /fhir: a fixed minute, on the database or on Redis."""

from __future__ import annotations

import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from fhir.resources.R4B.operationoutcome import OperationOutcome

from accounts.api_rate import RateLimited, api_rate_check
from accounts.models import ApiToken, Provider, User
from accounts.roles import Role
from accounts.tokens import api_token_create
from mutuelle.throttle import REDIS_BACKEND, rate_window_hit

pytestmark = pytest.mark.django_db
REDIS_URL = "redis://127.0.0.1:6379/15"
T0 = 1_800_000_000 + 17  # 17 s into a minute (1_800_000_000 is a multiple of 60)


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.2).close()
    except OSError:
        return False
    return True


@pytest.fixture(params=["db", "redis"])
def backend(request: pytest.FixtureRequest, settings: Any) -> Iterator[str]:
    """The counter on the database (CACHE_URL db://, the default) or on Redis (CACHE_URL redis://)."""
    if request.param == "redis":
        if not _redis_up():
            pytest.skip("no Redis on 127.0.0.1:6379")
        settings.CACHES = {"default": {"BACKEND": REDIS_BACKEND, "LOCATION": REDIS_URL, "KEY_PREFIX": uuid.uuid4().hex}}
    yield request.param


@pytest.fixture
def token(make_user: Callable[..., User]) -> tuple[ApiToken, str]:
    provider = Provider.objects.create(inpe="200000021", name="Pharmacie Nour", kind="pharmacy", sector="private")
    return api_token_create(actor=None, user=make_user(Role.PROVIDER, provider_id=provider.pk))


def test_it_refuses_the_fourth_call_of_a_minute_and_lets_the_next_minute_through(
    backend: str, token: tuple[ApiToken, str], settings: Any
) -> None:
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    row = token[0]
    for second in (0, 10, 20):
        api_rate_check(token=row, now=T0 + second)
    with pytest.raises(RateLimited) as refused:
        api_rate_check(token=row, now=T0 + 30)
    assert refused.value.retry_after == 60 - 17 - 30  # to the end of the window
    api_rate_check(token=row, now=T0 + 43)  # a new minute: counted from 1 again
    row.rate_per_minute = 1  # the token's own limit wins over the setting
    with pytest.raises(RateLimited):
        api_rate_check(token=row, now=T0 + 44)


def test_it_loses_no_count_under_concurrent_calls_on_redis(backend: str) -> None:
    if backend != "redis":
        pytest.skip("SQLite's test database is one connection; the upsert is one atomic statement")
    key = f"concurrent:{uuid.uuid4().hex}"

    def hit() -> None:
        for _ in range(25):
            rate_window_hit(key=key, window=60, now=T0)

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert rate_window_hit(key=key, window=60, now=T0).calls == 8 * 25 + 1


def test_it_answers_a_token_over_its_rate_with_a_429_problem_and_retry_after(
    backend: str, token: tuple[ApiToken, str], settings: Any
) -> None:
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token[1]}", HTTP_ACCEPT_LANGUAGE="en")
    assert [client.get("/api/v1/claims/").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/v1/claims/")
    assert refused.status_code == 429 and refused["Content-Type"].startswith("application/problem+json")
    body = refused.json()
    assert body["type"].endswith("/rate-limited") and body["status"] == 429 and body["title"] == "Too many requests"
    assert 1 <= int(refused["Retry-After"]) <= 60 and refused["Retry-After"] in body["detail"]
    other = Client(HTTP_AUTHORIZATION=f"Bearer {token[1]}", HTTP_ACCEPT_LANGUAGE="fr").get("/api/v1/claims/")
    assert other.status_code == 429 and other.json()["title"] != "Too many requests"  # translated


def test_it_limits_the_fhir_facade_on_the_same_budget(token: tuple[ApiToken, str], settings: Any) -> None:
    settings.API_RATE_LIMIT_PER_MINUTE = 2
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token[1]}")
    assert client.get("/api/v1/claims/").status_code == 200
    assert client.get("/fhir/Patient?identifier=100001-01").status_code != 429
    refused = client.get("/fhir/Patient?identifier=100001-01")
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 60
    outcome = OperationOutcome.model_validate_json(refused.content)
    assert outcome.issue[0].code == "throttled"


def test_the_redis_counter_is_not_the_cache_entries(backend: str) -> None:
    if backend != "redis":
        pytest.skip("Redis only")
    cache.set("x", 1)
    assert rate_window_hit(key="x", window=60, now=T0).calls == 1 and cache.get("x") == 1
