"""Per-client-IP rate limit of the public simulator, kept in Django's cache (no personal data stored)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from mutuelle.throttle import rate_allowed

DEFAULT_LIMIT = 30  # simulations per client address per window
DEFAULT_WINDOW_SECONDS = 60


def simulation_allowed(request: HttpRequest) -> bool:
    """Count one simulation for the client's address; False once over the limit in the window.

    REMOTE_ADDR only: a forwarded-for header is client-controlled. Behind a proxy, the proxy
    must set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips with a trusted proxy).
    """
    limit = int(getattr(settings, "SIMULATOR_RATE_LIMIT", DEFAULT_LIMIT))
    window = int(getattr(settings, "SIMULATOR_RATE_WINDOW_SECONDS", DEFAULT_WINDOW_SECONDS))
    return rate_allowed(key=f"simulator:rate:{request.META.get('REMOTE_ADDR', '')}", limit=limit, window=window)
