"""Fixed-window rate limits kept in Django's cache (counts only, no personal data)."""

from __future__ import annotations

from django.core.cache import cache


def rate_allowed(*, key: str, limit: int, window: int) -> bool:
    """Count one call under `key`; False once over `limit` calls in the `window` seconds."""
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit
