"""POST /api/v1/simulate/claim: public, rate-limited, stores nothing."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status

from claims.simulator.schemas import DecisionOut, ErrorsOut, MessageOut, ScenarioIn, inline_schema
from claims.simulator.services import SimulationError, simulation_errors, simulation_language, simulation_run
from claims.simulator.throttle import simulation_allowed

router = Router(tags=["simulator"])

MSG_TOO_MANY = _("Too many simulations from your address; try again in a minute.")
MSG_BAD_SCENARIO = _("The scenario has errors; see each field.")

_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": inline_schema(ScenarioIn)}},
    }
}


@router.post(
    "/claim",
    auth=None,
    response={200: DecisionOut, 400: ErrorsOut, 422: ErrorsOut, 429: MessageOut},
    openapi_extra=_BODY,
    summary="Simulate the reimbursement of a claim file",
    description=(
        "Adjudicates the scenario with the referentials in force on each date of care and returns, "
        "per line, basis / AMO / complementary / remainder (MAD, two decimals), reasons and a trace. "
        "Nothing is stored. `lang` (ar, fr, en; default from Accept-Language) sets the labels. "
        "Rate-limited per client address (429)."
    ),
)
def simulate_claim(request: HttpRequest, lang: str | None = None) -> Status[Any]:
    language = simulation_language(lang or getattr(request, "LANGUAGE_CODE", None))
    with translation.override(language):
        if not simulation_allowed(request):
            return Status(429, {"detail": str(MSG_TOO_MANY)})
        try:
            data = json.loads(request.body or b"null")
        except (json.JSONDecodeError, UnicodeDecodeError):
            errors = simulation_errors([("", "invalid_json")], language)
            return Status(400, {"detail": str(MSG_BAD_SCENARIO), "errors": errors})
        try:
            return Status(200, simulation_run(data=data, lang=language))
        except SimulationError as e:
            return Status(422, {"detail": str(MSG_BAD_SCENARIO), "errors": e.errors})
