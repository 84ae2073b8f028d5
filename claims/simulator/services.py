"""The one simulation service behind the three doors (command, API, page).

Nothing is stored: the scenario is parsed, adjudicated against the DB referentials with a
fresh History, and the decision returned as JSON-ready data.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from claims.trace import trace_texts
from engine import History, ScenarioError, adjudicate_file, decision_to_json, scenario_parse
from mutuelle.i18n import language_resolve
from referentials.selectors import referential_snapshot

# Message codes of the engine's scenario parser and money helpers -> translated text.
ERROR_MESSAGES: dict[str, Any] = {
    "required": _("This field is required."),
    "invalid_type": _("This value has the wrong type."),
    "invalid_date": _("Enter a date as YYYY-MM-DD."),
    "invalid_choice": _("This is not one of the allowed values."),
    "invalid_boolean": _("Enter true or false."),
    "invalid_integer": _("Enter a whole number."),
    "must_be_positive": _("Enter a number greater than zero."),
    "not_a_number": _("Enter an amount such as 120.50."),
    "too_many_decimals": _("Enter at most two decimals."),
    "too_large": _("This amount is too large."),
    "negative": _("The amount cannot be negative."),
    "invalid_json": _("The request body is not valid JSON."),
    "too_many_lines": _("A claim file has at most 30 lines."),
}
MAX_LINES = 30  # as at the counter: a scenario of 100,000 lines would hold a worker for nothing


class SimulationError(ValueError):
    """Bad scenario: `errors` is a list of {"field", "code", "message"} in the asked language."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{e['field'] or '(body)'}: {e['message']}" for e in errors))
        self.errors = errors


def simulation_language(lang: str | None) -> str:
    return language_resolve(lang)


def simulation_errors(pairs: list[tuple[str, str]], lang: str) -> list[dict[str, str]]:
    """(field path, message code) pairs to labelled errors in `lang`."""
    with translation.override(simulation_language(lang)):
        return [
            {"field": path, "code": code, "message": str(ERROR_MESSAGES.get(code, _("Invalid value.")))}
            for path, code in pairs
        ]


def simulation_run(*, data: dict[str, Any], lang: str) -> dict[str, Any]:
    """Adjudicate one scenario (the engine's simulator JSON) and return the decision JSON.

    Raises SimulationError listing every bad field.
    """
    lang = simulation_language(lang)
    lines = data.get("lines") if isinstance(data, dict) else None
    if isinstance(lines, list) and len(lines) > MAX_LINES:
        raise SimulationError(simulation_errors([("lines", "too_many_lines")], lang))
    snapshot = referential_snapshot()
    try:
        claim_file = scenario_parse(data, snapshot)
    except ScenarioError as e:
        raise SimulationError(simulation_errors(e.errors, lang)) from None
    decision = adjudicate_file(claim_file, snapshot, History())
    out = decision_to_json(decision, lang)
    with translation.override(lang):
        for line in out["lines"]:
            # The engine's entries stay beside their words: a client may render them itself.
            line["trace_codes"] = line["trace"]
            line["trace"] = trace_texts(line["trace_codes"])
    return out
