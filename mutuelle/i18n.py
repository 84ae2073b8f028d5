"""The reader's language: the one rule for pages, PDFs, the API, the simulator and notifications.

Arabic, French or English; the first language asked decides (an explicit choice, then the
address's ``?lang=``, then the browser's Accept-Language as LocaleMiddleware read it), and French,
the mutual's working language, when it is none of those offered.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "language_base", "language_resolve", "request_language", "user_language"]

LANGUAGES: tuple[str, ...] = ("ar", "fr", "en")
DEFAULT_LANGUAGE = "fr"


def language_base(value: str | None) -> str:
    """ "ar", "fr-FR", "en_GB"... reduced to the base language, lower case ("" for nothing)."""
    return (value or "").split("-")[0].split("_")[0].strip().lower()


def language_resolve(*asked: str | None, allowed: Collection[str] = LANGUAGES) -> str:
    """The first non-empty of `asked` reduced to its base language; French when that one is not
    `allowed` or nothing is asked."""
    for value in asked:
        if value:
            base = language_base(value)
            return base if base in allowed else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def request_language(request: HttpRequest, lang: str | None = None, *, allowed: Collection[str] = LANGUAGES) -> str:
    """`lang` (a parameter the view read), then ``?lang=``, then the request's negotiated language."""
    return language_resolve(
        lang, request.GET.get("lang"), getattr(request, "LANGUAGE_CODE", None) or get_language(), allowed=allowed
    )


def user_language(user: Any, request: HttpRequest | None = None) -> str:
    """A person's language out of a request (e-mails, SMS, documents): the one on their account,
    else the request's, else French."""
    preferred = getattr(user, "preferred_language", "") or ""
    if preferred:
        return language_resolve(preferred)
    return request_language(request) if request is not None else DEFAULT_LANGUAGE
