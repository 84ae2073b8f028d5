"""Contribution schedules: one dated row per fund and member status (rate, floor, cap).

A row applies to a month when it is in force on the month's first day (`valid_to` is exclusive,
as every referential row), so a rate change dated the 1st of July applies from July's
contributions on and the months before keep the row they had.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from referentials.models import DatedRow

__all__ = ["ContributionSchedule", "Fund", "ScheduleStatus"]


class Fund(models.TextChoices):
    COMPLEMENTARY = "complementary", _("Complementary cover")
    DEATH_FUND = "death_fund", _("Death fund")
    AMO_EMPLOYEE = "amo_employee", _("AMO, employee share")
    AMO_EMPLOYER = "amo_employer", _("AMO, employer share")


class ScheduleStatus(models.TextChoices):
    ACTIVE = "active", _("Active member")
    RETIRED = "retired", _("Pensioner")


class ContributionSchedule(DatedRow):
    """`rate` percent of the base (salary or pension), then at least `floor`, at most `cap` a month."""

    key_fields = ("fund", "member_status")

    fund = models.CharField(_("fund"), max_length=16, choices=Fund.choices)
    member_status = models.CharField(_("member status"), max_length=8, choices=ScheduleStatus.choices)
    rate = models.DecimalField(_("rate (%)"), max_digits=6, decimal_places=3)
    floor = models.DecimalField(_("monthly floor (MAD)"), max_digits=10, decimal_places=2, default=0)
    cap = models.DecimalField(_("monthly cap (MAD)"), max_digits=10, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta(DatedRow.Meta):
        verbose_name = _("contribution schedule")
        verbose_name_plural = _("contribution schedules")
        ordering = ["fund", "member_status", "valid_from"]
        indexes = [models.Index(fields=["fund", "member_status", "valid_from"], name="contrib_schedule_key")]
        constraints = [
            *DatedRow.Meta.constraints,
            models.CheckConstraint(condition=Q(rate__gte=0, rate__lte=100), name="contrib_schedule_rate_percent"),
            models.CheckConstraint(condition=Q(floor__gte=0), name="contrib_schedule_floor_positive"),
            models.CheckConstraint(
                condition=Q(cap__isnull=True) | Q(cap__gte=F("floor")), name="contrib_schedule_cap_above_floor"
            ),
            models.CheckConstraint(condition=Q(fund__in=Fund.values), name="contrib_schedule_fund_valid"),
            models.CheckConstraint(
                condition=Q(member_status__in=ScheduleStatus.values), name="contrib_schedule_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund} {self.member_status} {self.rate}% ({self.valid_from})"
