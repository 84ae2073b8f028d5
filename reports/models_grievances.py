"""The complaints and appeals summary the dashboard reads (issue 14: "the dashboard counts them by
category and delay"), rebuilt by the `reports_refresh` job like the claims' summary tables."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class GrievanceStats(models.Model):
    """Per month of filing and category: filed, open, late (open past the due date on the refresh
    day), answered, answered by the due date, upheld (wholly or partly). The month's row with a
    blank category carries the month's open grievances by age on the refresh day instead (ages are
    counted over all categories by grievances.selectors.grievances_summary). The category's labels
    are copied so that the page reads this table only."""

    month = models.DateField(_("month"))
    category = models.CharField(_("category"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=10, blank=True)
    label_fr = models.CharField(_("label (French)"), max_length=120, blank=True)
    label_ar = models.CharField(_("label (Arabic)"), max_length=120, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=120, blank=True)
    filed = models.PositiveIntegerField(_("filed"), default=0)
    open = models.PositiveIntegerField(_("open"), default=0)
    late = models.PositiveIntegerField(_("late"), default=0)
    answered = models.PositiveIntegerField(_("answered"), default=0)
    answered_in_time = models.PositiveIntegerField(_("answered in time"), default=0)
    upheld = models.PositiveIntegerField(_("upheld"), default=0)
    open_0_5 = models.PositiveIntegerField(_("open 0–5 days"), default=0)
    open_6_30 = models.PositiveIntegerField(_("open 6–30 days"), default=0)
    open_31 = models.PositiveIntegerField(_("open 31 days or more"), default=0)

    class Meta:
        verbose_name = _("complaint and appeal figures")
        verbose_name_plural = _("complaint and appeal figures")
        default_permissions = ()
        ordering = ["month", "category"]
        constraints = [
            models.UniqueConstraint(fields=["month", "category"], name="grievancestats_month_category_unique"),
            models.CheckConstraint(
                condition=Q(
                    open__lte=models.F("filed"), late__lte=models.F("open"), answered_in_time__lte=models.F("answered")
                ),
                name="grievancestats_counts_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.category or '*'}"
