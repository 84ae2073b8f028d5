from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from audit.masking import Snapshot, audit_mask_pair, masked_fields
from audit.models import AuditEvent


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def model_snapshot(instance: models.Model, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """The concrete field values of a row, JSON-ready, for the before/after of an audit event.

    The model's medical fields (AUDIT_MASKED_FIELDS) come masked; their values stay in memory only
    (Snapshot.medical), for audit_record to tell whether they changed."""
    medical_names = masked_fields(instance._meta.label_lower)
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude:
            continue
        data[field.attname] = _jsonable(getattr(instance, field.attname))
    medical = {k: v for k, v in data.items() if k in medical_names}
    masked, _, _ = audit_mask_pair(instance._meta.label_lower, data, None)
    return Snapshot(masked or {}, medical=medical)


def audit_event_new(
    *,
    actor: Any,
    action: str,
    object_type: str,
    object_id: str,
    member_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    **fields: Any,
) -> AuditEvent:
    """An unsaved event, medical values masked: for writers that insert many at once (bulk_create).
    `fields`: other model fields as they are (`actor_id` when the caller has an id, not a user; `at`)."""
    before, after, note = audit_mask_pair(object_type, before, after, note)
    if getattr(actor, "is_authenticated", False):
        fields["actor"] = actor
    return AuditEvent(
        action=action, object_type=object_type, object_id=object_id, member_id=member_id,
        before=before, after=after, note=note[:300], **fields,
    )  # fmt: skip


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    member_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Append one event. Callers run it inside their own transaction so both land or neither.

    The medical fields of the object's model are masked here, whoever the caller: the row says that
    they changed, never what they hold (audit.masking)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    event = audit_event_new(
        actor=actor, action=action, object_type=object_type, object_id=object_id, member_id=member_id,
        before=before, after=after, note=note,
    )  # fmt: skip
    event.save(force_insert=True)
    return event
