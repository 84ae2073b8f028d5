"""Administrators change the contribution schedules here, as every referential: a change of value
opens a new dated row (referentials.admin.DatedRowAdmin, through referentials.services)."""

from __future__ import annotations

from django.contrib import admin

from contributions.models import ContributionSchedule
from referentials.admin import DatedRowAdmin


@admin.register(ContributionSchedule)
class ContributionScheduleAdmin(DatedRowAdmin):
    list_display = ("fund", "member_status", "rate", "floor", "cap", "valid_from", "valid_to")
    list_filter = ("fund", "member_status")
