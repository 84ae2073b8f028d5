"""The dashboard's dated settings in the admin: the basic insurer's public figures and the plan's
yearly budget. Saved through referentials.services (dated rows, never overwritten, audited), with
the referentials' permissions; the summary tables are the job's, not the admin's."""

from __future__ import annotations

from django.contrib import admin

from referentials.admin import DatedRowAdmin
from reports.models import BenchmarkFigure, PlanBudget


@admin.register(BenchmarkFigure)
class BenchmarkFigureAdmin(DatedRowAdmin):
    list_display = ("name", "value", "source", "valid_from", "valid_to")
    list_filter = ("name", "valid_from")


@admin.register(PlanBudget)
class PlanBudgetAdmin(DatedRowAdmin):
    list_display = ("valid_from", "valid_to", "amount", "note")
    list_filter = ("valid_from",)


from reports import controls_admin  # noqa: E402, F401  (the control thresholds: H8)
