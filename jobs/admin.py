"""The job list in the admin: read-only (the worker writes jobs, people only look at them)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "state", "items_done", "items_total", "attempts", "created_at", "finished_at")
    list_filter = ("kind", "state")
    search_fields = ("kind", "dedupe_key", "locked_by")
    ordering = ("-id",)
    readonly_fields = tuple(f.name for f in Job._meta.fields)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
