"""CoverageEligibilityRequest → CoverageEligibilityResponse, from members' eligibility answer.

`insurance.inforce` is the answer; a refusal's reason (RIGHTS_SUSPENDED, NOT_COVERED, ...) is an
`error` coding in our reason system, its display the label in the caller's language.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from engine import Eligibility
from fhir.mapping import mutual_reference
from fhir.resources.R4B.coverageeligibilityrequest import CoverageEligibilityRequest
from fhir.resources.R4B.coverageeligibilityresponse import CoverageEligibilityResponse
from fhir.systems import REASON_SYSTEM
from members.models import Beneficiary
from members.selectors import eligibility_reason_label


def eligibility_response(
    asked: CoverageEligibilityRequest, ben: Beneficiary, answer: Eligibility, on: dt.date
) -> CoverageEligibilityResponse:
    # The request is not stored: the response points at it by the caller's own identifier, if any.
    request_ref: dict[str, Any] = {"display": "CoverageEligibilityRequest"}
    if asked.identifier:
        request_ref["identifier"] = asked.identifier[0].model_dump(exclude_none=True)
    body: dict[str, Any] = {
        "status": "active",
        "purpose": list(asked.purpose or ["validation"]),
        "patient": {"reference": f"Patient/{ben.card_number}"},
        "servicedDate": on.isoformat(),
        "created": timezone.now().isoformat(timespec="seconds"),
        "request": request_ref,
        "outcome": "complete",
        "insurer": mutual_reference(),
        "insurance": [{"coverage": {"reference": f"Coverage/{ben.card_number}"}, "inforce": answer.covered}],
    }
    if not answer.covered and answer.reason:
        coding = {"system": REASON_SYSTEM, "code": answer.reason, "display": eligibility_reason_label(answer)}
        body["error"] = [{"code": {"coding": [coding], "text": coding["display"]}}]
    return CoverageEligibilityResponse.model_validate(body)
