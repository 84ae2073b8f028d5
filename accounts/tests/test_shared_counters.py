"""Rate limits and the cache hold across processes: nothing is counted in a worker's memory."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends import locmem
from django.db import connection

from accounts.models import RateCounter
from mutuelle.throttle import rate_allowed, rate_hit

pytestmark = pytest.mark.django_db


def _forget_process_memory() -> None:
    """What a second worker process starts with: no local-memory cache content, no open backends."""
    locmem._caches.clear()
    locmem._expire_info.clear()
    locmem._locks.clear()
    caches.close_all()
    for alias in list(settings.CACHES):
        try:
            delattr(caches._connections, alias)
        except AttributeError:
            pass


def test_it_keeps_counting_after_the_process_memory_is_gone() -> None:
    assert rate_allowed(key="simulator:rate:10.0.0.1", limit=1, window=60)
    _forget_process_memory()
    assert not rate_allowed(key="simulator:rate:10.0.0.1", limit=1, window=60)
    assert rate_allowed(key="simulator:rate:10.0.0.2", limit=1, window=60)  # per key


def test_it_counts_each_window_apart_and_drops_finished_windows() -> None:
    assert [rate_hit(key="k", window=60, now=120 + s) for s in (0, 1, 59)] == [1, 2, 3]
    assert rate_hit(key="k", window=60, now=180) == 1  # the next window starts afresh
    assert list(RateCounter.objects.values_list("window_start", "hits")) == [(180, 1)]


def test_it_shares_the_default_cache_between_two_backend_instances() -> None:
    caches["default"].set("shared-key", 41, timeout=60)
    _forget_process_memory()
    other = caches.create_connection("default")
    assert other.get("shared-key") == 41
    assert type(other).__name__ == "DatabaseCache"


def test_it_reads_the_cache_from_cache_url() -> None:
    from mutuelle import settings as prod

    assert prod.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert prod._cache("redis://:secret@cache.internal:6379/1") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://:secret@cache.internal:6379/1",
    }
    assert prod._cache("db://other_table")["LOCATION"] == "other_table"


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_counts_the_calls_of_another_process_and_of_concurrent_threads(rate_window_fixed: int) -> None:
    # One instant for every count, the other process's too: a real clock crossing the hour would
    # start a new window mid-test.
    clock = rate_window_fixed
    assert rate_hit(key="eligibility:rate:7", window=3600, now=clock) == 1
    script = (
        "import django; django.setup(); from mutuelle.throttle import rate_hit; "
        f"print(rate_hit(key='eligibility:rate:7', window=3600, now={clock}))"
    )
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "mutuelle.test_settings"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=Path(settings.BASE_DIR), env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "2"

    barrier, counts = threading.Barrier(8), []

    def hit() -> None:
        try:
            barrier.wait()
            counts.append(rate_hit(key="eligibility:rate:7", window=3600, now=clock))
        finally:
            connection.close()

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # One atomic upsert each: every count from 3 to 10 handed out exactly once, none lost.
    assert sorted(counts) == list(range(3, 11))
