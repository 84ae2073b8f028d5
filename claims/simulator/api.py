"""POST /api/v1/simulate/claim: public, rate-limited, stores nothing."""

from __future__ import annotations

import json
from typing import Any

import pydantic
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status

from claims.api_schemas import field_errors
from claims.simulator.schemas import DecisionOut, ErrorsOut, MessageOut, ScenarioIn, inline_schema
from claims.simulator.services import (
    SimulationError,
    simulation_decide,
    simulation_errors,
    simulation_language,
    simulation_parse,
)
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
        errors = _schema_errors(request.body, language)
        try:
            parsed = simulation_parse(data=data, lang=language)
        except SimulationError as e:
            errors += [err for err in e.errors if err["field"] not in {known["field"] for known in errors}]
        if errors:  # refused before the engine runs
            return Status(422, {"detail": str(MSG_BAD_SCENARIO), "errors": errors})
        return Status(200, simulation_decide(parsed=parsed, lang=language))


def _schema_errors(body: bytes, language: str) -> list[dict[str, str]]:
    """What the OpenAPI document refuses (types, choices, 1 to MAX_LINES lines), which the parser alone took
    (null or 0 for false); the parser's own errors are added to these, one per field."""
    try:
        ScenarioIn.model_validate_json(body)
    except pydantic.ValidationError as exc:
        return field_errors(exc.errors(), language)
    return []
