"""`Cache-Control: no-store` on every page, document and API answer; static files keep caching."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


class NoStoreMiddleware:
    """Pages, PDFs, CSV/XML/XLSX exports and attachments carry personal, medical or financial data:
    no browser or proxy may keep a copy (a shared counter machine, a back button after logout).
    By exclusion rather than by a list of private paths, so that a new view cannot be forgotten;
    the few anonymous pages (login, simulator) hold a CSRF token and cost nothing to re-render.
    A view that sets its own Cache-Control keeps it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.static_prefix = "/" + str(settings.STATIC_URL).lstrip("/")

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not request.path.startswith(self.static_prefix) and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response
