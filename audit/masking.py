"""Medical fields never reach the audit trail: the writer keeps that they changed, not their value.

A model declares its medical fields once, as `AUDIT_MASKED_FIELDS` (field names, which are also
their `attname`s: none is a foreign key). Every audit row goes through `audit_mask_pair` before it
is stored (audit_record, and the bulk writers through `audit_event_new`), and `audit_event_mask`
masks again at read time for anyone without the medical permission, so a row written by a path
that forgot, or before this existed, shows no value either.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.apps import apps
from django.utils.translation import gettext_lazy as _

# What a masked value is stored as: JSON, and unlike any value a field holds. A value that changed
# between before and after gets MASKED_CHANGED on the after side, so the two still differ.
MASKED: dict[str, bool] = {"masked": True}
MASKED_CHANGED: dict[str, bool] = {"masked": True, "changed": True}
MASKED_NOTE = "•••"
MEDICAL_PERMISSION = "claims.view_medical"
MSG_MASKED = _("medical field changed (value hidden)")

# Keys that are medical on whatever object they appear, for rows whose model declares nothing
# (an object type written by hand, a model removed since): masked at read time too.
MEDICAL_KEYS_ANYWHERE = frozenset({"diagnosis", "justification", "decision_note", "medical_note", "ald"})


class Snapshot(dict[str, Any]):
    """model_snapshot's dict, medical values already masked. The raw ones are kept aside in
    `medical` (never stored: JSON sees the dict only) so audit_record can tell whether they changed."""

    medical: dict[str, Any]

    def __init__(self, *args: Any, medical: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.medical = medical or {}


def is_masked(value: Any) -> bool:
    return isinstance(value, dict) and value.get("masked") is True


@lru_cache(maxsize=256)
def masked_fields(object_type: str) -> frozenset[str]:
    """The medical fields of `object_type` ("app_label.modelname", as audit rows name objects)."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return frozenset()
    return frozenset(getattr(model, "AUDIT_MASKED_FIELDS", ()))


def _empty(value: Any) -> bool:
    return value is None or value == ""


def _mask(data: Any, fields: frozenset[str]) -> Any:
    if not isinstance(data, dict) or not fields:
        return data
    # An empty value stays empty: "nothing → hidden" still tells a reader that a value was set.
    return {k: (v if _empty(v) or is_masked(v) or k not in fields else MASKED) for k, v in data.items()}


def _raw(data: Any, fields: frozenset[str]) -> dict[str, Any]:
    if not isinstance(data, dict):
        return {}
    raw = {k: v for k, v in data.items() if k in fields and not is_masked(v)}
    raw.update(getattr(data, "medical", {}))
    return raw


def note_scrub(note: str, raw_values: Any) -> str:
    """`note`, or MASKED_NOTE if it quotes one of the medical values."""
    for value in raw_values:
        if isinstance(value, str) and len(value.strip()) >= 3 and value.strip().casefold() in note.casefold():
            return MASKED_NOTE
    return note


def audit_mask_pair(
    object_type: str, before: dict[str, Any] | None, after: dict[str, Any] | None, note: str = ""
) -> tuple[dict[str, Any] | None, dict[str, Any] | None, str]:
    """An event's before, after and note with the medical values of `object_type` masked."""
    return mask_with(masked_fields(object_type), before, after, note)


def mask_with(fields: frozenset[str], before: Any, after: Any, note: str) -> tuple[Any, Any, str]:
    if not fields:
        return before, after, note
    raw_before, raw_after = _raw(before, fields), _raw(after, fields)
    masked_before, masked_after = _mask(before, fields), _mask(after, fields)
    if isinstance(masked_before, dict) and isinstance(masked_after, dict):
        for key in fields & raw_before.keys() & raw_after.keys():
            both = is_masked(masked_before.get(key)) and is_masked(masked_after.get(key))
            if both and raw_before[key] != raw_after[key]:
                masked_after[key] = MASKED_CHANGED
    note = note_scrub(note, [*raw_before.values(), *raw_after.values()]) if note else note
    return masked_before, masked_after, note


def audit_event_mask(event: Any) -> Any:
    """The event as a reader without the medical permission may see it (in place, and returned)."""
    fields = masked_fields(event.object_type) | MEDICAL_KEYS_ANYWHERE
    event.before, event.after, event.note = mask_with(fields, event.before, event.after, event.note or "")
    return event
