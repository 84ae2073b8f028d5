"""Fixed-window rate limits (login, simulator, provider eligibility, API tokens), counted where every
web worker sees the same count (counts and keys only, no personal data): on Redis when the shared
cache is Redis, in the database otherwise; one round trip per count either way (`rate_window_hit`).
"""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any, NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from accounts.models import RateCounter


@lru_cache(maxsize=4)
def _upsert_sql(vendor: str) -> str:
    """The counting statement, built once per database vendor (its quoting)."""
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    columns = ("bucket", "window_start", "expires_at", "hits")
    bucket, start, expires, hits = (connection.ops.quote_name(c) for c in columns)
    # One statement, atomic on SQLite and PostgreSQL alike: concurrent calls never lose a count.
    return (
        f"INSERT INTO {table} ({bucket}, {start}, {expires}, {hits}) VALUES (%s, %s, %s, 1) "  # noqa: S608
        f"ON CONFLICT ({bucket}, {start}) DO UPDATE SET {hits} = {table}.{hits} + 1 RETURNING {hits}"
    )


REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"


class WindowCount(NamedTuple):
    calls: int  # in the current window, this one included
    retry_after: int  # seconds to the window's end


# INCR, and EXPIRE on a window's first call, in one atomic script: one round trip and no pipeline
# object per call (redis-py builds its response-callback table for every pipeline, which cost more
# than the round trip). The window's start is in the key: a new window, a new count.
_REDIS_COUNT = (
    "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return n"
)


def _redis_hit(key: str, start: int, window: int) -> int:
    client: Any = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    name = cache.make_and_validate_key(f"rate:{key}:{start}")
    return int(_redis_script(client)(keys=[name], args=[window + 1], client=client))


_script: list[Any] = []


def _redis_script(client: Any) -> Any:
    """The counting script, registered once per process; called with each call's client (EVALSHA,
    sending the script again only if Redis lost it, e.g. after a restart)."""
    if not _script:
        _script.append(client.register_script(_REDIS_COUNT))
    return _script[0]


def _db_hit(key: str, start: int, window: int, moment: int) -> int:
    # One statement is atomic alone: BEGIN/COMMIT around it would be two more round trips per call.
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(connection.vendor), [key[:200], start, start + window])
        row = cursor.fetchone()
    count = int(row[0]) if row else 0
    if count == 1:
        RateCounter.objects.filter(expires_at__lte=moment).delete()
    return count


def rate_window_hit(*, key: str, window: int, now: float | None = None) -> WindowCount:
    """Count one call under `key` in the current fixed window, on Redis when the shared cache is Redis,
    in the database otherwise; one round trip either way, and no count lost under concurrency."""
    moment = int(time.time() if now is None else now)
    start = moment - moment % window
    if settings.CACHES["default"]["BACKEND"] == REDIS_BACKEND:
        count = _redis_hit(key, start, window)
    else:
        count = _db_hit(key, start, window, moment)
    return WindowCount(count, start + window - moment)


def rate_hit(*, key: str, window: int, now: float | None = None) -> int:
    """Count one call under `key` in the current `window` seconds; the count so far, this call included."""
    return rate_window_hit(key=key, window=window, now=now).calls


def rate_allowed(*, key: str, limit: int, window: int) -> bool:
    """Count one call under `key`; False once over `limit` calls in the `window` seconds."""
    return rate_hit(key=key, window=window) <= limit
