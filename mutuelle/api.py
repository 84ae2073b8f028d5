"""The REST API (django-ninja); each app adds its router here."""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

from mutuelle.api_docs import OfflineSwagger
from mutuelle.api_problems import problem_openapi


class MutuelleApi(NinjaAPI):
    """NinjaAPI whose OpenAPI document describes the errors as they are sent: problem+json."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None) -> Any:
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return problem_openapi(document)


api = MutuelleApi(title="Mutuelle API", version="1", urls_namespace="api", docs=OfflineSwagger())

MSG_BAD_REQUEST = _("The request has errors; see each field.")


@api.exception_handler(ValidationError)
def validation_failed(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """ninja's own checks (query and path parameters, pagination) answer like our endpoints do:
    422 with {field, code, message} in the caller's language, instead of pydantic's English."""
    from accounts.auth_api import api_language
    from claims.api_schemas import field_errors

    lang = api_language(request)
    with translation.override(lang):
        detail = str(MSG_BAD_REQUEST)
    # ninja prefixes each location with its source ("query", "path", "body"); the field is what follows.
    errors = field_errors([e for e in exc.errors if isinstance(e, dict)], lang, drop=1)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(Exception)
def unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Any other exception of an API view: logged like Django logs a 500, answered in JSON like every
    API error (ninja would re-raise it into Django's HTML error page)."""
    from accounts.auth_api import api_language
    from mutuelle.middleware_input import MSG_SERVER_ERROR

    logging.getLogger("django.request").error("API error: %s %s", request.method, request.path, exc_info=exc)
    with translation.override(api_language(request)):
        detail = str(MSG_SERVER_ERROR)
    return api.create_response(request, {"detail": detail}, status=500)


def rate_limited(request: HttpRequest, exc: Any) -> HttpResponse:
    """A token over its rate (accounts.api_rate): 429, Retry-After to the end of its minute."""
    response = api.create_response(request, {"detail": exc.message(request)}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def _register_routers() -> None:
    # Imported here so that an app's router can import models without a cycle at settings time.
    from accounts.api_rate import RateLimited

    api.add_exception_handler(RateLimited, rate_limited)
    from claims.api import router as claims_router
    from claims.api_approvals import router as approvals_router
    from claims.api_eligibility import eligibility_router
    from claims.api_staff import router as staff_claims_router
    from claims.api_staff_members import router as staff_members_router
    from claims.simulator.api import router as simulator_router
    from grievances.api import router as grievances_router

    api.add_router("/simulate/", simulator_router)
    api.add_router("/claims/", claims_router)
    api.add_router("/eligibility", eligibility_router)
    api.add_router("/prior-approvals", approvals_router)
    api.add_router("/grievances/", grievances_router)
    api.add_router("/staff/members", staff_members_router)
    api.add_router("/staff/claims", staff_claims_router)


_register_routers()
