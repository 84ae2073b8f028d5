from __future__ import annotations

from typing import Any

from django.db import transaction

from audit.models import AuditEvent
from audit.services import audit_record, model_snapshot


class AuditedAdmin:
    """ModelAdmin mixin: every add, change and delete made in the admin lands in the audit trail."""

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        before = model_snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)  # type: ignore[misc]
            audit_record(
                actor=request.user,
                action=AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE,
                obj=obj,
                before=before,
                after=model_snapshot(obj),
            )

    def delete_model(self, request: Any, obj: Any) -> None:
        with transaction.atomic():
            audit_record(actor=request.user, action=AuditEvent.Action.DELETE, obj=obj, before=model_snapshot(obj))
            super().delete_model(request, obj)  # type: ignore[misc]
