"""Fixed-window rate limits (login, simulator, provider eligibility), counted in the database so
that every web worker sees the same count (counts and keys only, no personal data)."""

from __future__ import annotations

import time
from functools import lru_cache

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
