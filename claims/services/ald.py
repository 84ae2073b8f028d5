"""Long-term illnesses (ALD/ALC) recognised for a beneficiary by a medical controller.

A recognition is dated: the 100 % AMO rate applies to the lines of that condition whose date of
care falls between its first and last day (both included; no last day = until further notice).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.services import AuditAction, audit_record, model_snapshot
from claims.models import AldRecognition
from members.models import Beneficiary
from mutuelle.errors import DomainError

MSG_FORBIDDEN = _("Only a medical controller recognises long-term illnesses.")
MSG_UNKNOWN = _("This code is not on the list of long-term illnesses in force on that date.")
MSG_DATES = _("The last day cannot come before the first day.")
MSG_OVERLAP = _("This illness is already recognised for this person over part of that period.")


class AldError(DomainError):
    pass


def _overlaps(start: dt.date, end: dt.date | None, other: AldRecognition) -> bool:
    far = dt.date.max
    return start <= (other.valid_to or far) and other.valid_from <= (end or far)


def ald_recognise(
    *, actor: Any, beneficiary: Beneficiary, code: str, valid_from: dt.date, valid_to: dt.date | None = None
) -> AldRecognition:
    """A new recognition; refused when the condition is not listed or the period overlaps another."""
    from referentials.selectors import referential_snapshot

    if not actor.has_perm("claims.add_aldrecognition"):
        raise AldError(MSG_FORBIDDEN)
    code = code.strip().upper()
    if valid_to is not None and valid_to < valid_from:
        raise AldError(MSG_DATES)
    if not referential_snapshot().ald_listed(code, valid_from):
        raise AldError(MSG_UNKNOWN)
    with transaction.atomic(durable=True):
        # The beneficiary's row is the lock: two controllers cannot record overlapping periods.
        Beneficiary.objects.select_for_update().filter(pk=beneficiary.pk).first()
        same = AldRecognition.objects.filter(beneficiary=beneficiary, code=code)
        if any(_overlaps(valid_from, valid_to, other) for other in same):
            raise AldError(MSG_OVERLAP)
        row = AldRecognition.objects.create(member_id=beneficiary.member_id, beneficiary=beneficiary, code=code,
                                            valid_from=valid_from, valid_to=valid_to, decided_by=actor)  # fmt: skip
        audit_record(
            actor=actor, action=AuditAction.CREATE, obj=row, member_id=row.member_id, after=model_snapshot(row)
        )
    return row


def ald_end(*, actor: Any, recognition: AldRecognition, last_day: dt.date) -> AldRecognition:
    """Close a recognition on `last_day` (included), e.g. after a cure or when it is not renewed."""
    if not actor.has_perm("claims.change_aldrecognition"):
        raise AldError(MSG_FORBIDDEN)
    with transaction.atomic(durable=True):
        row = AldRecognition.objects.select_for_update().get(pk=recognition.pk)
        if last_day < row.valid_from:
            raise AldError(MSG_DATES)
        before = model_snapshot(row)
        row.valid_to = last_day
        row.save(update_fields=["valid_to"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=row, member_id=row.member_id, before=before,
                     after=model_snapshot(row))  # fmt: skip
    return row
