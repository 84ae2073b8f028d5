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


def _member_section(*, user: Any, member: Any) -> dict[str, Any] | None:
    """The member page's section (staff): the member's complaints and appeals, and the link to file one."""
    from grievances.selectors import VIEW, member_grievances

    if not user.has_perm(VIEW):
        return None
    return {"member_grievances": list(member_grievances(member=member)[:50]),
            "may_file_grievance": user.has_perm("grievances.add_grievance")}  # fmt: skip
