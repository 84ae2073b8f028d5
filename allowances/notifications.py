"""The family's e-mail and SMS about a request, rendered by the worker in the member's language."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from allowances.checklist import checklist_missing
from allowances.models import AllowanceRequest, RefusalReason, RequestState
from members.models import Member
from members.outbox import Notification


def request_notification(member: Member, params: Mapping[str, str]) -> Notification:
    """What the request is now (it may have moved since the job was queued): raises DoesNotExist if gone."""
    request = AllowanceRequest.objects.select_related("type").get(pk=int(params["request"]), member=member)
    label = request.type.label
    state = RequestState(request.state)
    lines = [_("Allowance request %(number)s (%(type)s): %(state)s.")
             % {"number": request.number, "type": label, "state": state.label}]  # fmt: skip
    if state in (RequestState.RECEIVED, RequestState.INCOMPLETE):
        missing = checklist_missing(request)
        if missing:
            names = ", ".join(f"{m.label} ({m.payee})" if m.payee else m.label for m in missing)
            lines.append(_("Documents still missing: %(missing)s.") % {"missing": names})
        lines.append(_("Please complete the file before %(date)s.") % {"date": request.deadline.isoformat()})
    elif state == RequestState.APPROVED:
        lines.append(_("Net amount: %(net)s MAD, paid by transfer to each payee.") % {"net": request.net})
    elif state == RequestState.REFUSED:
        lines.append(_("Reason: %(reason)s.") % {"reason": RefusalReason(request.refusal_reason).label})
        days = request.rate.appeal_days if request.rate else 60
        lines.append(_("You may appeal within %(days)s days to the mutual's appeals committee.") % {"days": days})
    elif state == RequestState.PAID:
        lines.append(_("The allowance was paid."))
    body = "\n".join(lines)
    return Notification(subject=lines[0], body=body, sms=lines[0][:160])
