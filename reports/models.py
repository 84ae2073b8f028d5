"""The management dashboard's data: summary tables refreshed by a job, and two dated settings rows.

The dashboard never scans claim lines on a page view (issue 14: 1.5 million files a year): the
`reports_refresh` job (reports.summary) rebuilds each summary table with GROUP BY queries, and
`SummaryRefresh` says when each one was last rebuilt, the "as of" shown beside every figure.
The basic insurer's public figures and the plan's yearly budget change by decision, not by code:
dated rows (referentials.models.DatedRow), kept through the referentials' admin and services.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from referentials.models import DatedRow


def _money(verbose: object) -> models.DecimalField:
    return models.DecimalField(verbose, max_digits=16, decimal_places=2, default=0)  # type: ignore[arg-type]


class SummaryTable(models.TextChoices):
    WEEKLY = "weekly", _("Files received, decided and paid per week")
    BACKLOG = "backlog", _("Backlog by age")
    DELAYS = "delays", _("Delays from filing to payment")
    DECISIONS = "decisions", _("Automatic decisions")
    REJECTIONS = "rejections", _("Rejected lines by reason")
    SPENDING = "spending", _("Spending by category, region and administration")
    CONTRIBUTIONS = "contributions", _("Contributions due and collected")
    GRIEVANCES = "grievances", _("Complaints and appeals")


class SummaryRefresh(models.Model):
    """When a summary table was last rebuilt; the dashboard's "as of"."""

    table = models.CharField(_("summary table"), max_length=16, choices=SummaryTable.choices, unique=True)
    refreshed_at = models.DateTimeField(_("refreshed at"))
    # The day the figures were computed for (the backlog's ages count from it).
    as_of = models.DateField(_("as of"))
    rows = models.PositiveIntegerField(_("rows"), default=0)
    seconds = models.FloatField(_("seconds taken"), default=0)

    class Meta:
        verbose_name = _("summary refresh")
        verbose_name_plural = _("summary refreshes")
        default_permissions = ("view",)
        permissions = [
            ("view_dashboard", "Can view the management dashboard"),
            ("refresh_dashboard", "Can refresh the management dashboard's figures"),
        ]
        constraints = [models.CheckConstraint(condition=Q(table__in=SummaryTable.values), name="summary_table_valid")]

    def __str__(self) -> str:
        return f"{self.table} {self.refreshed_at:%Y-%m-%d %H:%M}"


class WeeklyClaimStats(models.Model):
    """Per ISO week (its Monday): files filed, decided (approved or rejected out of adjudication or
    medical review) and paid, with the amounts of the files paid that week."""

    week = models.DateField(_("week"), unique=True)
    received = models.PositiveIntegerField(_("received"), default=0)
    decided = models.PositiveIntegerField(_("decided"), default=0)
    paid = models.PositiveIntegerField(_("paid"), default=0)
    paid_amo = _money(_("AMO amount paid"))
    paid_complementary = _money(_("complementary amount paid"))

    class Meta:
        verbose_name = _("weekly claim figures")
        verbose_name_plural = _("weekly claim figures")
        default_permissions = ()
        ordering = ["week"]

    def __str__(self) -> str:
        return f"{self.week}"


class BacklogStats(models.Model):
    """Files not yet paid nor closed on the refresh day, by status and age bucket (days since filing)."""

    class Bucket(models.TextChoices):
        D0_7 = "0-7", _("0–7 days")
        D8_30 = "8-30", _("8–30 days")
        D31_60 = "31-60", _("31–60 days")
        D61 = "61+", _("over 60 days")

    status = models.CharField(_("status"), max_length=16)
    bucket = models.CharField(_("age"), max_length=5, choices=Bucket.choices)
    files = models.PositiveIntegerField(_("files"), default=0)

    class Meta:
        verbose_name = _("backlog figures")
        verbose_name_plural = _("backlog figures")
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["status", "bucket"], name="backlog_status_bucket_unique")]

    def __str__(self) -> str:
        return f"{self.status} {self.bucket}"


class DelayStats(models.Model):
    """How many files paid in `month` waited `days` days from filing to payment: a histogram, from
    which the page computes the average, the 90th percentile and the shares within 30 and 60 days."""

    month = models.DateField(_("month paid"))
    days = models.PositiveIntegerField(_("days from filing to payment"))
    files = models.PositiveIntegerField(_("files"), default=0)

    class Meta:
        verbose_name = _("delay figures")
        verbose_name_plural = _("delay figures")
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["month", "days"], name="delaystats_month_days_unique")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.days}"


class DecisionStats(models.Model):
    """Files decided in `month`: all of them, and those with no manual step (docs/dashboard.md)."""

    month = models.DateField(_("month decided"), unique=True)
    decided = models.PositiveIntegerField(_("decided"), default=0)
    automatic = models.PositiveIntegerField(_("decided with no manual step"), default=0)

    class Meta:
        verbose_name = _("decision figures")
        verbose_name_plural = _("decision figures")
        default_permissions = ()
        constraints = [models.CheckConstraint(condition=Q(automatic__lte=models.F("decided")), name="decision_auto_le")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class RejectionStats(models.Model):
    """Decided lines of files filed in `month` by their first reason ("" for lines with none), and
    how many of them were rejected; a month's decided lines are the sum of its rows."""

    month = models.DateField(_("month filed"))
    reason = models.CharField(_("reason"), max_length=64, blank=True)
    lines = models.PositiveIntegerField(_("lines"), default=0)
    rejected = models.PositiveIntegerField(_("rejected lines"), default=0)

    class Meta:
        verbose_name = _("rejection figures")
        verbose_name_plural = _("rejection figures")
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["month", "reason"], name="rejection_month_reason_unique")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.reason}"


