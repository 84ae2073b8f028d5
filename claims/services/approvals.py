"""Medical decisions: prior approvals (ententes préalables), requested by staff or the member and
decided by a medical controller; a file's diagnosis, written by a medical controller."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import AuditAction, audit_record, model_snapshot
from claims.models import LineKind, MedicalNote, PriorApproval
from members.models import Beneficiary
from mutuelle.errors import DomainError
from mutuelle.types import actor_user

MSG_DATES = _("Give valid dates: the end of validity cannot come before its start.")
MSG_QUANTITY = _("Give a quantity of at least 1 and an amount of zero or more.")
MSG_DECIDED = _("This request was already decided.")
MSG_FORBIDDEN = _("Only a medical controller decides prior approvals.")
MSG_REQUEST_FORBIDDEN = _("You cannot request a prior approval for this person.")
MSG_KIND = _("Choose an act, a medicine or a hospital stay.")
MSG_UNKNOWN_CODE = _("This code is not in the referentials in force today.")
MSG_NOT_NEEDED = _("This act or medicine does not need a prior approval: it is reimbursed without one.")


class ApprovalError(DomainError):
    pass


def _may_request(*, actor: Any, beneficiary: Beneficiary) -> bool:
    """Staff with claims.add_priorapproval for anyone; a member for the people of their own file."""
    if actor is None:
        return True  # the system: demo data, imports
    if actor.has_perm("claims.add_priorapproval"):
        return True
    return bool(actor.pk) and beneficiary.member.user_id == actor.pk


def _referential_code(*, kind: str, code: str, on: dt.date) -> str:
    """The code as the referentials hold it, if it exists on `on` and needs a prior approval."""
    from referentials.selectors import referential_snapshot

    snapshot = referential_snapshot()
    code = code.strip() if kind == LineKind.MEDICINE else code.strip().upper()
    ref: Any = snapshot.medicine(code, on) if kind == LineKind.MEDICINE else snapshot.act(code, on)
    if ref is None:
        raise ApprovalError(MSG_UNKNOWN_CODE)
    if not ref.needs_prior_approval:
        raise ApprovalError(MSG_NOT_NEEDED)
    return code


def prior_approval_request(
    *, actor: Any, beneficiary: Beneficiary, kind: str, code: str, justification: str = ""
) -> PriorApproval:
    """A request for an act, a medicine or a stay that needs one; the medical controller decides it."""
    if not _may_request(actor=actor, beneficiary=beneficiary):
        raise ApprovalError(MSG_REQUEST_FORBIDDEN)
    if kind not in LineKind.values:
        raise ApprovalError(MSG_KIND)
    code = _referential_code(kind=kind, code=code, on=timezone.localdate())
    with transaction.atomic(durable=True):
        pa = PriorApproval.objects.create(
            number=f"PA-{secrets.token_hex(5).upper()}", member_id=beneficiary.member_id, beneficiary=beneficiary,
            kind=kind, code=code, justification=justification.strip(),
            requested_by=actor_user(actor),
        )  # fmt: skip
        audit_record(actor=actor, action=AuditAction.CREATE, obj=pa, member_id=pa.member_id, after=model_snapshot(pa))
    return pa


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ApprovalError(MSG_DATES) from None


def prior_approval_decide(
    *, actor: Any, approval: PriorApproval, grant: bool, note: str = "", valid_from: Any = None,
    valid_to: Any = None, quantity: Any = 0, amount: Any = 0,
) -> PriorApproval:  # fmt: skip
    if not actor.has_perm("claims.decide_priorapproval"):
        raise ApprovalError(MSG_FORBIDDEN)
    start, end = _date(valid_from), _date(valid_to)
    try:
        qty, amt = int(quantity), Decimal(str(amount)).quantize(Decimal("0.01"))
    except (ValueError, InvalidOperation):
        raise ApprovalError(MSG_QUANTITY) from None
    if grant and (start is None or end is None or end < start):
        raise ApprovalError(MSG_DATES)
    if grant and (qty < 1 or amt < 0):
        raise ApprovalError(MSG_QUANTITY)
    with transaction.atomic(durable=True):
        locked = PriorApproval.objects.select_for_update().get(pk=approval.pk)
        if locked.status != PriorApproval.Status.REQUESTED:
            raise ApprovalError(MSG_DECIDED)
        before = model_snapshot(locked)
        locked.status = PriorApproval.Status.GRANTED if grant else PriorApproval.Status.REFUSED
        locked.decided_by, locked.decided_at, locked.decision_note = actor, timezone.now(), note
        if grant:
            locked.valid_from, locked.valid_to, locked.quantity_granted, locked.amount_granted = start, end, qty, amt
        locked.save()
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, member_id=locked.member_id, before=before,
                     after=model_snapshot(locked))  # fmt: skip
    return locked


MSG_NOTE_FORBIDDEN = _("Only a medical controller writes the diagnosis of a file.")


def medical_note_set(*, actor: Any, claim: Any, diagnosis: str) -> MedicalNote | None:
    """Write (or clear, with an empty text) a file's diagnosis. The audit row says that it changed,
    never what it says: the audit trail is read by auditors, who may not read medical data."""
    if not actor.has_perm("claims.view_medical"):
        raise ApprovalError(MSG_NOTE_FORBIDDEN)
    text = diagnosis.strip()
    with transaction.atomic(durable=True):
        note = MedicalNote.objects.select_for_update().filter(file_id=claim.pk).first()
        if note is None and text:
            note = MedicalNote.objects.create(file_id=claim.pk, member_id=claim.member_id, diagnosis=text, author=actor)
        elif note is not None and not text:
            note.delete()
            note = None
        elif note is not None and note.diagnosis != text:
            note.diagnosis, note.author = text, actor
            note.save(update_fields=["diagnosis", "author", "updated_at"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=claim, member_id=claim.member_id, note="diagnosis written"
        )
    return note
