"""Administrators keep the categories and their target times; grievances are read here, never
edited: their states change through the services (grievances.services.transitions)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from audit.admin_mixins import AuditedAdmin
from grievances.models import Grievance, GrievanceCategory
from mutuelle.admin_readonly import ReadOnlyAdmin


@admin.register(GrievanceCategory)
class GrievanceCategoryAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ("code", "kind", "label_fr", "label_ar", "target_days", "working_days", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "label_fr", "label_ar", "label_en")
    actions = None

    def get_readonly_fields(self, request: Any, obj: Any = None) -> tuple[str, ...]:
        return ("code", "kind") if obj is not None else ()

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # retire a category (active off): grievances keep theirs


@admin.register(Grievance)
class GrievanceAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    # The member's text and the answer stay out of the admin lists (they may speak of health).
    list_display = ("number", "kind", "category", "channel", "status", "filed_on", "due_on", "outcome")
    list_filter = ("kind", "status", "channel", "category")
    search_fields = ("number",)
    exclude = ("text", "answer_text")
