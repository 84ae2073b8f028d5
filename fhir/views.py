"""The FHIR R4 facade's views: validate, call the same selectors as the REST API, render.

Plain Django views answering `application/fhir+json`. CSRF-exempt: the caller authenticates with
a bearer token in a header, never a cookie, so a foreign page cannot forge its requests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt

from accounts.models import ApiToken
from claims.api import MSG_OTHER_CARD
from claims.api_eligibility import (
    ELIGIBILITY_RATE_LIMIT,
    ELIGIBILITY_RATE_WINDOW_SECONDS,
    MSG_TOO_MANY,
    MSG_UNKNOWN_CARD,
)
from claims.api_schemas import ClaimIn
from claims.selectors import claims_visible
from claims.services.intake import ClaimIntakeError, LineInput
from claims.services.provider_intake import claim_take_from_provider
from fhir.claim import claim_in, claim_response
from fhir.eligibility import eligibility_response
from fhir.eob import DECIDED, explanation_of
from fhir.http import (
    MSG_BAD_RESOURCE,
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
from fhir.providers import organization_of, practitioner_of, provider_by_inpe
from fhir.resources.R4B.claim import Claim
from fhir.resources.R4B.coverageeligibilityrequest import CoverageEligibilityRequest
from fhir.search import bundle_of, card_from_identifier, card_from_reference, inpe_from_identifier
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


def _claim_errors(payload: ClaimIn, ben: Beneficiary | None) -> list[str]:
    # The checks claims.api.claim_submit makes after the schema (a FHIR Claim has no ALD element).
    today = timezone.localdate()
    bad = [] if ben is not None else ["Claim.patient"]
    return bad + [f"Claim.item[{i}].servicedDate" for i, ln in enumerate(payload.lines) if ln.care_date > today]


@fhir_view(("POST",))
def claim_submit(request: HttpRequest) -> HttpResponse:
    asked: Claim = resource_parse(request, Claim)
    codes_check([("Claim.use", [asked.use or ""], frozenset({"claim"}))])
    payload = claim_in(asked)
    ben = beneficiary_by_card(card=payload.card)
    bad = _claim_errors(payload, ben)
    if bad or ben is None:
        raise FhirError(422, "invalid", MSG_BAD_RESOURCE, bad)
    token: ApiToken = request.fhir_token  # type: ignore[attr-defined]
    provider = token.user.provider
    assert provider is not None  # the bearer accepts only users linked to a provider
    lines = [
        LineInput(kind=ln.kind, code=ln.code, care_date=ln.care_date, paid=Decimal(ln.paid), quantity=ln.quantity,
                  coefficient=Decimal(str(ln.coefficient)))
        for ln in payload.lines
    ]  # fmt: skip
    try:
        claim, created = claim_take_from_provider(
            actor=token.user, provider=provider, beneficiary=ben, external_ref=payload.external_ref.strip(),
            lines=lines, diagnosis=payload.diagnosis,
        )  # fmt: skip
    except ClaimIntakeError as exc:
        raise FhirError(403, "forbidden", exc.message) from None
    if not created and claim.beneficiary_id != ben.pk:
        raise FhirError(409, "conflict", MSG_OTHER_CARD, ["Claim.identifier"])
    return resource_response(claim_response(claim, asked, language(request)), 201 if created else 200)


@fhir_view(("GET",))
def claim_response_read(request: HttpRequest, number: str) -> HttpResponse:
    """One of the token's provider's own files; another provider's answers 404 like a missing one."""
    token: ApiToken = request.fhir_token  # type: ignore[attr-defined]
    files = claims_visible(user=token.user).filter(provider=token.user.provider).select_related("beneficiary")
    claim = files.filter(number=number.upper()).first()
    if claim is None:
        raise FhirError(404, "not-found", MSG_NOT_FOUND)
    return resource_response(claim_response(claim, None, language(request)))


@fhir_view(("GET",))
def explanation_read(request: HttpRequest, number: str) -> HttpResponse:
    """A decided file of the token's provider; undecided, another provider's or missing: 404."""
    token: ApiToken = request.fhir_token  # type: ignore[attr-defined]
    files = claims_visible(user=token.user).filter(provider=token.user.provider, status__in=DECIDED)
    claim = files.select_related("beneficiary").filter(number=number.upper()).first()
    if claim is None:
        raise FhirError(404, "not-found", MSG_NOT_FOUND)
    return resource_response(explanation_of(claim, language(request)))


def _inpe_search(request: HttpRequest) -> str:
    if "identifier" not in request.GET:
        raise FhirError(400, "invalid", MSG_BAD_SEARCH)
    return inpe_from_identifier(request.GET["identifier"])


@fhir_view(("GET",))
def organization_read(request: HttpRequest, inpe: str) -> HttpResponse:
    provider = provider_by_inpe(inpe, doctor=False)
    if provider is None:
        raise FhirError(404, "not-found", MSG_NOT_FOUND)
    return resource_response(organization_of(provider))


@fhir_view(("GET",))
def organization_search(request: HttpRequest) -> HttpResponse:
    provider = provider_by_inpe(_inpe_search(request), doctor=False)
    return resource_response(bundle_of(request, [organization_of(provider)] if provider else []))


@fhir_view(("GET",))
def practitioner_read(request: HttpRequest, inpe: str) -> HttpResponse:
    provider = provider_by_inpe(inpe, doctor=True)
    if provider is None:
        raise FhirError(404, "not-found", MSG_NOT_FOUND)
    return resource_response(practitioner_of(provider))


@fhir_view(("GET",))
def practitioner_search(request: HttpRequest) -> HttpResponse:
    provider = provider_by_inpe(_inpe_search(request), doctor=True)
    return resource_response(bundle_of(request, [practitioner_of(provider)] if provider else []))
