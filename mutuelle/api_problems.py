"""Every error under /api/ as `application/problem+json` (RFC 9457).

One place converts them all, whoever produced the error: our endpoints (`{"detail", "errors"?}`),
ninja's own checks and authentication, the hostile-input middleware (400/413, before any view),
Django's 404/405/500 pages (turned into JSON by that middleware). The producers keep writing their
translated `detail` and field `errors`; this middleware adds `type`, a `title` translated following
the request's language, `status` and `instance`, and sets the media type. It sits above the
hostile-input middleware in settings.MIDDLEWARE so that it sees that middleware's refusals too.

The OpenAPI document says the same: `problem_openapi` rewrites every 4xx/5xx response of the
document to `application/problem+json` with the Problem schema (joined to the endpoint's own).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, NamedTuple

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PROBLEM_MEDIA_TYPE = "application/problem+json"
# Stable: a client may branch on these URIs; docs/api-errors.md lists them. A deployment may
# serve its own pages under another base (setting API_PROBLEM_BASE); the slugs never change.
PROBLEM_BASE = "https://mutuelle.example/problems/"
RETRY_AFTER_SECONDS = 60  # the windows of the API's rate limits (a minute)


class ProblemType(NamedTuple):
    slug: str
    title: Promise


PROBLEM_TYPES: dict[int, ProblemType] = {
    400: ProblemType("bad-request", _("The request cannot be read")),
    401: ProblemType("unauthenticated", _("Authentication required")),
    403: ProblemType("forbidden", _("Not allowed")),
    404: ProblemType("not-found", _("Not found")),
    405: ProblemType("method-not-allowed", _("Method not allowed")),
    409: ProblemType("conflict", _("Conflict with an earlier request")),
    413: ProblemType("too-large", _("Request too large")),
    422: ProblemType("validation", _("The request has invalid fields")),
    429: ProblemType("rate-limited", _("Too many requests")),
    500: ProblemType("server-error", _("Server error")),
}
OTHER_CLIENT_ERROR = ProblemType("client-error", _("The request was refused"))
OTHER_SERVER_ERROR = ProblemType("server-error", _("Server error"))


def problem_type(status: int) -> ProblemType:
    found = PROBLEM_TYPES.get(status)
    if found is not None:
        return found
    return OTHER_SERVER_ERROR if status >= 500 else OTHER_CLIENT_ERROR


def problem_type_uri(slug: str) -> str:
    return str(getattr(settings, "API_PROBLEM_BASE", PROBLEM_BASE)) + slug


def _language(request: HttpRequest) -> str:
    from mutuelle.i18n import language_resolve, request_language

    if hasattr(request, "LANGUAGE_CODE"):
        return request_language(request)
    # Refused before LocaleMiddleware (hostile input): the address may be what is hostile, so only
    # the Accept-Language header is read, as the hostile-input middleware does.
    return language_resolve(translation.get_language_from_request(request))


def problem_body(request: HttpRequest, status: int, body: dict[str, Any]) -> dict[str, Any]:
    """RFC 9457 members first, then whatever the producer said (`detail`, `errors`)."""
    kind = problem_type(status)
    with translation.override(_language(request)):
        title = str(kind.title)
    detail = body.get("detail")
    problem: dict[str, Any] = {
        "type": problem_type_uri(kind.slug),
        "title": title,
        "status": status,
        "detail": detail if isinstance(detail, str) else title,
        # The path only: a hostile query string is not echoed back.
        "instance": request.path_info,
    }
    for key, value in body.items():
        problem.setdefault(key, value)
    return problem


def _json_dict(response: HttpResponse) -> dict[str, Any] | None:
    if response.streaming or "json" not in response.get("Content-Type", ""):
        return None
    try:
        body = json.loads(response.content or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


class ProblemJsonMiddleware:
    """Rewrites the JSON error answers of /api/ in place (headers such as Retry-After are kept)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 400 or not request.path_info.startswith("/api/"):
            return response
        body = _json_dict(response)
        if body is None:
            return response
        response.content = json.dumps(problem_body(request, response.status_code, body), ensure_ascii=False)
        response["Content-Type"] = f"{PROBLEM_MEDIA_TYPE}; charset=utf-8"
        if response.status_code == 429 and not response.has_header("Retry-After"):
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


FIELD_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["field", "code", "message"],
    "properties": {"field": {"type": "string"}, "code": {"type": "string"}, "message": {"type": "string"}},
}
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details; `type` is one of docs/api-errors.md.",
    "type": "object",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}},
    },
}
_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def _add_response(responses: dict[Any, Any], code: int, description: str) -> None:
    # ninja keys the responses by int: a str key would be a second, duplicated key in the JSON.
    if not any(str(known) == str(code) for known in responses):
        responses[code] = {"description": description}


def _document_idempotency(operation: dict[str, Any], responses: dict[str, Any]) -> None:
    from mutuelle.idempotency import HEADER, KEY_PATTERN

    operation.setdefault("parameters", []).append(
        {
            "name": HEADER,
            "in": "header",
            "required": False,
            "description": "Same key and body: the first answer again, nothing created (24 h). Another body: 409.",
            "schema": {"type": "string", "pattern": KEY_PATTERN, "minLength": 1, "maxLength": 255},
        }
    )
    _add_response(responses, 409, "Conflict")
    _add_response(responses, 422, "Unprocessable Entity")


def problem_openapi(document: dict[str, Any]) -> dict[str, Any]:
    """The document with every error response as problem+json (the endpoint's schema kept in allOf)."""
    components = document.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Problem", PROBLEM_SCHEMA)
    components.setdefault("FieldError", FIELD_ERROR_SCHEMA)
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            responses = operation.setdefault("responses", {})
            if operation is operations.get("post"):
                _document_idempotency(operation, responses)
            # The hostile-input middleware may refuse any operation's request (NUL, bad UTF-8...).
            _add_response(responses, 400, "Bad Request")
            for code, answer in responses.items():
                if not str(code).isdigit() or int(code) < 400:
                    continue
                own = (answer.get("content") or {}).pop("application/json", {}).get("schema")
                schema = {"allOf": [_PROBLEM_REF, own]} if own else _PROBLEM_REF
                answer["content"] = {PROBLEM_MEDIA_TYPE: {"schema": schema}}
                if int(code) == 429:
                    answer.setdefault("headers", {})["Retry-After"] = {
                        "description": "seconds to wait",
                        "schema": {"type": "integer"},
                    }
    return document
