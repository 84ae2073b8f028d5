"""The FHIR R4 facade's views: validate, call the same selectors as the REST API, render.

Plain Django views answering `application/fhir+json`. CSRF-exempt: the caller authenticates with
a bearer token in a header, never a cookie, so a foreign page cannot forge its requests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt

from claims.api import ELIGIBILITY_RATE_LIMIT, ELIGIBILITY_RATE_WINDOW_SECONDS, MSG_TOO_MANY, MSG_UNKNOWN_CARD
from fhir.eligibility import eligibility_response
from fhir.http import (
    MSG_BAD_SEARCH,
    MSG_NOT_FOUND,
    MSG_UNSUPPORTED,
    FhirError,
    bearer,
    codes_check,
    fhir_outcome,
    language,
    resource_parse,
    resource_response,
)
from fhir.mapping import capability_statement, coverage_of, patient_of
from fhir.resources.R4B.coverageeligibilityrequest import CoverageEligibilityRequest
from fhir.search import bundle_of, card_from_identifier, card_from_reference
from members.models import Beneficiary
from members.selectors import beneficiary_by_card, beneficiary_eligibility
from mutuelle.throttle import rate_allowed

View = Callable[..., HttpResponse]
# The required value sets of CoverageEligibilityRequest (FHIR R4 financial-resource-status, eligibilityrequest-purpose).
_REQUEST_STATUS = frozenset({"active", "cancelled", "draft", "entered-in-error"})
_PURPOSE = frozenset({"auth-requirements", "benefits", "discovery", "validation"})


def fhir_view(methods: tuple[str, ...], *, auth: bool = True) -> Callable[[View], View]:
    """Method check, bearer token, the caller's language, and every FhirError as an OperationOutcome."""

    def wrap(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                if request.method not in methods:
                    raise FhirError(405, "not-supported", MSG_UNSUPPORTED)
                if auth:
                    request.fhir_token = bearer(request)  # type: ignore[attr-defined]
                with translation.override(language(request)):
                    return view(request, *args, **kwargs)
            except FhirError as error:
                return fhir_outcome(request, error)

        return inner

    return wrap


def _throttle(request: HttpRequest) -> None:
    # The same budget as the REST eligibility check: each of these answers a name for a card number.
    limit = int(getattr(settings, "PROVIDER_ELIGIBILITY_RATE_LIMIT", ELIGIBILITY_RATE_LIMIT))
    key = f"eligibility:rate:{request.fhir_token.pk}"  # type: ignore[attr-defined]
    if not rate_allowed(key=key, limit=limit, window=ELIGIBILITY_RATE_WINDOW_SECONDS):
        raise FhirError(429, "throttled", MSG_TOO_MANY)


def _beneficiary(card: str) -> Beneficiary:
    ben = beneficiary_by_card(card=card)
    if ben is None:
        raise FhirError(404, "not-found", MSG_NOT_FOUND)
    return ben


@fhir_view(("GET",), auth=False)
def metadata(request: HttpRequest) -> HttpResponse:
    return resource_response(capability_statement())


@fhir_view(("GET", "POST", "PUT", "DELETE", "PATCH"))
def unsupported(request: HttpRequest, rest: str = "") -> HttpResponse:
    raise FhirError(404, "not-supported", MSG_UNSUPPORTED)


@fhir_view(("GET",))
def patient_read(request: HttpRequest, card: str) -> HttpResponse:
    _throttle(request)
    return resource_response(patient_of(_beneficiary(card)))


def _search_card(request: HttpRequest, *, beneficiary_param: bool) -> str:
    if "identifier" in request.GET:
        return card_from_identifier(request.GET["identifier"])
    if beneficiary_param and "beneficiary" in request.GET:
        return card_from_reference(request.GET["beneficiary"])
    raise FhirError(400, "invalid", MSG_BAD_SEARCH)


@fhir_view(("GET",))
def patient_search(request: HttpRequest) -> HttpResponse:
    _throttle(request)
    ben = beneficiary_by_card(card=_search_card(request, beneficiary_param=False))
    return resource_response(bundle_of(request, [patient_of(ben)] if ben else []))


def _coverage(ben: Beneficiary) -> Any:
    today = timezone.localdate()
    return coverage_of(ben, beneficiary_eligibility(beneficiary=ben, on=today), today)


@fhir_view(("GET",))
def coverage_read(request: HttpRequest, card: str) -> HttpResponse:
    _throttle(request)
    return resource_response(_coverage(_beneficiary(card)))


@fhir_view(("GET",))
def coverage_search(request: HttpRequest) -> HttpResponse:
    _throttle(request)
    ben = beneficiary_by_card(card=_search_card(request, beneficiary_param=True))
    return resource_response(bundle_of(request, [_coverage(ben)] if ben else []))


@fhir_view(("POST",))
def eligibility_request(request: HttpRequest) -> HttpResponse:
    _throttle(request)
    asked: CoverageEligibilityRequest = resource_parse(request, CoverageEligibilityRequest)
    codes_check([
        ("CoverageEligibilityRequest.status", [asked.status or ""], _REQUEST_STATUS),
        ("CoverageEligibilityRequest.purpose", [p or "" for p in asked.purpose] if asked.purpose else [""], _PURPOSE),
    ])  # fmt: skip
    card = card_from_reference(asked.patient.reference or "") if asked.patient.reference else ""
    if not card and asked.patient.identifier is not None:
        card = asked.patient.identifier.value or ""
    ben = beneficiary_by_card(card=card)
    if ben is None:
        raise FhirError(404, "not-found", MSG_UNKNOWN_CARD, ["CoverageEligibilityRequest.patient"])
    on: dt.date = asked.servicedDate or timezone.localdate()
    answer = beneficiary_eligibility(beneficiary=ben, on=on)
    return resource_response(eligibility_response(asked, ben, answer, on))
