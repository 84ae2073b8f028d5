"""ExplanationOfBenefit of a decided provider file: what each line was, and what each payer pays."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from claims.models import ClaimFile, ClaimStatus
from fhir.claim import PROFESSIONAL, adjudication, reason
from fhir.mapping import mutual_reference
from fhir.resources.R4B.explanationofbenefit import ExplanationOfBenefit
from fhir.systems import ACT_SYSTEM, CLAIM_SYSTEM, INPE_SYSTEM, MEDICINE_SYSTEM

# Decided: the engine (or a controller) has ruled on every line; a file still received or in
# medical review has no explanation to give yet.
DECIDED = frozenset({
    ClaimStatus.ADJUDICATED, ClaimStatus.APPROVED, ClaimStatus.IN_PAYMENT, ClaimStatus.PAID, ClaimStatus.REJECTED,
})  # fmt: skip
_SYSTEMS = {"act": ACT_SYSTEM, "medicine": MEDICINE_SYSTEM}


def explanation_of(claim: ClaimFile, lang: str) -> ExplanationOfBenefit:
    items: list[dict[str, Any]] = []
    for line in claim.lines.order_by("position", "id"):
        reasons = [reason(c, lang) for c in line.reasons]
        basis = {**adjudication("basis", line.basis), **({"reason": reasons[0]} if reasons else {})}
        items.append({
            "sequence": line.position + 1, "servicedDate": line.care_date.isoformat(),
            "productOrService": {"coding": [{"system": _SYSTEMS.get(line.kind, ACT_SYSTEM), "code": line.code}]},
            "net": {"value": line.paid, "currency": "MAD"},
            "adjudication": [basis, adjudication("basic", line.amo), adjudication("complementary", line.complementary),
                             adjudication("remainder", line.remainder),
                             *({**adjudication("reason", Decimal(0)), "reason": r} for r in reasons[1:])],
        })  # fmt: skip
    card = claim.beneficiary.card_number
    totals = (("basic", claim.amo), ("complementary", claim.complementary), ("remainder", claim.remainder))
    return ExplanationOfBenefit.model_validate({
        "id": claim.number, "identifier": [{"system": CLAIM_SYSTEM, "value": claim.number}],
        "status": "active", "type": PROFESSIONAL, "use": "claim", "outcome": "complete",
        "patient": {"reference": f"Patient/{card}"}, "created": timezone.now().isoformat(timespec="seconds"),
        "insurer": mutual_reference(), "disposition": str(ClaimStatus(claim.status).label),
        "provider": {"identifier": {"system": INPE_SYSTEM, "value": claim.provider_inpe}},
        "insurance": [{"focal": True, "coverage": {"reference": f"Coverage/{card}"}}],
        "item": items, "total": [adjudication(k, v) for k, v in totals],
    })  # fmt: skip
