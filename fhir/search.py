"""Search parameters (token `system|value`, reference `Patient/<id>`) and searchset bundles."""

from __future__ import annotations

from django.http import HttpRequest

from fhir.http import MSG_BAD_SEARCH, FhirError
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.resource import Resource
from fhir.systems import CARD_SYSTEM, INPE_SYSTEM

MAX_PARAM = 128


def card_from_identifier(token: str) -> str:
    """`system|value`, `|value` or `value`; a system other than the card number's finds nothing."""
    if len(token) > MAX_PARAM:
        raise FhirError(400, "invalid", MSG_BAD_SEARCH, ["identifier"])
    system, sep, value = token.rpartition("|")
    if sep and system and system != CARD_SYSTEM:
        return ""
    return value.strip()


def inpe_from_identifier(token: str) -> str:
    """`system|value`, `|value` or `value` with the INPE system."""
    if len(token) > MAX_PARAM:
        raise FhirError(400, "invalid", MSG_BAD_SEARCH, ["identifier"])
    system, sep, value = token.rpartition("|")
    return "" if sep and system and system != INPE_SYSTEM else value.strip()


def card_from_reference(reference: str) -> str:
    """`Patient/<card>` or a bare `<card>`; another resource type finds nothing."""
    if len(reference) > MAX_PARAM:
        raise FhirError(400, "invalid", MSG_BAD_SEARCH, ["beneficiary"])
    kind, sep, card = reference.rpartition("/")
    if sep and kind.rsplit("/", 1)[-1] != "Patient":
        return ""
    return card.strip()


def bundle_of(request: HttpRequest, resources: list[Resource]) -> Bundle:
    base = request.build_absolute_uri("/fhir/")
    return Bundle.model_validate({
        "type": "searchset", "total": len(resources),
        "link": [{"relation": "self", "url": request.build_absolute_uri()}],
        "entry": [{"fullUrl": f"{base}{r.get_resource_type()}/{r.id}", "resource": r, "search": {"mode": "match"}}
                  for r in resources],
    })  # fmt: skip
