from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from audit.models import AuditEvent


def audit_events_visible(*, user: Any) -> QuerySet[AuditEvent]:
    if not user.has_perm("audit.view_auditevent"):
        raise PermissionDenied
    return AuditEvent.objects.select_related("actor")


def audit_events_for_member(*, user: Any, member_id: int) -> QuerySet[AuditEvent]:
    return audit_events_visible(user=user).filter(member_id=member_id)
