"""Hostile input refused in one place for the whole site, before any view, parser or query sees it.

A NUL character cannot be stored by PostgreSQL (psycopg raises, the request ends in a 500), bad
UTF-8 in an address is silently replaced by Django, and a JSON body nested thousands of levels
deep makes `json.loads` (and pydantic) overflow the stack. Each of them gets a 400 with a
translated message: JSON `{"detail": ...}` under /api/ (or for a JSON request), otherwise the
site's styled error page (templates/400.html, also for 413). Uploaded files are not looked at: a
file may legitimately contain NUL bytes, and the roster import checks its own cells.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from mutuelle.i18n import LANGUAGES, language_base, language_resolve

MSG_NUL = _("The request contains a NUL character, which is not allowed.")
MSG_ENCODING = _("The request contains text that is not valid UTF-8.")
MSG_TOO_DEEP = _("The JSON body is nested too deeply.")
MSG_TOO_LARGE = _("The request body is too large.")
MSG_NOT_FOUND = _("There is nothing at this address.")
MSG_SERVER_ERROR = _("Something went wrong on our side; the error has been logged. Try again later.")
MSG_REFUSED = _("The request was refused (HTTP status %(status)d).")
# Stable codes of the refusals, as the API's field errors have (the messages are lazy: matched by identity).
_CODES = (
    (MSG_NUL, "nul_character"),
    (MSG_ENCODING, "invalid_utf8"),
    (MSG_TOO_DEEP, "too_deep"),
    (MSG_TOO_LARGE, "too_large"),
)

# A claim file is 3 levels deep, a scenario 4: 64 leaves room for any honest client and stays
# far below Python's recursion limit (about 1000 frames).
JSON_MAX_DEPTH = 64
# The largest honest body is a 30-line claim file, a few kilobytes.
JSON_MAX_BYTES = 1024 * 1024

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_STRUCTURE = re.compile(rb'["\[\]{}]')
_IN_STRING = re.compile(rb'["\\]')
_HEX = re.compile(rb"[0-9A-Fa-f]{4}")


def json_problem(body: bytes, *, max_depth: int = JSON_MAX_DEPTH) -> Any | None:
    """The message refusing a JSON body, or None when it may go to the parser.

    One pass over the bytes, iterative (no recursion whatever the nesting): brackets are counted
    outside strings only, and inside strings the escapes \\u0000 and lone surrogates are caught.
    Malformed JSON otherwise is left to the parser, which says so in its own words. Structural
    characters are ASCII, and no byte of a multi-byte UTF-8 character is ASCII, so bytes suffice.
    """
    if b"\x00" in body:
        return MSG_NUL
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return MSG_ENCODING
    depth, pos, in_string = 0, 0, False
    while True:
        found = (_IN_STRING if in_string else _STRUCTURE).search(body, pos)
        if found is None:
            return None
        char, pos = body[found.start()], found.end()
        if char == 0x22:  # a quote opens or closes a string
            in_string = not in_string
        elif char == 0x5C:  # a backslash inside a string: its escape is consumed here
            if body[pos : pos + 1] != b"u":
                pos += 1
                continue
            problem, pos = _unicode_escape(body, pos + 1)
            if problem is not None:
                return problem
        elif char in b"[{":
            depth += 1
            if depth > max_depth:
                return MSG_TOO_DEEP
        else:
            depth = max(0, depth - 1)


def _unicode_escape(body: bytes, pos: int) -> tuple[Any | None, int]:
    """After `\\u`: (problem, position after the escape and its low surrogate if any)."""
    if not _HEX.fullmatch(body, pos, pos + 4):
        return None, pos  # not an escape the parser accepts: it will refuse it itself
    code = int(body[pos : pos + 4], 16)
    pos += 4
    if code == 0:
        return MSG_NUL, pos
    if 0xDC00 <= code <= 0xDFFF:
        return MSG_ENCODING, pos  # a low surrogate alone cannot be stored as UTF-8
    if 0xD800 <= code <= 0xDBFF:
        low = body[pos + 2 : pos + 6] if body[pos : pos + 2] == b"\\u" else b""
        if not _HEX.fullmatch(low) or not 0xDC00 <= int(low, 16) <= 0xDFFF:
            return MSG_ENCODING, pos
        pos += 6
    return None, pos


def _text_problem(raw: str) -> Any | None:
    """A WSGI string (bytes as latin-1): NUL or bad UTF-8 once percent-decoded.

    The query string arrives encoded. The path arrives decoded, but Django has already put its
    invalid UTF-8 bytes back as %XX (request.META is the environ it rewrote), so it is decoded
    once more; "%2500" in a path is then refused too, which no page of ours ever links to.
    """
    data = raw.encode("latin-1", "replace")
    if b"%" in data:
        data = unquote_to_bytes(data.replace(b"+", b" "))
    if b"\x00" in data:
        return MSG_NUL
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return MSG_ENCODING
    return None


def _address_problem(request: HttpRequest) -> Any | None:
    meta = request.META
    for key in ("PATH_INFO", "QUERY_STRING"):
        raw = meta.get(key, "")
        problem = _text_problem(raw) if isinstance(raw, str) else None
        if problem is not None:
            return problem
    headers = (v for k, v in meta.items() if k.startswith("HTTP_") and isinstance(v, str))
    if any("\x00" in v for v in headers) or any("\x00" in v for v in request.COOKIES.values()):
        return MSG_NUL  # e.g. a session cookie with a NUL would reach the sessions table
    return None


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def _body_problem(request: HttpRequest) -> tuple[Any, int] | None:
    if request.method in ("GET", "HEAD", "OPTIONS", "DELETE", "TRACE"):
        return None
    content_type = (request.content_type or "").lower()
    if content_type in _FORM_TYPES:
        try:
            fields = request.POST
        except (MultiPartParserError, OSError):
            return None  # left to the view, which meets the same error as without this check
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in fields.lists()):
            return MSG_NUL, 400
        return None
    if not (_is_api(request) or content_type == "application/json" or content_type.endswith("+json")):
        return None
    limit = int(getattr(settings, "JSON_MAX_BYTES", JSON_MAX_BYTES))
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return MSG_TOO_LARGE, 413
    try:
        body = request.body
    except RequestDataTooBig:
        return MSG_TOO_LARGE, 413
    if len(body) > limit:
        return MSG_TOO_LARGE, 413
    problem = json_problem(body, max_depth=int(getattr(settings, "JSON_MAX_DEPTH", JSON_MAX_DEPTH)))
    return (problem, 400) if problem is not None else None


def _language(request: HttpRequest, address_ok: bool) -> str:
    """As mutuelle.i18n resolves it, before LocaleMiddleware ran: ``?lang=`` when it names a language
    offered (the query is only read once it is safe), else the browser's."""
    asked = language_base(request.GET.get("lang", "")) if address_ok else ""
    return language_resolve(asked if asked in LANGUAGES else "", translation.get_language_from_request(request))


