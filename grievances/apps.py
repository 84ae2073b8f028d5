from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrievancesConfig(AppConfig):
    name = "grievances"
    verbose_name = _("Complaints and appeals")

    def ready(self) -> None:
        from grievances.notifications import grievance_notification
        from grievances.services.transitions import NOTIFY_EVENT
        from members.outbox import notification_event_register
        from members.sections import MemberSection, member_section_register

        notification_event_register(NOTIFY_EVENT, grievance_notification)
        member_section_register(MemberSection("grievances", "grievances/member_section.html", _member_section, 60))
        _audit_labels()


def _audit_labels() -> None:
    from audit.presentation import audit_value_labels_register
    from grievances.models import AnswerReason, Decision

    # The trail shows the decision contested and the answer's reason by their words, not "claim_line".
    audit_value_labels_register(object_type="grievances.grievance", key="decision", labels=dict(Decision.choices))
    audit_value_labels_register(object_type="grievances.grievance", key="reason", labels=dict(AnswerReason.choices))


def _member_section(*, user: Any, member: Any) -> dict[str, Any] | None:
    """The member page's section (staff): the member's complaints and appeals, and the link to file one."""
    from grievances.selectors import VIEW, member_grievances

    if not user.has_perm(VIEW):
        return None
    return {"member_grievances": list(member_grievances(member=member)[:50]),
            "may_file_grievance": user.has_perm("grievances.add_grievance")}  # fmt: skip
