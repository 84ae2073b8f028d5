"""Fixed-window rate limits (login, simulator, provider eligibility, API tokens), counted where every
web worker sees the same count (counts and keys only, no personal data): in the database, or for the
API's per-token limit on Redis when the shared cache is Redis (`rate_window_hit`).
"""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any, NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

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


def rate_hit(*, key: str, window: int, now: float | None = None) -> int:
    """Count one call under `key` in the current `window` seconds; the count so far, this call included."""
    moment = int(time.time() if now is None else now)
    start = moment - moment % window
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_upsert_sql(connection.vendor), [key[:200], start, start + window])
            row = cursor.fetchone()
        count = int(row[0]) if row else 0
        if count == 1:  # the first call of a window: a cheap moment to drop finished windows
            RateCounter.objects.filter(expires_at__lte=moment).delete()
    return count


def rate_allowed(*, key: str, limit: int, window: int) -> bool:
    """Count one call under `key`; False once over `limit` calls in the `window` seconds."""
    return rate_hit(key=key, window=window) <= limit


REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"


class WindowCount(NamedTuple):
    calls: int  # in the current window, this one included
    retry_after: int  # seconds to the window's end


def _redis_hit(key: str, start: int, window: int) -> int:
    # INCR and EXPIRE in one MULTI/EXEC: one round trip, atomic (cache.add + cache.incr would be three,
    # Django's incr reading the key first). The window's start is in the key: a new window, a new count.
    client: Any = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    name = cache.make_and_validate_key(f"rate:{key}:{start}")
    pipe = client.pipeline(transaction=True)
    pipe.incr(name)
    pipe.expire(name, window + 1)
    count, _ok = pipe.execute()
    return int(count)


def _db_hit(key: str, start: int, window: int, moment: int) -> int:
    # rate_hit's statement without its transaction: one statement is atomic alone, and BEGIN/COMMIT
    # around it would be two more round trips on every API call.
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
