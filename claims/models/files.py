from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mutuelle.db import centimes

ZERO = Decimal("0.00")


def money(verbose: Any) -> models.DecimalField:
    return models.DecimalField(verbose, max_digits=12, decimal_places=2, default=ZERO)


class ClaimStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    INCOMPLETE = "incomplete", _("Incomplete")
    RETURNED = "returned", _("Returned to the member")
    ADJUDICATED = "adjudicated", _("Adjudicated")
    MEDICAL_REVIEW = "medical_review", _("In medical review")
    APPROVED = "approved", _("Approved")
    IN_PAYMENT = "in_payment", _("In payment")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


# The states in which a file has a reimbursement statement (décompte): its amounts are final.
WITH_STATEMENT: frozenset[str] = frozenset({ClaimStatus.APPROVED, ClaimStatus.IN_PAYMENT, ClaimStatus.PAID})


class Channel(models.TextChoices):
    COUNTER = "counter", _("Counter")
    POST = "post", _("Post")
    PORTAL = "portal", _("Member portal")
    PROVIDER = "provider", _("Provider (third-party payment)")


class LineKind(models.TextChoices):
    ACT = "act", _("Act")
    MEDICINE = "medicine", _("Medicine")
    STAY = "stay", _("Hospital stay")


class LineStatus(models.TextChoices):
    PENDING = "pending", _("Not decided yet")
    ACCEPTED = "accepted", _("Accepted")
    REDUCED = "reduced", _("Reduced")
    REJECTED = "rejected", _("Rejected")


