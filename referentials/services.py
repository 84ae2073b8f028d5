"""Writes to referentials: dated rows, never overwritten, every change audited.

A change of a value is `referential_row_replace`: the current row is closed on the date
the new value applies and a new row opens on that date, so claims of any date are still
judged by the rules in force on their date of care.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from audit.services import audit_record, model_snapshot
from referentials.models import DatedRow, ReferentialVersion

CHANGE_PERMISSION = "referentials.change_referentials"

MSG_FORBIDDEN = _("You are not allowed to change referentials.")
MSG_OVERLAP = _("Another row of the same key is already valid during this period.")
MSG_REPLACE_DATE = _("The new value must apply after the current row starts and before it ends.")
MSG_KEY_CHANGE = _("A replacement cannot change the key of the row; add a new row instead.")
MSG_CLOSE_DATE = _("A row must end after it starts.")

_R = TypeVar("_R", bound=DatedRow)


def _require_change(actor: Any) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.has_perm(CHANGE_PERMISSION)):
        raise PermissionDenied(MSG_FORBIDDEN)


def referential_version_bump() -> str:
    """New cache token; callers run it inside their transaction (a rollback restores the old one)."""
    token = uuid.uuid4().hex
    updated = ReferentialVersion.objects.filter(pk=1).update(token=token)
    if not updated:
        ReferentialVersion.objects.create(pk=1, token=token)
    return token


def _lock() -> None:
    # Serialises referential writers on PostgreSQL, so two overlapping rows cannot both pass the check.
    ReferentialVersion.objects.select_for_update().filter(pk=1).first()


def referential_overlap_exists(
    *,
    model: type[DatedRow],
    key: dict[str, Any],
    valid_from: date,
    valid_to: date | None,
    exclude_pk: int | None = None,
) -> bool:
    """True when a row of `model` with the same key shares at least one day with [valid_from, valid_to)."""
    qs = model._default_manager.filter(**key).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=valid_from))
    if valid_to is not None:
        qs = qs.filter(valid_from__lt=valid_to)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def _check_and_save(row: DatedRow, *, exclude_pk: int | None = None) -> None:
    row.full_clean()
    key = {f: getattr(row, f) for f in row.key_fields}
    if referential_overlap_exists(
        model=type(row), key=key, valid_from=row.valid_from, valid_to=row.valid_to, exclude_pk=exclude_pk
    ):
        raise ValidationError({"valid_from": MSG_OVERLAP})
    row.save()


def referential_row_create(*, actor: Any, model: type[_R], values: dict[str, Any]) -> _R:
    """Add a dated row; refuses a period overlapping another row of the same key."""
    _require_change(actor)
    with transaction.atomic():
        _lock()
        row = model(**values)
        _check_and_save(row)
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=row, after=model_snapshot(row))
        referential_version_bump()
    return row


def referential_row_replace(*, actor: Any, row: _R, valid_from: date, changes: dict[str, Any]) -> _R:
    """Close `row` on `valid_from` and open a copy with `changes` from that day to the row's old end."""
    _require_change(actor)
    if set(changes) & set(row.key_fields) or {"valid_from", "valid_to"} & set(changes):
        raise ValidationError(MSG_KEY_CHANGE)
    with transaction.atomic():
        _lock()
        current = type(row)._default_manager.select_for_update().get(pk=row.pk)
        end = current.valid_to
        if not (current.valid_from < valid_from and (end is None or valid_from < end)):
            raise ValidationError({"valid_from": MSG_REPLACE_DATE})
        before = model_snapshot(current)
        current.valid_to = valid_from
        current.full_clean()
        current.save(update_fields=["valid_to", "updated_at"])
        audit_record(
            actor=actor, action=AuditEvent.Action.UPDATE, obj=current, before=before, after=model_snapshot(current)
        )
        values = {
            f.name: getattr(current, f.name)
            for f in current._meta.concrete_fields
            if f.name not in ("id", "created_at", "updated_at")
        }
        values.update(changes, valid_from=valid_from, valid_to=end)
        new = type(row)(**values)
        _check_and_save(new)
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=new, after=model_snapshot(new), note="replace")
        referential_version_bump()
    return new


def referential_row_close(*, actor: Any, row: _R, valid_to: date | None) -> _R:
    """Set the end of `row` (None reopens it); refuses an end before the start or an overlap."""
    _require_change(actor)
    with transaction.atomic():
        _lock()
        current = type(row)._default_manager.select_for_update().get(pk=row.pk)
        if valid_to is not None and valid_to <= current.valid_from:
            raise ValidationError({"valid_to": MSG_CLOSE_DATE})
        before = model_snapshot(current)
        current.valid_to = valid_to
        _check_and_save(current, exclude_pk=current.pk)
        audit_record(
            actor=actor, action=AuditEvent.Action.UPDATE, obj=current, before=before, after=model_snapshot(current)
        )
        referential_version_bump()
    return current
