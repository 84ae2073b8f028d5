"""What an upheld appeal reopens besides claim lines and payments: an allowance refusal and a
suspension of rights. Both run inside the answer's transaction, through the owning app's services
(the allowances transition table, the arrears case or members.services_rights), never by editing
an amount or a date by hand.

- A refused allowance request goes back to "received" (REQUEST_TRANSITIONS' refused -> received,
  the committee's step): it is checked and approved again with the usual four eyes; the refusal's
  reason stays in the request's history and the audit trail.
- A suspension of rights is lifted from its second day (the earliest the rights service allows: a
  suspension is never an empty interval, so its first day stays refused). The arrears case still
  suspended is restored through its own transition (audited, the member told); a case already
  restored has its suspension shortened by the rights service. Claim lines already refused are not
  adjudicated again: the member appeals them, and the engine then sees the rights restored.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError

from allowances.models import AllowanceRequest, RequestState
from allowances.services.errors import AllowanceError
from allowances.services.transitions import allowance_transition_apply
from audit.services import AuditAction, audit_record
from contributions.models import ArrearsNotice, RightsState
from contributions.services_rights import REVIEW_PERMISSION, RightsRefused, rights_transition_apply
from grievances.models import Grievance
from grievances.services.errors import (
    MSG_ALLOWANCE_LIVE,
    MSG_ALLOWANCE_REOPEN,
    MSG_FORBIDDEN,
    MSG_SUSPENSION_LIFTED,
    GrievanceError,
)
from members.models import RightsSuspension
from members.services_rights import rights_suspension_close
from mutuelle.types import Actor

APPEAL_UPHELD = "appeal_upheld"  # the reason code of a restoration ordered by the appeals committee
_DAY = dt.timedelta(days=1)


def allowance_reopen(*, actor: Actor, grievance: Grievance) -> AllowanceRequest:
    """The refused request back to review (received), in the caller's transaction."""
    assert grievance.allowance_request_id is not None  # the caller's branch
    request = AllowanceRequest.objects.get(pk=grievance.allowance_request_id)
    if request.state != RequestState.REFUSED:
        raise GrievanceError(MSG_ALLOWANCE_REOPEN % {"state": RequestState(request.state).label}, code="allowance")
    live = AllowanceRequest.objects.filter(dedupe_key=request.dedupe_key).exclude(
        state__in=(RequestState.REFUSED, RequestState.CANCELLED)
    )
    if live.exists():
        raise GrievanceError(MSG_ALLOWANCE_LIVE, code="allowance_live")

    def _reopened(locked: AllowanceRequest) -> list[str]:
        # Checked again from the start: the figures are computed at the next check.
        locked.checked_by, locked.checked_at = None, None
        locked.refusal_reason, locked.refusal_note = "", ""
        return ["checked_by", "checked_at", "refusal_reason", "refusal_note"]

    try:
        return allowance_transition_apply(
            actor=actor, request=request, to=RequestState.RECEIVED, note=f"{APPEAL_UPHELD} {grievance.number}",
            changes=_reopened,
        )  # fmt: skip
    except AllowanceError as exc:
        raise GrievanceError(exc.message, code=exc.code) from None


def suspension_lift(*, actor: Actor, grievance: Grievance) -> RightsSuspension:
    """The suspension lifted from its second day, in the caller's transaction; audited with the
    reason code APPEAL_UPHELD and the appeal's number."""
    if actor is not None and not actor.has_perm(REVIEW_PERMISSION):
        raise GrievanceError(MSG_FORBIDDEN, code="forbidden")
    assert grievance.suspension_id is not None  # the caller's branch
    row = RightsSuspension.objects.select_for_update().get(pk=grievance.suspension_id)
    lifted_from = row.starts_on + _DAY
    if row.ends_on is not None and row.ends_on <= lifted_from:
        raise GrievanceError(MSG_SUSPENSION_LIFTED, code="suspension")
    before = {"starts_on": row.starts_on.isoformat(), "ends_on": row.ends_on.isoformat() if row.ends_on else None}
    case = ArrearsNotice.objects.filter(suspension=row).first()
    try:
        if case is not None and case.state == RightsState.SUSPENDED:
            rights_transition_apply(actor=actor, case=case, to=RightsState.RESTORED, on=lifted_from)
            row.refresh_from_db()
        else:
            row = rights_suspension_close(suspension=row, ends_on=lifted_from)
    except RightsRefused as exc:
        raise GrievanceError(exc.message, code="suspension") from None
    except ValidationError as exc:
        raise GrievanceError(exc.messages[0], code="suspension") from None
    except PermissionDenied:
        raise GrievanceError(MSG_FORBIDDEN, code="forbidden") from None
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=row, member_id=row.member_id, before=before,
        after={"starts_on": row.starts_on.isoformat(), "ends_on": lifted_from.isoformat(), "reason": APPEAL_UPHELD,
               "grievance": grievance.number},
        note=APPEAL_UPHELD,
    )  # fmt: skip
    return row
