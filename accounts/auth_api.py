"""Bearer authentication of the provider API (`Authorization: Bearer <token>`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

from accounts.models import ApiToken
from accounts.tokens import api_token_authenticate
from mutuelle.i18n import request_language

MSG_NO_TOKEN = _("Send your API token in the header: Authorization: Bearer <token>.")
MSG_BAD_TOKEN = _("This API token is unknown, revoked, or not a provider's.")


def api_language(request: HttpRequest, lang: str | None = None) -> str:
    """`lang` (query) first, then Accept-Language (LocaleMiddleware); ar, fr or en, French otherwise."""
    return request_language(request, lang)


def _refuse(request: HttpRequest, message: Any) -> HttpError:
    # Raised, not returned as None: ninja's own 401 says "Unauthorized" in English only.
    with translation.override(api_language(request)):
        return HttpError(401, str(message))


class ProviderBearer(HttpBearer):
    """A live token of an active user in the provider role who is linked to a provider.

    `request.auth` is the ApiToken, with `user` and `user.provider` fetched. A member's or a staff
    member's token, a revoked one or an unknown one are all refused alike (401), so a caller learns
    nothing about which tokens exist.
    """

    def __call__(self, request: HttpRequest) -> ApiToken | None:
        value = request.headers.get(self.header) or ""
        scheme, _sep, token = value.partition(" ")
        if scheme.lower() != self.openapi_scheme or not token.strip():
            raise _refuse(request, MSG_NO_TOKEN)
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = api_token_authenticate(token)
        if found is None:
            raise _refuse(request, MSG_BAD_TOKEN)
        return found


provider_auth = ProviderBearer()
