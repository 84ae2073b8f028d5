from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import models

from audit.masking import Snapshot, audit_mask_pair, mask_with, masked_fields
from audit.models import AuditAction, AuditEvent
from mutuelle import bulk
from mutuelle.types import Actor, actor_user


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
    actor: Actor,
    action: AuditAction,
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
    action = AuditAction(action)  # an unknown action fails here, before the database refuses it
    before, after, note = audit_mask_pair(object_type, before, after, note)
    user = actor_user(actor)
    if user is not None:
        fields["actor"] = user
    return AuditEvent(
        action=action, object_type=object_type, object_id=object_id, member_id=member_id,
        before=before, after=after, note=note[:300], **fields,
    )  # fmt: skip


def audit_record(
    *,
    actor: Actor,
    action: AuditAction,
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


class AuditRow(NamedTuple):
    """One event of a bulk write (audit_events_write): the object and its state before and after."""

    object_type: str
    object_id: str
    member_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    note: str = ""


def audit_events_write(*, action: AuditAction, rows: Iterable[AuditRow], actor_id: int | None, at: dt.datetime) -> int:
    """Append many events at once (the bulk writers of claims and payments), masked as audit_record
    masks one; returns how many. PostgreSQL: one COPY, the JSON of a repeated `before` written once;
    elsewhere one executemany. Runs inside the caller's transaction."""
    action = AuditAction(action)
    masked = [_row_masked(r) for r in rows]
    if not masked:
        return 0
    if bulk.is_postgresql():
        _events_copy(action, masked, actor_id=actor_id, at=at)
    else:
        fields = ("at", "actor_id", "action", "object_type", "object_id", "member_id", "before", "after", "note")
        bulk.rows_copy(AuditEvent, fields, [(at, actor_id, action.value, *r) for r in masked])
    return len(masked)


def _row_masked(row: AuditRow) -> AuditRow:
    fields = masked_fields(row.object_type)
    if not fields:
        return row  # a claim file's state or a payment's has none: the hot path copies nothing
    before, after, note = mask_with(fields, row.before, row.after, row.note)
    return AuditRow(row.object_type, row.object_id, row.member_id, before, after, note[:300])


def _events_copy(action: AuditAction, rows: list[AuditRow], *, actor_id: int | None, at: dt.datetime) -> None:
    js, esc, null = bulk.CopyJson(), bulk.copy_escape, bulk.COPY_NULL
    head = f"{at.isoformat()}\t{null if actor_id is None else actor_id}\t{action.value}\t"
    text = "".join(
        f"{head}{esc(r.object_type)}\t{esc(r.object_id)}\t{null if r.member_id is None else r.member_id}\t"
        f"{js.mapping(r.before)}\t{js.mapping(r.after)}\t{esc(r.note[:300])}\n"
        for r in rows
    )
    bulk.copy_text(
        f"COPY {AuditEvent._meta.db_table} (at, actor_id, action, object_type, object_id, member_id, before, after, "
        "note) FROM STDIN",
        text,
    )


class Sql(NamedTuple):
    """An SQL expression over the rows of the caller's FROM clause (audit_events_select_sql)."""

    expr: str


def audit_events_select_sql(
    *,
    action: AuditAction,
    object_type: str,
    object_id: Sql,
    member_id: Sql,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    actor_id: int | None,
    at: dt.datetime,
    note: str = "",
) -> tuple[str, list[Any]]:
    """PostgreSQL: `INSERT INTO audit_event (...) SELECT ...`, one event per row of the FROM clause the
    caller appends (a set-based move writes its audit rows in the same statement, never read back).

    `before`/`after` map keys to a value, or to an Sql expression over the row. Masking needs the
    values, which only the database sees here: a key that is a medical field of `object_type` is
    refused (such events go through audit_events_write).
    """
    action = AuditAction(action)
    medical = masked_fields(object_type) & {*before, *after}
    if medical:
        raise ValueError(f"medical fields {sorted(medical)} of {object_type} cannot be audited in SQL")
    from psycopg.types.json import Jsonb

    params: list[Any] = [actor_id, action.value, object_type]

    def _object(data: Mapping[str, Any]) -> str:
        parts = []
        for key, value in data.items():
            params.append(key)
            if isinstance(value, Sql):
                parts.append(f"%s::text, {value.expr}")
            else:
                parts.append("%s::text, %s::jsonb")
                params.append(Jsonb(value))
        return f"jsonb_build_object({', '.join(parts)})"

    exprs = {"actor_id": "%s::bigint", "action": "%s", "object_type": "%s", "object_id": object_id.expr,
             "member_id": member_id.expr, "before": _object(before), "after": _object(after), "at": "%s",
             "note": "%s"}  # fmt: skip
    params += [at, note[:300]]
    sql, defaults = bulk.insert_select_sql(AuditEvent, exprs)
    return sql, [*params, *defaults]
