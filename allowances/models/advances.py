"""Advances on the quote (devis) of costly care, paid through a batch and repaid by deduction.

What is still owed is `amount - repaid`; the database keeps `repaid` between 0 and `amount`, and
the repayments (from the claim of that care, by instalments, or withheld from an allowance) add up
to it (allowances.services.advances keeps both in one transaction).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from allowances.models.requests import money


class AdvanceState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    IN_PAYMENT = "in_payment", _("In payment")
    PAID = "paid", _("Paid, being repaid")
    REPAID = "repaid", _("Repaid")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


class Advance(models.Model):
    number = models.CharField(_("number"), max_length=12, unique=True)
    member = models.ForeignKey("members.Member", verbose_name=_("member"), on_delete=models.PROTECT)
    beneficiary = models.ForeignKey(
        "members.Beneficiary", verbose_name=_("patient"), null=True, blank=True, on_delete=models.PROTECT
    )
    quote_reference = models.CharField(_("quote reference"), max_length=40)
    quote_amount = money(_("amount of the quote"))
    amount = money(_("advance"))
    repaid = money(_("repaid"))
    instalment = money(_("monthly instalment"))
    rib = models.CharField(_("bank account (RIB)"), max_length=24)
    rejected_rib = models.CharField(max_length=24, blank=True, editable=False, verbose_name=_("rejected RIB"))
    claim = models.ForeignKey(
        "claims.ClaimFile", verbose_name=_("claim file of the care"), null=True, blank=True, on_delete=models.PROTECT
    )
    state = models.CharField(_("state"), max_length=10, choices=AdvanceState.choices, default=AdvanceState.REQUESTED)
    refusal_note = models.CharField(_("reason of refusal"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"))
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("advance on care")
        verbose_name_plural = _("advances on care")
        constraints = [
            models.CheckConstraint(condition=Q(state__in=AdvanceState.values), name="advance_state_valid"),
            models.CheckConstraint(condition=Q(amount__gt=0) & Q(amount__lte=F("quote_amount")), name="advance_amount"),
            models.CheckConstraint(condition=Q(repaid__gte=0) & Q(repaid__lte=F("amount")), name="advance_repaid"),
            models.CheckConstraint(condition=Q(instalment__gte=0), name="advance_instalment_not_negative"),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("requested_by")), name="advance_four_eyes"
            ),
            models.CheckConstraint(condition=Q(rib__regex=r"^[0-9]{24}$"), name="advance_rib_24"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def owed(self) -> Decimal:
        return Decimal(self.amount) - Decimal(self.repaid)


class AdvancePayment(models.Model):
    advance = models.ForeignKey(
        Advance, on_delete=models.PROTECT, related_name="payment_links", verbose_name=_("advance")
    )
    payment = models.OneToOneField(
        "payments.Payment", on_delete=models.PROTECT, related_name="allowance_advance", verbose_name=_("payment")
    )
    member_id = models.BigIntegerField(db_index=True, verbose_name=_("member"))
    live = models.BooleanField(default=True, verbose_name=_("in force"))

    class Meta:
        verbose_name = _("advance in a payment")
        verbose_name_plural = _("advances in payments")
        constraints = [
            models.UniqueConstraint(fields=["advance"], condition=Q(live=True), name="advancepayment_one_live"),
        ]

    def __str__(self) -> str:
        return f"{self.advance_id}:{self.payment_id}"


class RepaymentKind(models.TextChoices):
    CLAIM = "claim", _("Withheld from the reimbursement of the care")
    INSTALMENT = "instalment", _("Instalment")
    ALLOWANCE = "allowance", _("Withheld from an allowance")


class AdvanceRepayment(models.Model):
    advance = models.ForeignKey(Advance, on_delete=models.PROTECT, related_name="repayments", verbose_name=_("advance"))
    member_id = models.BigIntegerField(db_index=True, verbose_name=_("member"))
    kind = models.CharField(_("repayment"), max_length=10, choices=RepaymentKind.choices)
    amount = money(_("amount"))
    on = models.DateField(_("date"))
    claim = models.ForeignKey(
        "claims.ClaimFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("claim")
    )
    allowance_request = models.ForeignKey(
        "allowances.AllowanceRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("allowance request"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(verbose_name=_("recorded at"))

    class Meta:
        ordering = ["advance", "on", "id"]
        verbose_name = _("advance repayment")
        verbose_name_plural = _("advance repayments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="advancerepayment_amount_positive"),
            models.CheckConstraint(condition=Q(kind__in=RepaymentKind.values), name="advancerepayment_kind_valid"),
            # A claim's reimbursement or an allowance repays an advance once.
            models.UniqueConstraint(
                fields=["advance", "claim"], condition=Q(claim__isnull=False), name="advancerepayment_once_per_claim"
            ),
            models.UniqueConstraint(
                fields=["advance", "allowance_request"],
                condition=Q(allowance_request__isnull=False),
                name="advancerepayment_once_per_allowance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"
