"""The member's e-mail and SMS about a complaint or an appeal, rendered by the worker in the member's
language and saying what is true when it is sent."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from grievances.models import AnswerReason, Grievance, Kind, Outcome, Status
from members.models import Member
from members.outbox import Notification


def grievance_notification(member: Member, params: Mapping[str, str]) -> Notification:
    """Raises DoesNotExist if the grievance is gone (nothing is sent then)."""
    g = Grievance.objects.select_related("category").get(pk=int(params["grievance"]), member=member)
    what = _("Complaint") if g.kind == Kind.COMPLAINT else _("Appeal")
    head = _("%(what)s %(number)s: %(status)s.") % {"what": what, "number": g.number, "status": Status(g.status).label}
    lines = [head]
    if g.status in (Status.FILED, Status.IN_REVIEW):
        when = {"day": g.filed_on.isoformat(), "category": g.category.label, "due": g.due_on.isoformat()}
        lines.append(_("We received it on %(day)s (%(category)s) and will answer by %(due)s.") % when)
    elif g.status in (Status.ANSWERED, Status.CLOSED) and g.outcome:
        lines.append(_("Decision: %(outcome)s. Reason: %(reason)s.")
                     % {"outcome": Outcome(g.outcome).label, "reason": AnswerReason(g.reason_code).label})  # fmt: skip
        lines.append(_("Read the whole answer in your space on the mutual's site."))
    body = "\n".join(lines)
    return Notification(subject=head, body=body, sms=" ".join(lines[:2])[:160])
