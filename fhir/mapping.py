"""Our records as FHIR R4 resources (R4B models of fhir.resources, identical for these resources)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from engine import Eligibility
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.coverage import Coverage
from fhir.resources.R4B.patient import Patient
from fhir.systems import CARD_SYSTEM, FHIR_JSON, LANGUAGE_EXTENSION, MUTUAL_CODE, PAYER_SYSTEM
from members.models import Beneficiary
from referentials.selectors import basic_payer_on

_SEX = {"M": "male", "F": "female"}
# Coverage.relationship: http://terminology.hl7.org/CodeSystem/subscriber-relationship
_RELATION = {"self": "self", "spouse": "spouse", "child": "child"}
RELATIONSHIP_SYSTEM = "http://terminology.hl7.org/CodeSystem/subscriber-relationship"

# What the server does, and nothing more: metadata says exactly this.
SUPPORTED: dict[str, dict[str, Any]] = {
    "Patient": {"interaction": ["read", "search-type"], "search": {"identifier": "token"}},
    "Coverage": {"interaction": ["read", "search-type"], "search": {"identifier": "token", "beneficiary": "reference"}},
    "Organization": {"interaction": ["read", "search-type"], "search": {"identifier": "token"}},
    "Practitioner": {"interaction": ["read", "search-type"], "search": {"identifier": "token"}},
    "CoverageEligibilityRequest": {"interaction": ["create"], "search": {}},
    "Claim": {"interaction": ["create"], "search": {}},
    "ClaimResponse": {"interaction": ["read"], "search": {}},
    "ExplanationOfBenefit": {"interaction": ["read"], "search": {}},
}


def capability_statement() -> CapabilityStatement:
    resources = [
        {
            "type": kind,
            "interaction": [{"code": code} for code in spec["interaction"]],
            **({"searchParam": [{"name": n, "type": t} for n, t in spec["search"].items()]} if spec["search"] else {}),
        }
        for kind, spec in SUPPORTED.items()
    ]
    return CapabilityStatement.model_validate({
        "status": "active", "date": "2026-12-02", "kind": "instance", "fhirVersion": "4.0.1",
        "format": [FHIR_JSON, "json"],
        "implementation": {"description": str(settings.MUTUAL_NAME_FR)},
        "rest": [{"mode": "server", "security": {"description": "Authorization: Bearer <API token>"},
                  "resource": resources}],
    })  # fmt: skip


def _name(family: str, given: str, lang: str) -> dict[str, Any]:
    extension = [{"url": LANGUAGE_EXTENSION, "valueCode": lang}]
    return {"use": "official", "family": family, "given": [given], "text": f"{given} {family}", "extension": extension}


def card_identifier(card: str) -> dict[str, str]:
    return {"system": CARD_SYSTEM, "value": card}


def patient_of(ben: Beneficiary) -> Patient:
    """A beneficiary: the name in Latin and Arabic scripts (language extension on each HumanName)."""
    names = [_name(ben.last_name, ben.first_name, "fr")]
    if ben.last_name_ar:
        names.append(_name(ben.last_name_ar, ben.first_name_ar, "ar"))
    return Patient.model_validate({
        "id": ben.card_number, "identifier": [card_identifier(ben.card_number)], "name": names,
        "gender": _SEX.get(ben.sex, "unknown"), "birthDate": ben.birth_date.isoformat(),
    })  # fmt: skip


def mutual_reference() -> dict[str, Any]:
    return {"identifier": {"system": PAYER_SYSTEM, "value": MUTUAL_CODE}, "display": str(settings.MUTUAL_NAME_FR)}


def payors_on(on: dt.date) -> list[dict[str, Any]]:
    """The mutual (complementary cover), then the basic-insurance payer in force on the date."""
    payors = [mutual_reference()]
    basic = basic_payer_on(on=on)
    if basic is not None:
        payors.append({"identifier": {"system": PAYER_SYSTEM, "value": basic.code}, "display": basic.name("fr")})
    return payors


def coverage_of(ben: Beneficiary, eligibility: Eligibility, on: dt.date) -> Coverage:
    """Status active when the beneficiary is covered on `on` (the eligibility service), else cancelled."""
    return Coverage.model_validate({
        "id": ben.card_number, "identifier": [card_identifier(ben.card_number)],
        "status": "active" if eligibility.covered else "cancelled",
        "beneficiary": {"reference": f"Patient/{ben.card_number}"},
        "subscriberId": ben.card_number,
        "relationship": {"coding": [{"system": RELATIONSHIP_SYSTEM, "code": _RELATION.get(ben.relation, "other")}]},
        "payor": payors_on(on),
    })  # fmt: skip
