"""Administrators maintain referentials here; every save goes through referentials.services.

A row is never overwritten: changing a value asks for the date the new value applies
("apply from"); the current row is closed that day and a new row opens. Only the end date
of a row can be edited in place (closing or reopening it). Rows cannot be deleted.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from audit.admin_mixins import AuditedAdmin
from referentials import services
from referentials.models import (
    Act,
    AldCondition,
    AmoRate,
    BasicPayer,
    ComplementaryRule,
    DatedRow,
    KeyLetter,
    Medicine,
    Parameter,
    PublicHoliday,
)

VIEW = "referentials.view_referentials"
CHANGE = services.CHANGE_PERMISSION
_VALIDITY = {"valid_from", "valid_to", "apply_from"}
MSG_APPLY_FROM = _("Give the date from which the new values apply; the current row stays as history.")


class DatedRowForm(forms.ModelForm):
    apply_from = forms.DateField(
        label=_("new values apply from"),
        required=False,
        help_text=_("Only when changing values: the current row ends the day before and a new row opens."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        row: DatedRow = self.instance
        if row.pk is None:
            if data.get("valid_from") and services.referential_overlap_exists(
                model=type(row),
                key={f: data.get(f) for f in row.key_fields},
                valid_from=data["valid_from"],
                valid_to=data.get("valid_to"),
            ):
                raise ValidationError(services.MSG_OVERLAP)
            return data
        values_changed = set(self.changed_data) - _VALIDITY
        if values_changed and not data.get("apply_from"):
            self.add_error("apply_from", MSG_APPLY_FROM)
        elif "valid_to" in self.changed_data and not values_changed:
            if services.referential_overlap_exists(
                model=type(row),
                key={f: getattr(row, f) for f in row.key_fields},
                valid_from=row.valid_from,
                valid_to=data.get("valid_to"),
                exclude_pk=row.pk,
            ):
                self.add_error("valid_to", services.MSG_OVERLAP)
        return data


class DatedRowAdmin(AuditedAdmin, admin.ModelAdmin):
    form = DatedRowForm
    date_hierarchy = "valid_from"
    actions = None

    def get_readonly_fields(self, request: Any, obj: Any = None) -> tuple[str, ...]:
        # The key and the start of an existing row are history.
        return ("valid_from", *obj.key_fields) if obj is not None else ()

    def has_module_permission(self, request: Any) -> bool:
        return bool(request.user.is_active and request.user.has_perm(VIEW))

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return bool(request.user.is_active and (request.user.has_perm(VIEW) or request.user.has_perm(CHANGE)))

    def has_add_permission(self, request: Any) -> bool:
        return bool(request.user.is_active and request.user.has_perm(CHANGE))

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return self.has_add_permission(request)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        """Route the save through the services (which audit); never an in-place overwrite."""
        data = form.cleaned_data
        model = type(obj)
        try:
            if not change:
                values = {f.name: getattr(obj, f.name) for f in model._meta.concrete_fields if f.name != "id"}
                for auto in ("created_at", "updated_at"):
                    values.pop(auto, None)
                new = services.referential_row_create(actor=request.user, model=model, values=values)
                obj.pk = new.pk
                return
            current = model._default_manager.get(pk=obj.pk)
            changes = {f: data[f] for f in form.changed_data if f not in _VALIDITY}
            if changes:
                new = services.referential_row_replace(
                    actor=request.user, row=current, valid_from=data["apply_from"], changes=changes
                )
                obj.pk = new.pk
            elif "valid_to" in form.changed_data:
                services.referential_row_close(actor=request.user, row=current, valid_to=data.get("valid_to"))
        except ValidationError as e:
            # The form checked the usual cases; a race or an odd date lands here.
            self.message_user(request, "; ".join(e.messages), level="error")
            raise


@admin.register(KeyLetter)
class KeyLetterAdmin(DatedRowAdmin):
    list_display = ("letter", "sector", "value", "category", "valid_from", "valid_to")
    list_filter = ("sector", "valid_from")
    search_fields = ("letter",)


@admin.register(Act)
class ActAdmin(DatedRowAdmin):
    list_display = ("code", "label_fr", "category", "key_letter", "coefficient", "tariff", "valid_from", "valid_to")
    list_filter = ("category", "needs_prior_approval", "valid_from")
    search_fields = ("code", "label_fr", "label_ar")


@admin.register(Medicine)
class MedicineAdmin(DatedRowAdmin):
    list_display = ("code", "name", "public_price", "reference_price", "reimbursable", "valid_from", "valid_to")
    list_filter = ("reimbursable", "needs_prior_approval", "valid_from")
    search_fields = ("code", "name", "generic_group")


@admin.register(AldCondition)
class AldConditionAdmin(DatedRowAdmin):
    list_filter = ("valid_from",)
    list_display = ("code", "label_fr", "label_ar", "valid_from", "valid_to")
    search_fields = ("code", "label_fr", "label_ar")


@admin.register(AmoRate)
class AmoRateAdmin(DatedRowAdmin):
    list_filter = ("valid_from",)
    list_display = ("category", "setting", "rate_bp", "valid_from", "valid_to")


@admin.register(ComplementaryRule)
class ComplementaryRuleAdmin(DatedRowAdmin):
    list_filter = ("valid_from",)
    list_display = ("category", "rate_bp", "flat_amount", "yearly_ceiling", "valid_from", "valid_to")


@admin.register(Parameter)
class ParameterAdmin(DatedRowAdmin):
    list_filter = ("valid_from",)
    list_display = ("name", "value", "valid_from", "valid_to")


@admin.register(BasicPayer)
class BasicPayerAdmin(DatedRowAdmin):
    list_display = ("code", "name_fr", "by_delegation", "valid_from", "valid_to")


@admin.register(PublicHoliday)
class PublicHolidayAdmin(AuditedAdmin, admin.ModelAdmin):
    """Holidays are days, not dated rows: added, confirmed (`provisional` off) or moved in place."""

    list_display = ("day", "name_fr", "name_ar", "provisional")
    list_filter = ("provisional",)
    date_hierarchy = "day"
    search_fields = ("name_fr", "name_ar")
    actions = None

    def has_module_permission(self, request: Any) -> bool:
        return bool(request.user.is_active and request.user.has_perm(VIEW))

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return bool(request.user.is_active and (request.user.has_perm(VIEW) or request.user.has_perm(CHANGE)))

    def has_add_permission(self, request: Any) -> bool:
        return bool(request.user.is_active and request.user.has_perm(CHANGE))

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return self.has_add_permission(request)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        # A holiday entered by mistake is deleted (audited); due dates already set keep their day.
        return self.has_add_permission(request)
