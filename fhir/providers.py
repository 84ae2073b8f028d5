"""Providers by INPE: a doctor is a Practitioner, every other kind an Organization.

A provider's INPE, name, kind and city are public (the national registry): any provider token may
look another one up, as a prescribing doctor is looked up at a pharmacy.
"""

from __future__ import annotations

from typing import Any

from accounts.models import Provider
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.practitioner import Practitioner
from fhir.systems import INPE_SYSTEM

ORGANIZATION_TYPE = "http://terminology.hl7.org/CodeSystem/organization-type"
_TYPES = {"pharmacy": "prov", "lab": "prov", "clinic": "prov", "hospital": "prov"}


def _common(provider: Provider) -> dict[str, Any]:
    return {
        "id": provider.inpe, "identifier": [{"system": INPE_SYSTEM, "value": provider.inpe}], "active": True,
        "address": [{"city": provider.city}] if provider.city else None,
    }  # fmt: skip


def organization_of(provider: Provider) -> Organization:
    kind = {"coding": [{"system": ORGANIZATION_TYPE, "code": _TYPES.get(provider.kind, "prov")}],
            "text": str(Provider.Kind(provider.kind).label)}  # fmt: skip
    return Organization.model_validate({**_common(provider), "name": provider.name, "type": [kind]})


def practitioner_of(provider: Provider) -> Practitioner:
    return Practitioner.model_validate({**_common(provider), "name": [{"text": provider.name}]})


def provider_by_inpe(inpe: str, *, doctor: bool) -> Provider | None:
    found = Provider.objects.filter(inpe=inpe.strip()).first() if inpe.strip() else None
    if found is None or (found.kind == Provider.Kind.DOCTOR) != doctor:
        return None
    return found
