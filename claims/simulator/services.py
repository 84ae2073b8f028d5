"""The one simulation service behind the three doors (command, API, page).

Nothing is stored: the scenario is parsed, adjudicated against the DB referentials with a
fresh History, and the decision returned as JSON-ready data.
"""

from __future__ import annotations

from typing import Any, NamedTuple

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
    "too_many_lines": _("A claim file has at most %(max)d lines."),
}
MAX_LINES = 30  # as at the counter: a scenario of 100,000 lines would hold a worker for nothing
_PARAMS = {"too_many_lines": {"max": MAX_LINES}}  # the messages that name a figure


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
        return [{"field": path, "code": code, "message": _message(code)} for path, code in pairs]


def _message(code: str) -> str:
    text = str(ERROR_MESSAGES.get(code, _("Invalid value.")))
    params = _PARAMS.get(code)
    return text % params if params else text


class Parsed(NamedTuple):
    """A scenario the parser took, with the referentials it was read against."""

    claim_file: Any
    snapshot: Any


def simulation_parse(*, data: Any, lang: str) -> Parsed:
    """Check and read one scenario (the engine's simulator JSON); SimulationError lists every bad field."""
    lang = simulation_language(lang)
    lines = data.get("lines") if isinstance(data, dict) else None
    if isinstance(lines, list) and len(lines) > MAX_LINES:
        raise SimulationError(simulation_errors([("lines", "too_many_lines")], lang))
    snapshot = referential_snapshot()
    try:
        return Parsed(scenario_parse(data, snapshot), snapshot)
    except ScenarioError as e:
        raise SimulationError(simulation_errors(e.errors, lang)) from None


def simulation_run(*, data: dict[str, Any], lang: str) -> dict[str, Any]:
    """Adjudicate one scenario and return the decision JSON; SimulationError lists every bad field."""
    return simulation_decide(parsed=simulation_parse(data=data, lang=lang), lang=lang)


def simulation_decide(*, parsed: Parsed, lang: str) -> dict[str, Any]:
    """The engine's decision on a parsed scenario, as JSON-ready data in `lang`."""
    lang = simulation_language(lang)
    decision = adjudicate_file(parsed.claim_file, parsed.snapshot, History())
    out = decision_to_json(decision, lang)
    with translation.override(lang):
        for line in out["lines"]:
            # The engine's entries stay beside their words: a client may render them itself.
            line["trace_codes"] = line["trace"]
            line["trace"] = trace_texts(line["trace_codes"])
    return out
