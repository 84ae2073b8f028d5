from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from audit.masking import MEDICAL_PERMISSION
from audit.models import AuditEvent, AuditEventQuerySet


def audit_events_visible(*, user: Any) -> AuditEventQuerySet:
    """The trail, for holders of audit.view_auditevent. Medical values are masked when written; for
    anyone without the medical permission they are masked again as read, whatever a row holds."""
    if not user.has_perm("audit.view_auditevent"):
        raise PermissionDenied
    events = AuditEvent.objects.select_related("actor")
    return events if user.has_perm(MEDICAL_PERMISSION) else events.masked()


def audit_events_for_member(*, user: Any, member_id: int) -> AuditEventQuerySet:
    return audit_events_visible(user=user).filter(member_id=member_id)
