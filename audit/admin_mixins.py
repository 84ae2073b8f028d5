from __future__ import annotations

from typing import Any

from django.db import transaction

from audit.masking import MEDICAL_PERMISSION, masked_fields
from audit.models import AuditEvent
from audit.services import audit_record, model_snapshot


class MedicalFieldsAdmin:
    """ModelAdmin mixin: the model's medical fields (AUDIT_MASKED_FIELDS) are left out of the list,
    the form, the search and the filters for anyone without the medical permission (administrators
    and auditors included)."""

    model: Any

    def _hidden(self, request: Any) -> frozenset[str]:
        if request.user.has_perm(MEDICAL_PERMISSION):
            return frozenset()
        return masked_fields(self.model._meta.label_lower)

    def _without(self, request: Any, names: Any) -> Any:
        hidden = self._hidden(request)
        return [n for n in names if not (isinstance(n, str) and n.split("__")[0].lstrip("^=@") in hidden)]

    def get_list_display(self, request: Any) -> Any:
        return self._without(request, super().get_list_display(request))  # type: ignore[misc]

    def get_list_display_links(self, request: Any, list_display: Any) -> Any:
        links = super().get_list_display_links(request, list_display)  # type: ignore[misc]
        return links if links is None else self._without(request, links)

    def get_list_filter(self, request: Any) -> Any:
        return self._without(request, super().get_list_filter(request))  # type: ignore[misc]

    def get_search_fields(self, request: Any) -> Any:
        return self._without(request, super().get_search_fields(request))  # type: ignore[misc]

    def get_exclude(self, request: Any, obj: Any = None) -> Any:
        excluded = list(super().get_exclude(request, obj) or ())  # type: ignore[misc]
        return [*excluded, *sorted(self._hidden(request) - set(excluded))] or None

    def get_fields(self, request: Any, obj: Any = None) -> Any:
        return self._without(request, super().get_fields(request, obj))  # type: ignore[misc]

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        return self._without(request, super().get_readonly_fields(request, obj))  # type: ignore[misc]

    def get_fieldsets(self, request: Any, obj: Any = None) -> Any:
        return [
            (name, {**opts, "fields": self._without(request, opts.get("fields", ()))})
            for name, opts in super().get_fieldsets(request, obj)  # type: ignore[misc]
        ]


class AuditedAdmin(MedicalFieldsAdmin):
    """ModelAdmin mixin: every add, change and delete made in the admin lands in the audit trail
    (medical values masked there by audit_record), and medical fields are shown to medical roles only."""

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
