"""FHIR responses, OperationOutcome errors and the bearer token of the facade.

Every error is an OperationOutcome built and validated with fhir.resources, its `details.text` in
the caller's language (`?lang=`, then Accept-Language), so no error path answers a 500 or HTML.
"""

from __future__ import annotations

import json
from typing import Any

import pydantic
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.api_rate import RateLimited, api_rate_check
from accounts.auth_api import MSG_BAD_TOKEN, MSG_NO_TOKEN
from accounts.models import ApiToken
from accounts.tokens import api_token_authenticate
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.resource import Resource
from fhir.systems import FHIR_JSON
from mutuelle.i18n import request_language

MSG_BAD_JSON = _("The body is not valid JSON.")
MSG_BAD_RESOURCE = _("The resource is not valid FHIR R4; see the elements listed in the expressions.")
MSG_WRONG_TYPE = _("This endpoint takes a resource of another type; see /fhir/metadata.")
MSG_NOT_FOUND = _("No resource with this identifier.")
MSG_UNSUPPORTED = _("This server does not support this interaction; see /fhir/metadata.")
MSG_BAD_SEARCH = _("Search with the identifier parameter (or beneficiary for Coverage).")


class FhirError(Exception):
    """Raised by a view's helpers; turned into an OperationOutcome by `fhir_view`."""

    def __init__(
        self,
        status: int,
        code: str,
        message: Any,
        expressions: list[str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.status, self.code, self.message, self.expressions = status, code, message, expressions or []
        self.headers = headers or {}


def resource_response(resource: Resource, status: int = 200) -> HttpResponse:
    body = resource.model_dump_json(exclude_none=True)
    return HttpResponse(body, status=status, content_type=f"{FHIR_JSON}; charset=utf-8")


def outcome_response(error: FhirError) -> HttpResponse:
    issue: dict[str, Any] = {"severity": "error", "code": error.code, "details": {"text": str(error.message)}}
    if error.expressions:
        issue["expression"] = error.expressions[:50]
    return resource_response(OperationOutcome.model_validate({"issue": [issue]}), error.status)


def language(request: HttpRequest) -> str:
    return request_language(request)


def bearer(request: HttpRequest) -> ApiToken:
    """The provider's live token, as the REST API accepts it (accounts.auth_api), or a 401 outcome."""
    scheme, _sep, token = (request.headers.get("Authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise FhirError(401, "login", MSG_NO_TOKEN)
    found = api_token_authenticate(token.strip())
    if found is None:
        raise FhirError(401, "login", MSG_BAD_TOKEN)
    try:
        api_rate_check(token=found)  # the token's budget is the same on /fhir as on /api/v1
    except RateLimited as exc:
        raise FhirError(429, "throttled", exc.message(request), headers={"Retry-After": str(exc.retry_after)}) from None
    return found


def _expression(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(root)"


def resource_parse(request: HttpRequest, model: type[Resource]) -> Any:
    """The body as a validated `model`, or a 400 (bad JSON, wrong type) / 422 (invalid) outcome."""
    try:
        data = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        raise FhirError(400, "structure", MSG_BAD_JSON) from None
    if not isinstance(data, dict):
        raise FhirError(400, "structure", MSG_BAD_RESOURCE)
    if data.get("resourceType") != model.get_resource_type():
        raise FhirError(400, "invalid", MSG_WRONG_TYPE, ["resourceType"])
    try:
        return model.model_validate(data)
    except (pydantic.ValidationError, ValueError, TypeError, RecursionError) as exc:
        errors = exc.errors() if isinstance(exc, pydantic.ValidationError) else []
        raise FhirError(422, "invalid", MSG_BAD_RESOURCE, [_expression(e["loc"]) for e in errors]) from None


def fhir_outcome(request: HttpRequest, error: FhirError) -> HttpResponse:
    with translation.override(language(request)):
        response = outcome_response(error)
    for name, value in error.headers.items():
        response[name] = value
    return response


def codes_check(checks: list[tuple[str, list[str], frozenset[str]]]) -> None:
    """fhir.resources checks a code's pattern only; the value sets bound as required are checked here."""
    bad = [expression for expression, values, allowed in checks if any(v not in allowed for v in values)]
    if bad:
        raise FhirError(422, "code-invalid", MSG_BAD_RESOURCE, bad)
