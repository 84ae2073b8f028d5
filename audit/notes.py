"""The notes services write on audit events, read in the reader's language.

Services store a short, stable English code in `AuditEvent.note` ("diagnosis", "batch PB00000001",
"noticed->suspended"): the trail is append-only, so the code is what stays, and this table turns
it into words when the trail is shown, the way claims' history renders its reason codes. A note
that matches no rule is a person's own words (a decision note typed on a page) and is shown as it
was typed. Rules match the whole note; the old rows need no migration, since the codes written so
far are the ones below.

A note "<from>-><to>" names two states of the event's model: shown by their choice labels with an
arrow pointing the reading way.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext_lazy as _


class NoteRule(NamedTuple):
    pattern: re.Pattern[str]
    text: Any  # a lazy translation, with %(name)s for the pattern's named groups


def _rule(pattern: str, text: Any) -> NoteRule:
    return NoteRule(re.compile(pattern), text)


# One row per note a service writes (grep `note=` and `audit_note=` in the services).
NOTE_RULES: tuple[NoteRule, ...] = (
    # Reads of medical data (claims, care).
    _rule(r"diagnosis", _("diagnosis read")),
    _rule(r"diagnosis written", _("diagnosis written")),
    _rule(r"attachment", _("medical attachment opened")),
    _rule(r"ald", _("long-term illnesses read")),
    _rule(r"disability_details", _("disability details read")),
    _rule(r"progress notes \((?P<count>\d+)\)", _("progress notes read (%(count)s)")),
    # Claims: the engine, and the services' reasons as the claim history words them in English.
    _rule(r"adjudicated", _("decided by the engine")),
    _rule(r"payment batch (?P<number>\S+)", _("payment batch %(number)s")),
    _rule(r"payment batch", _("payment batch")),
    _rule(r"bank return (?P<file>.+)", _("bank return %(file)s")),
    _rule(r"payment (?P<payment>\S+) put back for a new batch", _("payment %(payment)s put back for a new batch")),
    _rule(r"batch (?P<number>\S+) cancelled", _("batch %(number)s cancelled")),
    _rule(r"postal order (?P<number>\S+)", _("postal order %(number)s")),
    # Allowances and advances.
    _rule(r"batch (?P<number>\S+)", _("payment batch %(number)s")),
    _rule(r"repayment claim", _("repayment withheld from the reimbursement of the care")),
    _rule(r"repayment instalment", _("repayment by instalment")),
    _rule(r"repayment allowance", _("repayment withheld from an allowance")),
    _rule(r"claim (?P<number>\S+)", _("withheld from claim file %(number)s")),
    # Contributions, members, referentials, accounts.
    _rule(r"review", _("rights review requested")),
    _rule(r"notice", _("formal notice sent")),
    _rule(r"payroll file", _("payroll file imported")),
    _rule(r"payroll file replaced", _("payroll file imported, replacing the earlier one")),
    _rule(r"roster import", _("roster import")),
    _rule(r"dated status change now in force", _("dated status change now in force")),
    _rule(r"replace", _("new version of the row")),
    _rule(r"API token for (?P<username>\S+)", _("API token for %(username)s")),
    _rule(r"API token (?P<prefix>\S+) of user (?P<user>\d+)", _("API token %(prefix)s of user %(user)s")),
    # Amal centres: places offered and answered, applications withdrawn.
    _rule(r"score (?P<score>-?\d+)", _("place offered (score %(score)s)")),
    _rule(r"accepted", _("offer accepted")),
    _rule(r"declined", _("offer declined")),
    _rule(r"expired", _("offer expired")),
    _rule(r"withdrawn", _("application withdrawn")),
)
_STATES = re.compile(r"(?P<frm>[a-z_]+)->(?P<to>[a-z_]+)")


def _state_labels(model: type[models.Model] | None, *codes: str) -> list[str] | None:
    """The labels of `codes` in the first field of `model` whose choices hold them all."""
    if model is None:
        return None
    for field in model._meta.get_fields():
        choices = dict(getattr(field, "flatchoices", None) or ())
        if choices and all(code in choices for code in codes):
            return [str(choices[code]) for code in codes]
    return None


def _field_named(model: type[models.Model] | None, note: str) -> str | None:
    """The verbose name of the field of `model` that the note names, if it names one."""
    if model is None or not note.isidentifier():
        return None
    try:
        field = model._meta.get_field(note)
    except FieldDoesNotExist:  # a person's own word
        return None
    return str(field.verbose_name) if isinstance(field, models.Field) else None


def audit_note_text(note: str, *, model: type[models.Model] | None = None) -> str:
    """The note in the active language: a known code in words, anything else as it was typed."""
    if not note:
        return ""
    for rule in NOTE_RULES:
        found = rule.pattern.fullmatch(note)
        if found is not None:
            return str(rule.text) % found.groupdict() if found.groupdict() else str(rule.text)
    named = _field_named(model, note)
    if named is not None:  # a read of one medical field notes the field's name ("justification")
        return named
    moved = _STATES.fullmatch(note)
    if moved is not None:
        labels = _state_labels(model, moved["frm"], moved["to"])
        if labels is not None:
            return f" {'←' if get_language_bidi() else '→'} ".join(labels)
    return note
