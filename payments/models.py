"""Payment batches, payments, their claim files, bank returns and the fund ledger.

Invariants live in the database: four eyes (validator != preparer), positive amounts that add
up, one live payment per claim file (partial unique index), one import per return file.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mutuelle.db import centimes
from payments.bankfiles.types import SEPA_TEXT_MAX

ZERO = Decimal("0.00")


def money(verbose: Any, **kwargs: object) -> models.DecimalField:
    return models.DecimalField(verbose, max_digits=12, decimal_places=2, default=ZERO, **kwargs)  # type: ignore[arg-type]


class BatchKind(models.TextChoices):
    MEMBER_TRANSFER = "member_transfer", _("Transfers to members")
    PROVIDER_TRANSFER = "provider_transfer", _("Transfers to providers (third-party payment)")
    POSTAL_ORDER = "postal_order", _("Postal orders (members without a bank account)")
    ALLOWANCE_TRANSFER = "allowance_transfer", _("Transfers of solidarity allowances and advances")


class BatchState(models.TextChoices):
    PREPARING = "preparing", _("Being prepared")
    PREPARED = "prepared", _("Prepared")
    VALIDATED = "validated", _("Validated")
    EXPORTED = "exported", _("Exported")
    CONFIRMED = "confirmed", _("Confirmed")
    # Every payment of the batch has its answer (paid or rejected): nothing more is awaited from the bank.
    SETTLED = "settled", _("Settled")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentState(models.TextChoices):
    PENDING = "pending", _("Pending")
    EXPORTED = "exported", _("Sent to the bank")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected by the bank")
    CANCELLED = "cancelled", _("Cancelled")


LIVE_PAYMENT_STATES = (PaymentState.PENDING, PaymentState.EXPORTED, PaymentState.PAID)


class Fund(models.TextChoices):
    AMO = "amo", _("Basic insurance (AMO)")
    COMPLEMENTARY = "complementary", _("Complementary cover")
    SOLIDARITY = "solidarity", _("Solidarity fund (allowances)")
    ADVANCES = "advances", _("Advances on care")


class PaymentBatch(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=BatchKind.choices)
    state = models.CharField(_("state"), max_length=10, choices=BatchState.choices, default=BatchState.PREPARING)
    execution_date = models.DateField(_("execution date"))
    # The mutual's account when the batch was prepared, so a later export gives the same bytes.
    debtor_name = models.CharField(_("debtor"), max_length=SEPA_TEXT_MAX)
    debtor_iban = models.CharField(_("debtor IBAN"), max_length=34)
    debtor_bic = models.CharField(_("debtor BIC"), max_length=11, blank=True)
    payment_count = models.PositiveIntegerField(_("payments"), default=0)
    total = money(_("total"))
    total_amo = money(_("AMO part"))
    total_complementary = money(_("complementary part"))
    # What the payment sources (payments.sources: allowances, advances) pay, beside claims.
    total_solidarity = money(_("allowances part"), db_default=ZERO)
    # Withheld from the members' reimbursements to repay advances (payments.withholding): total is net of it.
    total_withheld = money(_("withheld"), db_default=ZERO)
    xml_sha256 = models.CharField(_("XML file checksum (SHA-256)"), max_length=64, blank=True)
    csv_sha256 = models.CharField(_("CSV file checksum (SHA-256)"), max_length=64, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("prepared by"), on_delete=models.PROTECT, related_name="+"
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("exported by"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    created_at = models.DateTimeField(_("created"))
    prepared_at = models.DateTimeField(_("prepared"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validated"), null=True, blank=True)
    exported_at = models.DateTimeField(_("exported"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        permissions = [
            ("prepare_paymentbatch", "Can prepare payment batches"),
            ("validate_paymentbatch", "Can validate and confirm payment batches"),
            ("export_paymentbatch", "Can export payment batches to bank files"),
            ("import_paymentreturn", "Can import bank return files"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=BatchKind.values), name="paymentbatch_kind_valid"),
            models.CheckConstraint(condition=Q(state__in=BatchState.values), name="paymentbatch_state_valid"),
            models.CheckConstraint(
                condition=Q(validated_by__isnull=True) | ~Q(validated_by=F("prepared_by")),
                name="paymentbatch_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(
                    total=centimes(
                        F("total_amo") + F("total_complementary") + F("total_solidarity") - F("total_withheld")
                    )
                ),
                name="paymentbatch_total_parts",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["preparing", "prepared", "cancelled"]) | Q(validated_by__isnull=False),
                name="paymentbatch_validated_before_export",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Payment(models.Model):
    """One payment to one payee (a member or a provider), for one or more claim files."""

    batch = models.ForeignKey(
        PaymentBatch, on_delete=models.PROTECT, related_name="payments", verbose_name=_("payment batch")
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), null=True, blank=True, on_delete=models.PROTECT
    )
    provider = models.ForeignKey(
        "accounts.Provider", verbose_name=_("provider"), null=True, blank=True, on_delete=models.PROTECT
    )
    payee_name = models.CharField(_("payee"), max_length=SEPA_TEXT_MAX)
    rib = models.CharField(_("RIB at preparation"), max_length=24, blank=True)
    iban = models.CharField(_("IBAN at preparation"), max_length=34, blank=True)
    amount = money(_("amount"))
    amo = money(_("AMO part"))
    complementary = money(_("complementary part"))
    # A payment of a source (payments.sources) names it and carries its amount here, not in a claim part.
    solidarity = money(_("allowances part"), db_default=ZERO)
    source = models.CharField(_("source"), max_length=30, blank=True, default="", db_default="")
    # What repays the member's advances out of this reimbursement (its lines: PaymentWithholding).
    # `amount` is what the bank pays: the gross (amo + complementary + solidarity) less `withheld`.
    withheld = money(_("withheld"), db_default=ZERO)
    state = models.CharField(_("state"), max_length=10, choices=PaymentState.choices, default=PaymentState.PENDING)
    end_to_end_id = models.CharField(_("end-to-end reference"), max_length=35, unique=True)
    remittance = models.CharField(_("remittance information"), max_length=SEPA_TEXT_MAX, blank=True)
    reject_reason = models.CharField(_("rejection reason"), max_length=4, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    requeued_at = models.DateTimeField(_("sent back to payment at"), null=True, blank=True)

    class Meta:
        ordering = ["batch", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        indexes = [
            models.Index(fields=["member", "batch"], name="payment_member_batch"),
            models.Index(fields=["state", "requeued_at"], name="payment_state_requeued"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=PaymentState.values), name="payment_state_valid"),
            # Net of what is withheld: zero only when an advance took the whole reimbursement.
            models.CheckConstraint(
                condition=Q(amount__gt=0) | Q(amount=0, withheld__gt=0), name="payment_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(amo__gte=0, complementary__gte=0, solidarity__gte=0, withheld__gte=0),
                name="payment_parts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(withheld__lte=F("amo") + F("complementary") + F("solidarity")),
                name="payment_withheld_within_gross",
            ),
            models.CheckConstraint(
                condition=Q(amount=centimes(F("amo") + F("complementary") + F("solidarity") - F("withheld"))),
                name="payment_amount_parts",
            ),
            # Only a member's reimbursement of claims repays an advance, never a source's payment.
            models.CheckConstraint(condition=Q(withheld=0) | Q(source=""), name="payment_withheld_from_claims"),
            # A source's payment pays no claim part, a claim's payment no source part.
            models.CheckConstraint(
                condition=Q(source="", solidarity=0) | (~Q(source="") & Q(amo=0, complementary=0)),
                name="payment_source_parts",
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=False, provider__isnull=True)
                | Q(member__isnull=True, provider__isnull=False),
                name="payment_one_payee",
            ),
            models.CheckConstraint(
                condition=~Q(state="rejected") | ~Q(reject_reason=""), name="payment_rejection_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.end_to_end_id

    @property
    def is_live(self) -> bool:
        return self.state in LIVE_PAYMENT_STATES

    @property
    def gross(self) -> Decimal:
        return Decimal(self.amo) + Decimal(self.complementary) + Decimal(self.solidarity)


class PaymentWithholding(models.Model):
    """One line withheld from a payment: what repays an item of a withholding source (an advance)
    out of one claim file's reimbursement. Counted as owed-but-withheld while its payment is pending
    or sent; the source records the repayment once the payment is paid (payments.withholding)."""

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="withholdings", verbose_name=_("payment")
    )
    claim = models.ForeignKey("claims.ClaimFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("claim"))
    member_id = models.BigIntegerField(db_index=True, verbose_name=_("member"))
    source = models.CharField(_("source"), max_length=30)
    key = models.BigIntegerField(verbose_name=_("key"))  # the source's own row (an advance)
    label = models.CharField(_("reference"), max_length=20)  # the advance's number, shown on statements
    amount = money(_("amount"))

    class Meta:
        ordering = ["payment", "id"]
        verbose_name = _("amount withheld from a payment")
        verbose_name_plural = _("amounts withheld from payments")
        indexes = [models.Index(fields=["source", "key"], name="paymentwithholding_item")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="paymentwithholding_amount_positive"),
            models.UniqueConstraint(fields=["payment", "source", "key", "claim"], name="paymentwithholding_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.amount}"


class PaymentClaim(models.Model):
    """A claim file paid by a payment. `live` mirrors the payment's state (kept by the services)."""

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="claim_links", verbose_name=_("payment")
    )
    claim = models.ForeignKey(
        "claims.ClaimFile", on_delete=models.PROTECT, related_name="payment_links", verbose_name=_("claim")
    )
    member_id = models.BigIntegerField(db_index=True, verbose_name=_("member"))
    amo = money(_("AMO part"))
    complementary = money(_("complementary part"))
    live = models.BooleanField(default=True, verbose_name=_("in force"))

    class Meta:
        ordering = ["payment", "claim"]
        verbose_name = _("claim file in a payment")
        verbose_name_plural = _("claim files in payments")
        constraints = [
            # Never twice: a claim file is tied to at most one live payment.
            models.UniqueConstraint(fields=["claim"], condition=Q(live=True), name="paymentclaim_one_live_per_claim"),
            models.UniqueConstraint(fields=["payment", "claim"], name="paymentclaim_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.payment_id}:{self.claim_id}"


class ReturnImport(models.Model):
    class Format(models.TextChoices):
        CSV = "csv", _("CSV return")
        CAMT054 = "camt054", _("camt.054 notification")

    sha256 = models.CharField(_("file checksum (SHA-256)"), max_length=64, unique=True)
    file_name = models.CharField(_("file name"), max_length=200)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("imported by")
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    lines = models.PositiveIntegerField(_("lines"), default=0)
    paid = models.PositiveIntegerField(_("paid"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    unchanged = models.PositiveIntegerField(_("already known"), default=0)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("bank return import")
        verbose_name_plural = _("bank return imports")

    def __str__(self) -> str:
        return self.file_name


class FundEntry(models.Model):
    """The ledger for accounting: what each fund paid out (and, below zero, the advances repaid out
    of a member's reimbursement), and when; a day's entries add up to what the bank paid."""

    fund = models.CharField(_("fund"), max_length=14, choices=Fund.choices)
    booked_on = models.DateField(_("date"))
    amount = money(_("amount"))
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="fund_entries", verbose_name=_("payment")
    )
    member_id = models.BigIntegerField(null=True, blank=True, db_index=True, verbose_name=_("member"))

    class Meta:
        ordering = ["booked_on", "id"]
        verbose_name = _("fund entry")
        verbose_name_plural = _("fund entries")
        indexes = [models.Index(fields=["booked_on", "fund"], name="fundentry_day_fund")]
        constraints = [
            models.CheckConstraint(condition=Q(fund__in=Fund.values), name="fundentry_fund_valid"),
            # Paid out (> 0), or an advance repaid out of a reimbursement (< 0, the advances fund).
            models.CheckConstraint(
                condition=Q(amount__gt=0) | Q(amount__lt=0, fund="advances"), name="fundentry_amount_sign"
            ),
            models.UniqueConstraint(fields=["payment", "fund"], name="fundentry_one_per_payment_fund"),
        ]

    def __str__(self) -> str:
        return f"{self.booked_on} {self.fund} {self.amount}"


class ProviderAccount(models.Model):
    """A provider's bank account for third-party payments (accounts.Provider holds none)."""

    provider = models.OneToOneField(
        "accounts.Provider", on_delete=models.CASCADE, related_name="bank_account", verbose_name=_("provider")
    )
    rib = models.CharField(_("bank account (RIB)"), max_length=24)

    class Meta:
        verbose_name = _("provider bank account")
        verbose_name_plural = _("provider bank accounts")
        constraints = [
            models.CheckConstraint(condition=Q(rib__regex=r"^[0-9]{24}$"), name="provideraccount_rib_24_digits")
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.rib}"
