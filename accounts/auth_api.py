"""Bearer authentication of the API (`Authorization: Bearer <token>`), one class per token scope.

Each class also counts the call against the token's rate limit (accounts.api_rate): every
authenticated endpoint is limited without each view asking for it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

from accounts.api_rate import api_rate_check
from accounts.models import ApiToken, ApiTokenScope
from accounts.tokens import api_token_authenticate
from mutuelle.i18n import request_language

MSG_NO_TOKEN = _("Send your API token in the header: Authorization: Bearer <token>.")
MSG_BAD_TOKEN = _("This API token is unknown, revoked, or not a provider's.")
MSG_BAD_STAFF_TOKEN = _("This API token is unknown, revoked, expired, or not for this use.")


def api_language(request: HttpRequest, lang: str | None = None) -> str:
    """`lang` (query) first, then Accept-Language (LocaleMiddleware); ar, fr or en, French otherwise."""
    return request_language(request, lang)


def _refuse(request: HttpRequest, message: Any) -> HttpError:
    # Raised, not returned as None: ninja's own 401 says "Unauthorized" in English only.
    with translation.override(api_language(request)):
        return HttpError(401, str(message))


class _ScopedBearer(HttpBearer):
    """A live, unexpired token of one of `scopes`, of a user who may still hold it, within its rate.

    `request.auth` is the ApiToken, with `user` (and `user.provider`) fetched. A token of another
    scope, a revoked, expired or unknown one are all refused alike (401), so a caller learns
    nothing about which tokens exist.
    """

    scopes: tuple[str, ...] = ()
    refusal: Any = MSG_BAD_STAFF_TOKEN

    def __call__(self, request: HttpRequest) -> ApiToken | None:
        value = request.headers.get(self.header) or ""
        scheme, _sep, token = value.partition(" ")
        if scheme.lower() != self.openapi_scheme or not token.strip():
            raise _refuse(request, MSG_NO_TOKEN)
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = api_token_authenticate(token, scope=self.scopes)
        if found is None:
            raise _refuse(request, self.refusal)
        api_rate_check(token=found)  # RateLimited: 429 with Retry-After (mutuelle.api)
        return found


class ProviderBearer(_ScopedBearer):
    """A provider token of an active user in the provider role who is linked to a provider."""

    scopes = (ApiTokenScope.PROVIDER,)
    refusal = MSG_BAD_TOKEN


class StaffReadBearer(_ScopedBearer):
    """A staff token (read or write) of an active staff user; the views still check the user's permissions."""

    scopes = (ApiTokenScope.STAFF_READ, ApiTokenScope.STAFF_WRITE)


class StaffWriteBearer(_ScopedBearer):
    """A staff write token, of a user whose role decides claim files."""

    scopes = (ApiTokenScope.STAFF_WRITE,)


provider_auth = ProviderBearer()
staff_read_auth = StaffReadBearer()
staff_write_auth = StaffWriteBearer()
