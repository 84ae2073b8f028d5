"""Sessions end a working day after login and after a spell of inactivity, whichever comes first."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.translation import gettext_lazy as _
from django_htmx.http import HttpResponseClientRedirect

SESSION_EXPIRED = _("Your session has expired; please log in again.")
STARTED_KEY = "_mutuelle_started"
SEEN_KEY = "_mutuelle_seen"
# The last-seen time is written at most this often, not on every GET.
SEEN_RESOLUTION_SECONDS = 60


def session_clocks_start(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """On `user_logged_in`: both clocks start at the login, written with the login's own session save."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[STARTED_KEY] = now
        request.session[SEEN_KEY] = now


class SessionTimeoutMiddleware:
    """Django's SESSION_COOKIE_AGE slides with every save of the session; here SESSION_COOKIE_AGE
    counts from the login (an absolute cap) and SESSION_IDLE_TIMEOUT from the last request.
    Times are epoch seconds kept in the session itself, so every worker agrees."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.user.is_authenticated:
            self._check(request, int(time.time()))
        response = self.get_response(request)
        if request.user.is_authenticated and STARTED_KEY not in request.session:
            # A session opened before this middleware existed: its clocks start now.
            now = int(time.time())
            request.session[STARTED_KEY] = now
            request.session[SEEN_KEY] = now
        return _login_redirect_for_htmx(request, response)

    def _check(self, request: HttpRequest, now: int) -> None:
        session = request.session
        started, seen = session.get(STARTED_KEY), session.get(SEEN_KEY)
        if not isinstance(started, int) or not isinstance(seen, int):
            return  # stamped after the response
        if now - started > settings.SESSION_COOKIE_AGE or now - seen > settings.SESSION_IDLE_TIMEOUT:
            logout(request)  # flushes the session: the view sees an anonymous user
            messages.info(request, SESSION_EXPIRED)
        elif now - seen >= SEEN_RESOLUTION_SECONDS:
            session[SEEN_KEY] = now


def _login_redirect_for_htmx(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """htmx follows a redirect itself and would swap the login page into the part of the page it
    updates (a line of the counter, a search result): it is told to load the login page instead."""
    if not getattr(request, "htmx", False) or not isinstance(response, HttpResponseRedirect):
        return response
    if not response["Location"].startswith(resolve_url(settings.LOGIN_URL)):
        return response
    return HttpResponseClientRedirect(response["Location"])
