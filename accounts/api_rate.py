"""The per-token rate limit of /api/v1 and /fhir: a fixed minute, counted where every worker sees it.

Checked by the bearer authentication (accounts.auth_api, fhir.http) right after the token is
found, so every authenticated endpoint is covered and a refused call costs no more than the count.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken
from mutuelle.i18n import request_language
from mutuelle.throttle import rate_window_hit

WINDOW_SECONDS = 60
DEFAULT_LIMIT = 600
MSG_RATE_LIMITED = _("Too many calls with this API token; try again in %(seconds)s seconds.")


class RateLimited(Exception):
    """Raised by the authentication; answered 429 problem+json with Retry-After (mutuelle.api)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"rate limited for {retry_after} s")
        self.retry_after = max(1, retry_after)

    def message(self, request: HttpRequest) -> str:
        with translation.override(request_language(request)):
            return str(MSG_RATE_LIMITED % {"seconds": self.retry_after})


def token_limit(token: ApiToken) -> int:
    if token.rate_per_minute is not None:
        return token.rate_per_minute
    return int(getattr(settings, "API_RATE_LIMIT_PER_MINUTE", DEFAULT_LIMIT))


def api_rate_check(*, token: ApiToken, now: float | None = None) -> None:
    """Count one call of `token`; RateLimited once it is over its limit for this minute."""
    hit = rate_window_hit(key=f"api:{token.pk}", window=WINDOW_SECONDS, now=now)
    if hit.calls > token_limit(token):
        raise RateLimited(hit.retry_after)
