"""Claim → ClaimResponse: a third-party-payment file through the REST API's intake service.

The Claim is turned into the REST API's `ClaimIn` (claims.api_schemas), so both doors validate
alike, then filed by `claim_take_from_provider` (idempotent on `Claim.identifier[0].value`, the
file's external_ref). A provider is not a medical role: the diagnosis is taken, never answered.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pydantic
from django.utils import timezone

from claims.api_schemas import ClaimIn
from claims.models import ClaimFile
from engine import REASONS, reason_label
from fhir.http import MSG_BAD_RESOURCE, FhirError
from fhir.mapping import mutual_reference
from fhir.resources.R4B.claim import Claim
from fhir.resources.R4B.claimresponse import ClaimResponse
from fhir.search import card_from_reference
from fhir.systems import ACT_SYSTEM, ADJUDICATION_SYSTEM, CLAIM_SYSTEM, MEDICINE_SYSTEM, REASON_SYSTEM

_KINDS = {ACT_SYSTEM: "act", MEDICINE_SYSTEM: "medicine"}


def _whole(value: Any) -> int:
    """A whole quantity, or -1 (refused by ClaimIn): JSON may carry NaN, Infinity or 2.5."""
    number = Decimal(str(value))
    return int(number) if number.is_finite() and number == number.to_integral_value() and abs(number) < 10**9 else -1


def _paid(value: Any) -> str:
    number = Decimal(str(value))
    return str(number) if number.is_finite() and abs(number) < 10**9 else "invalid"


def _item_line(item: Any, index: int) -> dict[str, Any]:
    codings = item.productOrService.coding or []
    coding = next((c for c in codings if c.system in _KINDS), None)
    if coding is None:
        raise FhirError(422, "code-invalid", MSG_BAD_RESOURCE, [f"Claim.item[{index}].productOrService"])
    if item.net is None or item.net.value is None or (item.net.currency or "MAD") != "MAD":
        raise FhirError(422, "invalid", MSG_BAD_RESOURCE, [f"Claim.item[{index}].net"])
    if item.servicedDate is None:
        raise FhirError(422, "required", MSG_BAD_RESOURCE, [f"Claim.item[{index}].servicedDate"])
    line: dict[str, Any] = {
        "kind": _KINDS[coding.system], "code": coding.code or "", "care_date": item.servicedDate.isoformat(),
        # Not rounded: more than two decimals is refused by ClaimIn, as on the REST API.
        "paid": _paid(item.net.value),
    }  # fmt: skip
    if item.quantity is not None and item.quantity.value is not None:
        line["quantity"] = _whole(item.quantity.value)
    return line


def claim_in(asked: Claim) -> ClaimIn:
    """The REST API's input from a Claim; a 422 OperationOutcome naming the bad elements otherwise."""
    if not asked.identifier or not (asked.identifier[0].value or "").strip():
        raise FhirError(422, "required", MSG_BAD_RESOURCE, ["Claim.identifier"])
    card = card_from_reference(asked.patient.reference or "")
    diagnosis = " ; ".join(
        d.diagnosisCodeableConcept.text or "" for d in asked.diagnosis or [] if d.diagnosisCodeableConcept
    )
    data = {
        "card": card or "-", "external_ref": asked.identifier[0].value, "diagnosis": diagnosis,
        "lines": [_item_line(item, i) for i, item in enumerate(asked.item or [])],
    }  # fmt: skip
    try:
        return ClaimIn.model_validate(data)
    except pydantic.ValidationError as exc:
        where = [_element(e["loc"]) for e in exc.errors()]
        raise FhirError(422, "invalid", MSG_BAD_RESOURCE, where) from None


def _element(loc: tuple[Any, ...]) -> str:
    names = {"card": "Claim.patient", "external_ref": "Claim.identifier", "diagnosis": "Claim.diagnosis"}
    if loc and loc[0] == "lines":
        return f"Claim.item[{loc[1]}]" if len(loc) > 1 else "Claim.item"
    return names.get(str(loc[0]) if loc else "", "Claim")


def _money(value: Decimal) -> dict[str, Any]:
    return {"value": Decimal(value), "currency": "MAD"}


def adjudication(category: str, amount: Decimal) -> dict[str, Any]:
    return {"category": {"coding": [{"system": ADJUDICATION_SYSTEM, "code": category}]}, "amount": _money(amount)}


def _request_identifier(claim: ClaimFile, asked: Claim | None) -> dict[str, Any]:
    if asked is not None and asked.identifier:
        return dict(asked.identifier[0].model_dump(exclude_none=True))
    return {"value": claim.external_ref}


def reason(code: str, lang: str) -> dict[str, Any]:
    display = reason_label(code, lang) if code in REASONS else code
    return {"coding": [{"system": REASON_SYSTEM, "code": code, "display": display}], "text": display}


# A ClaimResponse read back has no Claim at hand: its type is the professional one of every provider file.
PROFESSIONAL = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "professional"}]}


def claim_response(claim: ClaimFile, asked: Claim | None, lang: str) -> ClaimResponse:
    """Per item: basic (AMO), complementary and remainder in MAD; reasons on the basis entry."""
    items = []
    for line in claim.lines.order_by("position", "id"):
        reasons = [reason(c, lang) for c in line.reasons]
        basis = {**adjudication("basis", line.basis), **({"reason": reasons[0]} if reasons else {})}
        entries = [basis, adjudication("basic", line.amo), adjudication("complementary", line.complementary),
                   adjudication("remainder", line.remainder)]  # fmt: skip
        entries += [{**adjudication("reason", Decimal(0)), "reason": r} for r in reasons[1:]]
        items.append({"itemSequence": line.position + 1, "adjudication": entries})  # positions count from 0
    totals = (("basic", claim.amo), ("complementary", claim.complementary), ("remainder", claim.remainder))
    return ClaimResponse.model_validate({
        "id": claim.number, "identifier": [{"system": CLAIM_SYSTEM, "value": claim.number}],
        "status": "active", "type": asked.type.model_dump(exclude_none=True) if asked else PROFESSIONAL, "use": "claim",
        "patient": {"reference": f"Patient/{claim.beneficiary.card_number}"},
        "created": timezone.now().isoformat(timespec="seconds"), "insurer": mutual_reference(),
        "request": {"identifier": _request_identifier(claim, asked)},
        "outcome": "complete", "disposition": claim.status, "item": items,
        "total": [adjudication(k, v) for k, v in totals],
    })  # fmt: skip