class MonthlySpending(models.Model):
    """Accepted and reduced lines of files with a statement, by month of care × category × region ×
    administration (region "" for members without one)."""

    month = models.DateField(_("month of care"))
    category = models.CharField(_("category"), max_length=20)
    region = models.CharField(_("region"), max_length=2, blank=True)
    administration_id = models.BigIntegerField(_("administration"))
    lines = models.PositiveIntegerField(_("lines"), default=0)
    paid = _money(_("paid by the members"))
    basis = _money(_("basis"))
    amo = _money(_("AMO amount"))
    complementary = _money(_("complementary amount"))

    class Meta:
        verbose_name = _("monthly spending")
        verbose_name_plural = _("monthly spending")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["month", "category", "region", "administration_id"], name="spending_cell_unique"
            )
        ]
        indexes = [models.Index(fields=["month"], name="spending_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.category} {self.region} {self.administration_id}"


class SpendingRollup(models.Model):
    """MonthlySpending summed per month along one dimension (category, region or administration):
    about a thousand rows a year, all the page reads, where the cube has tens of thousands."""

    class Dimension(models.TextChoices):
        CATEGORY = "category", _("Category")
        REGION = "region", _("Region")
        ADMINISTRATION = "administration", _("Administration")

    month = models.DateField(_("month of care"))
    dimension = models.CharField(_("dimension"), max_length=16, choices=Dimension.choices)
    key = models.CharField(_("key"), max_length=20, blank=True)
    lines = models.PositiveIntegerField(_("lines"), default=0)
    amo = _money(_("AMO amount"))
    complementary = _money(_("complementary amount"))

    class Meta:
        verbose_name = _("spending rollup")
        verbose_name_plural = _("spending rollups")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["dimension", "month", "key"], name="rollup_cell_unique"),
            models.CheckConstraint(
                condition=Q(dimension__in=["category", "region", "administration"]), name="rollup_dimension_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.dimension} {self.key}"


class ContributionStats(models.Model):
    """Per month of the ledger: contributions due and collected (active rows), by fund."""

    month = models.DateField(_("month"), unique=True)
    due_complementary = _money(_("complementary due"))
    paid_complementary = _money(_("complementary collected"))
    due_amo = _money(_("AMO due"))
    paid_amo = _money(_("AMO collected"))
    due_total = _money(_("total due"))
    paid_total = _money(_("total collected"))

    class Meta:
        verbose_name = _("contribution figures")
        verbose_name_plural = _("contribution figures")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class BenchmarkName(models.TextChoices):
    AVERAGE_DELAY = "average_delay_days", _("Average delay from filing to payment (days)")
    SHARE_60 = "share_within_60_pct", _("Share paid within 60 days (%)")
    SHARE_30 = "share_within_30_pct", _("Share paid within 30 days (%)")
    P90_DELAY = "p90_delay_days", _("90th percentile of the delay (days)")
    AUTOMATIC = "automatic_rate_pct", _("Automatic-decision rate (%)")


class BenchmarkFigure(DatedRow):
    """A public figure of the basic insurer the dashboard shows ours beside (e.g. 54 days on average)."""

    Name = BenchmarkName

    key_fields = ("name",)

    name = models.CharField(_("figure"), max_length=24, choices=BenchmarkName.choices)
    value = models.DecimalField(_("value"), max_digits=8, decimal_places=2)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta(DatedRow.Meta):
        verbose_name = _("benchmark figure")
        verbose_name_plural = _("benchmark figures")
        ordering = ["name", "valid_from"]
        constraints = [
            *DatedRow.Meta.constraints,
            models.CheckConstraint(condition=Q(name__in=BenchmarkName.values), name="benchmark_name_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.value} ({self.valid_from})"


class PlanBudget(DatedRow):
    """The complementary plan's budget for the period [valid_from, valid_to) (a year, as voted)."""

    amount = models.DecimalField(_("budget (MAD)"), max_digits=16, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta(DatedRow.Meta):
        verbose_name = _("complementary plan budget")
        verbose_name_plural = _("complementary plan budgets")
        ordering = ["valid_from"]
        constraints = [
            *DatedRow.Meta.constraints,
            models.CheckConstraint(condition=Q(amount__gte=0), name="planbudget_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.valid_from} {self.amount}"


from reports.models_grievances import GrievanceStats  # noqa: E402, F401  (issue 14: complaints and appeals)
from reports.models_whatif import ControlThreshold, ControlThresholdName, WhatIfRun, WhatIfState  # noqa: E402, F401  (H8: what-if and controls)
