"""The audit trail as people read it: actions by their label, objects as "prior approval PA-B60F…"
rather than `claims.priorapproval #35`, fields by their model field's verbose name, values by their
choice label, amounts and dates in the reader's format, masked medical values as a translated mark.

A read-only layer over rows already masked by the selector (audit.selectors): it never unmasks.
Models are reached through the app registry by the object type the row stores, so audit (the bottom
layer) imports no app. The numbers of the objects and of the rows foreign keys point to are read in
one query per model, whatever the number of events: a page costs the same few queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.masking import is_masked, masked_fields
from audit.models import AuditAction, AuditEvent
from audit.notes import audit_note_text

MSG_YES = _("yes")
MSG_NO = _("no")
EMPTY = "—"
# Fields whose model gives no verbose name (Django would show the attribute name, in English).
FIELD_LABELS: dict[str, Any] = {
    "id": _("number"),
    "member": _("member"),
    "beneficiary": _("beneficiary"),
    "lines": _("lines"),
    "review": _("medical review"),
    "created_by": _("created by"),
    "requested_by": _("requested by"),
    "requested_at": _("requested on"),
    "decided_by": _("decided by"),
    "decided_at": _("decided on"),
    "confirmed_by": _("confirmed by"),
    "exported_by": _("exported by"),
    "imported_by": _("imported by"),
}
# Keys that hold the id of a row without being a foreign key (member_id is carried on every
# member-scoped table, DESIGN.md): shown by that row's number all the same.
ID_KEYS = {"member_id": "members.member"}
# Keys not shown: the object's own id is already its number in the "object" column.
HIDDEN_KEYS = frozenset({"id"})
# The field of a model that names a row for people, first found wins (never a medical field).
NUMBER_FIELDS = ("number", "membership_number", "card_number", "prefix", "file_name", "inpe", "username", "code")
# Labels of coded values that are no field's choices (a JSON list of codes, a vocabulary kept in
# an app's services): registered by their app in its AppConfig.ready(), audit imports none of them.
_VALUE_LABELS: dict[tuple[str, str], Mapping[Any, Any]] = {}


def audit_value_labels_register(*, object_type: str, key: str, labels: Mapping[Any, Any]) -> None:
    """Show the codes stored under `key` of `object_type` rows by these labels (lazy strings)."""
    _VALUE_LABELS[(object_type, key)] = labels


@dataclass(frozen=True)
class ChangeView:
    name: str  # the stored key, kept for tests and as a data attribute
    label: str
    before: str
    after: str
    masked: bool


@dataclass(frozen=True)
class EventView:
    event: AuditEvent
    action: str
    kind: str  # the object's model, by its verbose name
    number: str  # the object's number or code, or "#id"
    changes: list[ChangeView]
    created: bool  # a creation lists values, without "before"
    note: str


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, key: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    for name in (key, key.removesuffix("_id")):
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: S112  # FieldDoesNotExist, or a reverse relation
            continue
        return field if isinstance(field, models.Field) else None
    return None


def _number_field(model: type[models.Model]) -> str | None:
    hidden = masked_fields(model._meta.label_lower)
    names = {f.name for f in model._meta.concrete_fields}
    return next((n for n in NUMBER_FIELDS if n in names and n not in hidden), None)


def _kind(model: type[models.Model] | None, object_type: str) -> str:
    if model is None:
        return object_type
    # gettext: a Meta without a translated name still finds the catalogue's entry for its default name.
    return capfirst(gettext(str(model._meta.verbose_name)))


def field_label(model: type[models.Model] | None, key: str) -> str:
    field = _field(model, key)
    if field is not None and getattr(field, "_verbose_name", None) is not None:
        return capfirst(str(field.verbose_name))
    known = FIELD_LABELS.get(key.removesuffix("_id"))
    if known is not None:
        return capfirst(str(known))
    return capfirst(gettext(key.removesuffix("_id").replace("_", " ")))


def _labelled(model: type[models.Model]) -> bool:
    """A coded row named in the reader's language (a therapy, a centre, a grievance category): shown
    by its name (its __str__ picks the page's language) rather than by its code."""
    names = {f.name for f in model._meta.concrete_fields}
    return bool(names & {"name_ar", "label_ar"}) and not masked_fields(model._meta.label_lower)


class _Numbers:
    """The numbers of rows by (model, pk), asked for first and read at once, one query per model."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        self.found: dict[tuple[type[models.Model], str], str] = {}

    def want(self, model: type[models.Model] | None, pk: Any) -> None:
        if model is not None and pk not in (None, "") and _number_field(model) is not None:
            self.wanted[model].add(str(pk))

    def fetch(self) -> None:
        for model, wanted in self.wanted.items():
            number = str(_number_field(model))
            keys = []
            for pk in wanted:
                try:
                    keys.append(model._meta.pk.to_python(pk))  # type: ignore[union-attr]
                except Exception:  # noqa: S112  # not this model's key: a code, found by its code below
                    continue
            # Some services store a coded row by its code where the key is (a centre's "amal-rabat").
            codes = wanted if number == "code" else set()
            labelled = number == "code" and _labelled(model)
            rows = model._base_manager.filter(models.Q(pk__in=keys) | models.Q(**{f"{number}__in": codes}))
            for row in rows if labelled else rows.only("pk", number):
                shown = str(row) if labelled else str(getattr(row, number))
                self.found[(model, str(row.pk))] = shown
                if codes:
                    self.found[(model, str(getattr(row, number)))] = shown

    def get(self, model: type[models.Model] | None, pk: Any) -> str | None:
        return None if model is None else self.found.get((model, str(pk)))


def _target(field: models.Field[Any, Any] | None, key: str = "") -> type[models.Model] | None:
    if key in ID_KEYS and (field is None or not field.is_relation):
        return _model(ID_KEYS[key])
    if field is None or not field.is_relation or field.many_to_many:
        return None
    return field.related_model  # type: ignore[return-value]


def _scalar(field: models.Field[Any, Any] | None, value: Any) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return str(MSG_YES if value else MSG_NO)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DecimalField):
        try:
            return formats.number_format(Decimal(str(value)), field.decimal_places, use_l10n=True, force_grouping=True)
        except InvalidOperation:
            return str(value)
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            moment = timezone.localtime(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
        return moment.strftime("%Y-%m-%d %H:%M")
    return str(value)


def _value(model: type[models.Model] | None, key: str, value: Any, numbers: _Numbers) -> str:
    field = _field(model, key)
    target = _target(field, key)
    if target is not None and value not in (None, ""):
        return numbers.get(target, value) or f"#{value}"
    labels = _VALUE_LABELS.get((model._meta.label_lower if model else "", key), {})
    if isinstance(value, list):
        return ", ".join(str(labels.get(v, v)) for v in value) if value else EMPTY
    if labels and isinstance(value, str) and value in labels:
        return str(labels[value])
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items()) or EMPTY
    return _scalar(field, value)


def _wanted(model: type[models.Model] | None, event: AuditEvent, numbers: _Numbers) -> None:
    numbers.want(model, event.object_id)
    for side in (event.before, event.after):
        for key, value in (side or {}).items() if isinstance(side, dict) else ():
            target = _target(_field(model, key), key)
            if target is not None and not is_masked(value) and not isinstance(value, (list, dict)):
                numbers.want(target, value)


def audit_events_present(events: Iterable[AuditEvent]) -> list[EventView]:
    """The events (masked already, actors fetched) ready to show, in their order."""
    events = list(events)
    numbers = _Numbers()
    models_of = {e.object_type: _model(e.object_type) for e in events}
    for event in events:
        _wanted(models_of[event.object_type], event, numbers)
    numbers.fetch()
    return [_present(event, models_of[event.object_type], numbers) for event in events]


def _present(event: AuditEvent, model: type[models.Model] | None, numbers: _Numbers) -> EventView:
    changes = []
    for key, old, new in event.changes():
        if key in HIDDEN_KEYS:
            continue
        masked = is_masked(old) or is_masked(new)
        changes.append(
            ChangeView(
                name=key,
                label=field_label(model, key),
                before="" if masked else _value(model, key, old, numbers),
                after="" if masked else _value(model, key, new, numbers),
                masked=masked,
            )
        )
    return EventView(
        event=event,
        action=capfirst(str(AuditAction(event.action).label)) if event.action in AuditAction.values else event.action,
        kind=_kind(model, event.object_type),
        number=numbers.get(model, event.object_id) or f"#{event.object_id}",
        changes=changes,
        created=not event.before,
        note=audit_note_text(event.note, model=model),
    )
