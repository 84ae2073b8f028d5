"""The control signals' thresholds in the admin: dated rows saved through referentials.services (never
overwritten, audited), with the referentials' permissions (administrators)."""

from __future__ import annotations

from django.contrib import admin

from referentials.admin import DatedRowAdmin
from reports.models_whatif import ControlThreshold


@admin.register(ControlThreshold)
class ControlThresholdAdmin(DatedRowAdmin):
    list_display = ("name", "value", "source", "valid_from", "valid_to")
    list_filter = ("name", "valid_from")
