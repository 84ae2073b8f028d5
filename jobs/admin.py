"""The job list in the admin: read-only (the worker writes jobs, people only look at them)."""

from __future__ import annotations

from django.contrib import admin

from jobs.models import Job
from mutuelle.admin_readonly import ReadOnlyAdmin


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("id", "kind", "state", "items_done", "items_total", "attempts", "created_at", "finished_at")
    list_filter = ("kind", "state")
    search_fields = ("kind", "dedupe_key", "locked_by")
    ordering = ("-id",)
    readonly_fields = tuple(f.name for f in Job._meta.fields)
