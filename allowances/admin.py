"""Administrators keep the allowance types (conditions as data) and their dated rates.

A rate row is a referential: it is never overwritten (referentials.admin.DatedRowAdmin asks the
date the new values apply from and keeps the current row as history). Requests are read-only here:
they change through their page's verbs (allowances.services).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from allowances.models import AllowanceRate, AllowanceRequest, AllowanceType
from audit.admin_mixins import AuditedAdmin
from mutuelle.admin_readonly import ReadOnlyAdmin
from referentials.admin import DatedRowAdmin


@admin.register(AllowanceType)
class AllowanceTypeAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ("code", "label_fr", "label_ar", "event", "payee", "deducts_arrears", "deducts_advances", "active")
    list_filter = ("event", "payee", "active")
    search_fields = ("code", "label_fr", "label_ar", "label_en")
    actions = None

    def get_readonly_fields(self, request: Any, obj: Any = None) -> tuple[str, ...]:
        return ("code",) if obj is not None else ()  # requests name their type by code

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(AllowanceRate)
class AllowanceRateAdmin(DatedRowAdmin):
    list_display = ("type", "amount", "min_membership_months", "age_limit", "per_child", "per_year", "valid_from",
                    "valid_to")  # fmt: skip
    list_filter = ("type", "valid_from")


@admin.register(AllowanceRequest)
class AllowanceRequestAdmin(ReadOnlyAdmin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("number", "type", "member", "state", "net", "filed_on")
    list_filter = ("state", "type")
    search_fields = ("number", "member__membership_number")
    actions = None

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.has_perm("allowances.view_allowances"))
