"""Receipts and the member's ledger.

The ledger holds, per member and month, what is due and what was paid, one column per fund.
A due row comes from a payroll file (the schedule applied to the salary the file gives) or from
the schedule alone (a member off payroll, or missing from the administration's file); a paid row
from a payroll file (what was withheld) or a receipt. Rows are never updated in place except
`active`: a corrected payroll file makes the earlier file's rows inactive, kept for the trail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = ["EntryKind", "EntrySource", "LedgerEntry", "Receipt", "ReceiptChannel"]

FUND_COLUMNS = ("complementary", "death_fund", "amo_employee", "amo_employer")


def _money(verbose: object, **kwargs: object) -> models.DecimalField:
    return models.DecimalField(verbose, max_digits=12, decimal_places=2, **kwargs)  # type: ignore[arg-type]


class ReceiptChannel(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    TRANSFER = "transfer", _("Bank transfer")
    # The arrears deducted from a solidarity allowance (the reference is the allowance request's number).
    ALLOWANCE = "allowance", _("Deducted from an allowance")


class EntryKind(models.TextChoices):
    DUE = "due", _("Due")
    PAID = "paid", _("Paid")


class EntrySource(models.TextChoices):
    PAYROLL = "payroll", _("Payroll deduction")
    SCHEDULE = "schedule", _("Schedule")
    RECEIPT = "receipt", _("Receipt")


class Receipt(models.Model):
    """Contributions paid at the counter, by transfer or deducted from an allowance; its months and amounts
    are its ledger rows."""

    Channel = ReceiptChannel

    number = models.CharField(_("receipt number"), max_length=20, unique=True)
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))
    channel = models.CharField(_("channel"), max_length=10, choices=ReceiptChannel.choices)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    received_on = models.DateField(_("received on"))
    amount = _money(_("amount (MAD)"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("contribution receipt")
        verbose_name_plural = _("contribution receipts")
        ordering = ["-received_on", "-id"]
        permissions = [("record_counter_receipt", "Can record a contribution paid at the counter")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receipt_amount_positive"),
            models.CheckConstraint(condition=Q(channel__in=ReceiptChannel.values), name="receipt_channel_valid"),
            # A transfer is traced by the bank's reference.
            models.CheckConstraint(
                condition=Q(channel="counter") | ~Q(reference=""), name="receipt_transfer_has_reference"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class LedgerEntry(models.Model):
    Kind = EntryKind
    Source = EntrySource

    # Indexed by (member, month) below; the foreign key's own index would only slow the imports.
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name=_("member")
    )
    month = models.DateField(_("month"))
    kind = models.CharField(_("kind"), max_length=4, choices=EntryKind.choices)
    source = models.CharField(_("source"), max_length=8, choices=EntrySource.choices)
    payroll_file = models.ForeignKey(
        "contributions.PayrollFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("payroll file"),
    )
    receipt = models.ForeignKey(
        Receipt, null=True, blank=True, on_delete=models.PROTECT, related_name="entries", verbose_name=_("receipt")
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    base = _money(_("base"), null=True, blank=True)
    complementary = _money(_("complementary"), default=0)
    death_fund = _money(_("death fund"), default=0)
    amo_employee = _money(_("AMO, employee share"), default=0)
    amo_employer = _money(_("AMO, employer share"), default=0)
    active = models.BooleanField(_("in force"), default=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["member", "month", "kind", "id"]
        indexes = [
            models.Index(fields=["member", "month"], name="ledger_member_month"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "month"], condition=Q(kind="due", active=True), name="ledger_one_due_per_month"
            ),
            models.CheckConstraint(condition=Q(kind__in=EntryKind.values), name="ledger_kind_valid"),
            models.CheckConstraint(
                condition=Q(complementary__gte=0, death_fund__gte=0, amo_employee__gte=0, amo_employer__gte=0),
                name="ledger_amounts_positive",
            ),
            models.CheckConstraint(
                condition=(Q(source="payroll") & Q(payroll_file__isnull=False) & Q(receipt__isnull=True))
                | (Q(source="receipt", kind="paid") & Q(receipt__isnull=False) & Q(payroll_file__isnull=True))
                | (Q(source="schedule", kind="due") & Q(receipt__isnull=True)),
                name="ledger_source_matches",
            ),
            models.CheckConstraint(condition=Q(kind="due") | Q(paid_on__isnull=False), name="ledger_paid_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m} {self.kind}"

    @property
    def total(self) -> object:
        return self.complementary + self.death_fund + self.amo_employee + self.amo_employer
