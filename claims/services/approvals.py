"""Prior approvals (ententes préalables): requested at intake, decided by a medical controller."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record, model_snapshot
from claims.models import PriorApproval
from members.models import Beneficiary

MSG_DATES = _("Give valid dates: the end of validity cannot come before its start.")
MSG_QUANTITY = _("Give a quantity of at least 1 and an amount of zero or more.")
MSG_DECIDED = _("This request was already decided.")
MSG_FORBIDDEN = _("Only a medical controller decides prior approvals.")


class ApprovalError(Exception):
    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def prior_approval_request(
    *, actor: Any, beneficiary: Beneficiary, kind: str, code: str, justification: str = ""
) -> PriorApproval:
    with transaction.atomic(durable=True):
        pa = PriorApproval.objects.create(
            number=f"PA-{secrets.token_hex(5).upper()}", member_id=beneficiary.member_id, beneficiary=beneficiary,
            kind=kind, code=code.strip().upper() if kind != "medicine" else code.strip(), justification=justification,
            requested_by=actor if getattr(actor, "pk", None) else None,
        )  # fmt: skip
        audit_record(actor=actor, action="create", obj=pa, member_id=pa.member_id, after=model_snapshot(pa))
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
        audit_record(actor=actor, action="update", obj=locked, member_id=locked.member_id, before=before,
                     after=model_snapshot(locked))  # fmt: skip
    return locked