def _refusal(request: HttpRequest, message: Any, status: int, language: str) -> HttpResponse:
    with translation.override(language):
        text = str(message)
        if _is_api(request) or "json" in (request.content_type or "").lower():
            # The API's error shape (ErrorsOut in the OpenAPI document): the body as a whole is at fault.
            code = next((c for known, c in _CODES if known is message), "bad_request")
            return JsonResponse(
                {"detail": text, "errors": [{"field": "", "code": code, "message": text}]}, status=status
            )
        # The site's error layout (templates/error_page.html), which reads nothing but the language:
        # no session, user or query, since the request was refused before any of them.
        page = render_to_string("400.html", {"status": status, "message": text})
    return HttpResponse(page, status=status, content_type="text/html; charset=utf-8")


class HostileInputMiddleware:
    """First in the chain after SecurityMiddleware: nothing below it sees a refused request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = _address_problem(request)
        if problem is not None:
            return _refusal(request, problem, 400, _language(request, address_ok=False))
        found = _body_problem(request)
        if found is not None:
            return _refusal(request, found[0], found[1], _language(request, address_ok=True))
        response = self.get_response(request)
        if (
            _is_api(request)
            and response.status_code >= 400
            and response.get("Content-Type", "").startswith("text/html")
        ):
            # Django's own pages (no route, an error below the API's handlers): JSON like the API's errors.
            return _api_error(request, response.status_code)
        return response


def _api_error(request: HttpRequest, status: int) -> HttpResponse:
    with translation.override(_language(request, address_ok=True)):
        if status == 404:
            detail = str(MSG_NOT_FOUND)
        elif status >= 500:
            detail = str(MSG_SERVER_ERROR)
        else:
            detail = str(MSG_REFUSED) % {"status": status}
    return JsonResponse({"detail": detail}, status=status)