class ClaimFile(models.Model):
    """A claim file (dossier / feuille de soins) of one beneficiary."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    # db_index=False: claimfile_member_filed (member, -filed_on) serves lookups by member.
    member = models.ForeignKey("members.Member", verbose_name=_("member"), on_delete=models.PROTECT, db_index=False)
    beneficiary = models.ForeignKey("members.Beneficiary", verbose_name=_("beneficiary"), on_delete=models.PROTECT)
    filed_on = models.DateField(_("filed on"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    provider = models.ForeignKey(
        "accounts.Provider",
        verbose_name=_("provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,  # claimfile_provider: partial, most files have none
    )
    provider_inpe = models.CharField(_("provider INPE"), max_length=9, blank=True)
    provider_sector = models.CharField(_("provider sector"), max_length=8, default="private")
    provider_kind = models.CharField(_("provider kind"), max_length=16, default="doctor")
    # The provider's own reference of a file sent through the API: a retried request finds the file
    # it already created (unique per provider, see claimfile_provider_ref_unique).
    external_ref = models.CharField(_("provider's reference"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.RECEIVED)
    version = models.PositiveIntegerField(_("version"), default=1)
    missing_pieces = models.JSONField(_("missing pieces"), default=list, blank=True)
    review_reasons = models.JSONField(_("reasons for medical review"), default=list, blank=True)
    paid = money(_("paid"))
    basis = money(_("basis"))
    amo = money(_("AMO amount"))
    complementary = money(_("complementary amount"))
    remainder = money(_("remainder"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # claimfile_created_by: partial, files by post have none
        verbose_name=_("created by"),
    )
    adjudicated_at = models.DateTimeField(_("adjudicated at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-filed_on", "-id"]
        verbose_name = _("claim file")
        verbose_name_plural = _("claim files")
        permissions = [
            ("adjudicate_claimfile", "Can adjudicate and approve claim files"),
            ("review_claimfile", "Can decide the medical review of claim files"),
            ("view_medical", "Can view diagnoses and medical attachments"),
        ]
        indexes = [
            models.Index(fields=["status", "filed_on"], name="claimfile_status_filed"),
            models.Index(fields=["member", "-filed_on"], name="claimfile_member_filed"),
            # Every update of a file's status writes a new entry in each index: no entries for NULLs.
            models.Index(fields=["provider"], name="claimfile_provider", condition=Q(provider__isnull=False)),
            models.Index(fields=["created_by"], name="claimfile_created_by", condition=Q(created_by__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ClaimStatus.values), name="claimfile_status_valid"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="claimfile_channel_valid"),
            models.CheckConstraint(
                condition=Q(paid__gte=0, basis__gte=0, amo__gte=0, complementary__gte=0, remainder__gte=0),
                name="claimfile_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(remainder=centimes(F("paid") - F("amo") - F("complementary"))), name="claimfile_remainder"
            ),
            # Partial: only files sent with a reference, so the index stays as small as the API traffic.
            models.UniqueConstraint(
                fields=["provider", "external_ref"],
                condition=~Q(external_ref=""),
                name="claimfile_provider_ref_unique",
            ),
            models.CheckConstraint(
                condition=Q(external_ref="") | Q(provider__isnull=False), name="claimfile_ref_needs_provider"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def has_statement(self) -> bool:
        """A statement can be issued: the file is approved, in payment or paid."""
        return self.status in WITH_STATEMENT

    @property
    def reimbursed(self) -> Decimal:
        """What the member gets back: the basic (AMO) and the complementary amounts."""
        return self.amo + self.complementary

    @property
    def filed_by(self) -> str:
        return "provider" if self.channel == Channel.PROVIDER else "member"


class ClaimLine(models.Model):
    """One act, medicine or stay of a file, with the engine's decision as stored."""

    AUDIT_MASKED_FIELDS = ("ald",)  # the long-term illness a line belongs to names it, audit.masking

    member_id = models.BigIntegerField(
        verbose_name=_("member")
    )  # indexed by claimline_member_care (member_id, care_date)
    file = models.ForeignKey(ClaimFile, on_delete=models.CASCADE, related_name="lines", verbose_name=_("file"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=8, choices=LineKind.choices)
    code = models.CharField(_("code"), max_length=32, blank=True)
    coefficient = models.DecimalField(_("coefficient"), max_digits=8, decimal_places=2, default=Decimal("1.00"))
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    care_date = models.DateField(_("date of care"))
    treatment_end = models.DateField(_("end of treatment"), null=True, blank=True)
    paid = money(_("paid"))
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2, null=True, blank=True)
    ald = models.CharField(_("long-term illness"), max_length=16, blank=True)
    inpatient = models.BooleanField(_("during a hospital stay"), default=False)
    prior_approval = models.ForeignKey(
        "claims.PriorApproval",
        verbose_name=_("prior approval"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,  # claimline_approval: a partial index, the few lines that use one
    )
    status = models.CharField(_("decision"), max_length=10, choices=LineStatus.choices, default=LineStatus.PENDING)
    basis = money(_("basis"))
    amo = money(_("AMO amount"))
    complementary = money(_("complementary amount"))
    remainder = money(_("remainder"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    trace = models.JSONField(_("trace"), default=list, blank=True)

    class Meta:
        ordering = ["file", "position", "id"]
        verbose_name = _("claim line")
        verbose_name_plural = _("claim lines")
        # Adjudication rewrites status, amounts, reasons and trace: no index may cover them, so
        # that PostgreSQL updates lines in place (HOT; fillfactor set by migration 0004).
        indexes = [
            models.Index(fields=["member_id", "care_date"], name="claimline_member_care"),
            models.Index(
                fields=["prior_approval"], name="claimline_approval", condition=Q(prior_approval__isnull=False)
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=LineKind.values), name="claimline_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=LineStatus.values), name="claimline_status_valid"),
            models.CheckConstraint(
                condition=Q(paid__gte=0, basis__gte=0, amo__gte=0, complementary__gte=0, remainder__gte=0),
                name="claimline_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amo__lte=centimes(F("paid") - F("complementary"))), name="claimline_amo_compl_within_paid"
            ),
            models.CheckConstraint(
                condition=Q(remainder=centimes(F("paid") - F("amo") - F("complementary"))), name="claimline_remainder"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_id}/{self.position} {self.kind} {self.code}"


# The reasons services give to a state change, by code: rendered with the row's `reason_params`.
TRANSITION_REASONS: dict[str, Any] = {
    "batch": _("payment batch %(number)s"),
    "payment_batch": _("payment batch"),  # rows written before the batch number was kept
    "bank_return": _("bank return %(file)s"),
    "requeue": _("payment %(payment)s put back for a new batch"),
    "batch_cancelled": _("batch %(number)s cancelled"),
    "postal_order": _("postal order %(number)s"),
    "member_completed": _("missing pieces sent online by the member"),
}


class ClaimTransition(models.Model):
    """One change of a file's state: who, when, from, to and why."""

    # db_index=False: claimtransition_one_per_version (file, version) serves lookups by file.
    file = models.ForeignKey(
        ClaimFile, on_delete=models.CASCADE, related_name="transitions", db_index=False, verbose_name=_("file")
    )
    member_id = models.BigIntegerField(db_index=True, verbose_name=_("member"))
    from_status = models.CharField(_("from"), max_length=16, choices=ClaimStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=ClaimStatus.choices)
    version = models.PositiveIntegerField(_("version reached"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("actor")
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    # A reason written by a service is a code and its parameters (TRANSITION_REASONS), shown in the
    # reader's language; `reason` holds an officer's own words (and the English text of rows
    # written before the codes), never a copy of the code's text.
    reason_code = models.CharField(_("reason code"), max_length=32, blank=True, db_default="", default="")
    reason_params = models.JSONField(_("reason parameters"), default=dict, blank=True, db_default={})
    # A medical controller's decision out of medical review: its reason and note are medical notes,
    # shown to medical roles and to the member only, and never written to the audit trail. A default
    # in the database too: the bulk paths COPY transition rows without naming this column.
    medical = models.BooleanField(_("medical decision"), default=False, db_default=False)

    class Meta:
        ordering = ["file", "at", "id"]
        verbose_name = _("claim file state change")
        verbose_name_plural = _("claim file state changes")
        constraints = [
            models.UniqueConstraint(fields=["file", "version"], name="claimtransition_one_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.file_id}: {self.from_status} -> {self.to_status}"

    @property
    def reason_shown(self) -> str:
        """The reason in the active language when it is a code; as it was typed otherwise."""
        return transition_reason_text(self.reason_code, self.reason_params) or self.reason


def transition_reason_text(code: str, params: dict[str, Any]) -> str:
    """A service's reason in the active language; "" for no code, an unknown one, or parameters
    missing (an old row: its stored English text is shown instead)."""
    template = TRANSITION_REASONS.get(code)
    if template is None:
        return ""
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return ""
