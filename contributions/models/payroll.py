"""Payroll deduction files (one per administration and month) and their lines.

A file goes importing -> imported, or importing -> refused (its errors kept, no line); a
corrected file for the same administration and month makes the earlier one superseded: its
lines and ledger entries stay, inactive, for the audit trail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = ["OffPayroll", "OffPayrollReason", "PayrollError", "PayrollFile", "PayrollLine", "PayrollState"]


def _money(verbose: object, **kwargs: object) -> models.DecimalField:
    return models.DecimalField(verbose, max_digits=12, decimal_places=2, **kwargs)  # type: ignore[arg-type]


class PayrollState(models.TextChoices):
    IMPORTING = "importing", _("Importing")
    REFUSED = "refused", _("Refused")
    IMPORTED = "imported", _("Imported")
    SUPERSEDED = "superseded", _("Replaced by a corrected file")


class OffPayrollReason(models.TextChoices):
    LEAVE = "leave", _("Leave without pay")
    SECONDMENT = "secondment", _("Secondment")
    RETIRED = "retired", _("Pension without deduction at source")


class PayrollFile(models.Model):
    State = PayrollState

    administration = models.ForeignKey(
        "members.Administration", verbose_name=_("administration"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.DateField(_("period"), help_text=_("First day of the month the deductions are for."))
    filename = models.CharField(_("file name"), max_length=255)
    stored_name = models.CharField(max_length=100, editable=False, verbose_name=_("stored name"))
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64)
    kind = models.CharField(max_length=4, verbose_name=_("kind"))
    state = models.CharField(_("state"), max_length=10, choices=PayrollState.choices, default=State.IMPORTING)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("job")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)

    class Meta:
        verbose_name = _("payroll deduction file")
        verbose_name_plural = _("payroll deduction files")
        ordering = ["-period", "administration", "-id"]
        permissions = [("manage_payroll", "Can import payroll deduction files and record receipts")]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=PayrollState.values), name="payroll_file_state_valid"),
            models.UniqueConstraint(
                fields=["administration", "period"], condition=Q(state="imported"), name="payroll_file_one_in_force"
            ),
            models.UniqueConstraint(
                fields=["administration", "period"], condition=Q(state="importing"), name="payroll_file_one_importing"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.administration_id} {self.period:%Y-%m} #{self.pk}"


class PayrollError(models.Model):
    """A bad row of a refused file (line 0: the file as a whole)."""

    file = models.ForeignKey(
        PayrollFile, on_delete=models.CASCADE, related_name="errors", verbose_name=_("payroll file")
    )
    line = models.PositiveIntegerField(_("line"))
    field = models.CharField(_("column"), max_length=100, blank=True)
    message = models.CharField(_("error"), max_length=500)

    class Meta:
        ordering = ["file", "line", "id"]
        verbose_name = _("payroll file error")
        verbose_name_plural = _("payroll file errors")

    def __str__(self) -> str:
        return f"{self.line} {self.field}: {self.message}"


class PayrollLine(models.Model):
    """One row of a file: what was withheld and, for a known member, what the schedule expects."""

    # Indexed by the (file, matricule) and (member, file) constraints below, not by the foreign keys:
    # every index costs each of the file's rows at import.
    file = models.ForeignKey(
        PayrollFile, on_delete=models.CASCADE, related_name="lines", db_index=False, verbose_name=_("payroll file")
    )
    line = models.PositiveIntegerField(_("line"))
    matricule = models.CharField(_("matricule"), max_length=10)
    # No database constraint on these two: a line is a copy of what the file said, matched to the
    # member at import (members are never deleted; PROTECT is still checked by Django). The checks a
    # constraint runs at commit lock each member row, a large part of a 500,000-row import.
    member = models.ForeignKey(
        "members.Member",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
        verbose_name=_("member"),
    )
    member_status = models.CharField(_("member status"), max_length=10, blank=True)
    member_administration = models.ForeignKey(
        "members.Administration",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
        verbose_name=_("member administration"),
    )
    base_salary = _money(_("base salary"))
    complementary = _money(_("complementary withheld"))
    death_fund = _money(_("death fund withheld"))
    amo_employee = _money(_("AMO employee share withheld"))
    amo_employer = _money(_("AMO employer share withheld"))
    expected_complementary = _money(_("complementary expected"), null=True)
    expected_death_fund = _money(_("death fund expected"), null=True)
    expected_amo_employee = _money(_("AMO employee share expected"), null=True)
    expected_amo_employer = _money(_("AMO employer share expected"), null=True)

    class Meta:
        ordering = ["file", "line"]
        verbose_name = _("payroll deduction line")
        verbose_name_plural = _("payroll deduction lines")
        constraints = [
            models.UniqueConstraint(fields=["file", "matricule"], name="payroll_line_one_per_matricule"),
            models.CheckConstraint(
                condition=Q(base_salary__gte=0, complementary__gte=0, death_fund__gte=0)
                & Q(amo_employee__gte=0, amo_employer__gte=0),
                name="payroll_line_amounts_positive",
            ),
        ]
        indexes = [models.Index(fields=["member", "file"], name="payroll_line_member")]

    def __str__(self) -> str:
        return f"{self.file_id}:{self.line} {self.matricule}"


class OffPayroll(models.Model):
    """A period when a member pays at the counter or by transfer (leave, secondment, pension paid
    without deduction at source): dues are posted from the schedule and paid by receipts."""

    Reason = OffPayrollReason

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+", verbose_name=_("member"))
    reason = models.CharField(_("reason"), max_length=10, choices=OffPayrollReason.choices)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until (exclusive)"), null=True, blank=True)
    monthly_base = _money(_("monthly base (salary or pension)"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded at"))

    class Meta:
        verbose_name = _("period off payroll")
        verbose_name_plural = _("periods off payroll")
        ordering = ["member", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="off_payroll_valid_to_after_from",
            ),
            models.CheckConstraint(condition=Q(monthly_base__gte=0), name="off_payroll_base_positive"),
            models.CheckConstraint(condition=Q(reason__in=OffPayrollReason.values), name="off_payroll_reason_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.reason} {self.valid_from}"
