from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from claims.models.files import ClaimFile, LineKind


class Attachment(models.Model):
    """A scan (PDF, JPEG or PNG) stored under PRIVATE_MEDIA_ROOT, served only by a scoped view."""

    class Kind(models.TextChoices):
        CARE_SHEET = "care_sheet", _("Care sheet")
        PRESCRIPTION = "prescription", _("Prescription")
        INVOICE = "invoice", _("Invoice")
        MEDICAL_REPORT = "medical_report", _("Medical report")
        OTHER = "other", _("Other")

    MEDICAL_KINDS = (Kind.MEDICAL_REPORT,)
    # The audit trail keeps that a file was attached, not its name: "IRM_lombaire.pdf" is medical.
    AUDIT_MASKED_FIELDS = ("original_name",)

    file = models.ForeignKey(ClaimFile, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("file"))
    member_id = models.BigIntegerField(db_index=True, verbose_name=_("member"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64, verbose_name=_("SHA-256 digest"))
    path = models.CharField(max_length=300, unique=True, verbose_name=_("path"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    class Meta:
        ordering = ["file", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_medical(self) -> bool:
        return self.kind in self.MEDICAL_KINDS


class MedicalNote(models.Model):
    """The diagnosis of a file: visible only with claims.view_medical, every read logged."""

    AUDIT_MASKED_FIELDS = ("diagnosis",)  # audit.masking: the trail says it changed, never what it says

    file = models.OneToOneField(
        ClaimFile, on_delete=models.CASCADE, related_name="medical_note", verbose_name=_("file")
    )
    member_id = models.BigIntegerField(db_index=True, verbose_name=_("member"))
    diagnosis = models.TextField(_("diagnosis"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, verbose_name=_("author"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("medical note")
        verbose_name_plural = _("medical notes")

    def __str__(self) -> str:
        return f"note {self.file_id}"


class AldRecognition(models.Model):
    """A long-term illness (ALD) recognised for a beneficiary by a medical controller."""

    AUDIT_MASKED_FIELDS = ("code",)  # the condition itself (ALD12: severe hypertension), audit.masking

    member_id = models.BigIntegerField(db_index=True, verbose_name=_("member"))
    beneficiary = models.ForeignKey(
        "members.Beneficiary", on_delete=models.CASCADE, related_name="ald_recognitions", verbose_name=_("beneficiary")
    )
    code = models.CharField(_("ALD code"), max_length=16)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, verbose_name=_("decided by")
    )

    class Meta:
        verbose_name = _("long-term illness recognition")
        verbose_name_plural = _("long-term illness recognitions")
        constraints = [
            models.UniqueConstraint(fields=["beneficiary", "code", "valid_from"], name="ald_recognition_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary_id} {self.code}"


class RefusalReason(models.TextChoices):
    """Why a prior approval was refused: a stable code a provider's software reads through the API
    (the medical controller's own words stay in the decision note, for medical roles only)."""

    NOT_JUSTIFIED = "not_justified", _("Not medically justified")
    ALTERNATIVE = "alternative", _("A less costly alternative is available")
    INCOMPLETE = "incomplete", _("The request lacks documents or details")
    QUANTITY = "quantity", _("The quantity asked is excessive")
    NOT_COVERED = "not_covered", _("Not covered by the plan")
    OTHER = "other", _("Other reason")


class PriorApproval(models.Model):
    """A prior approval (entente préalable) for an act, a medicine or a stay."""

    AUDIT_MASKED_FIELDS = ("justification", "decision_note")  # the doctors' words, audit.masking

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    number = models.CharField(_("number"), max_length=20, unique=True)
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, verbose_name=_("member"))
    beneficiary = models.ForeignKey("members.Beneficiary", on_delete=models.PROTECT, verbose_name=_("beneficiary"))
    kind = models.CharField(_("kind"), max_length=8, choices=LineKind.choices)
    code = models.CharField(_("act, medicine or stay code"), max_length=32)
    justification = models.TextField(_("medical justification"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(auto_now_add=True, verbose_name=_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    decision_note = models.TextField(_("decision note"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    quantity_granted = models.PositiveIntegerField(_("quantity granted"), default=0)
    quantity_consumed = models.PositiveIntegerField(_("quantity consumed"), default=0)
    amount_granted = models.DecimalField(_("amount granted"), max_digits=12, decimal_places=2, default=0)
    amount_consumed = models.DecimalField(_("amount consumed"), max_digits=12, decimal_places=2, default=0)
    # Sent by a provider through the API: which one, its own reference (a retry returns the first
    # request), how many and for when; the counter's and the portal's requests leave them empty.
    provider = models.ForeignKey(
        "accounts.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("provider"),
    )  # fmt: skip
    external_ref = models.CharField(_("provider's reference"), max_length=64, blank=True, default="")
    quantity_requested = models.PositiveIntegerField(_("quantity requested"), default=1)
    planned_on = models.DateField(_("planned date of care"), null=True, blank=True)
    refusal_reason = models.CharField(
        _("reason of the refusal"), max_length=16, choices=RefusalReason.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("prior approval")
        verbose_name_plural = _("prior approvals")
        permissions = [("decide_priorapproval", "Can decide prior approvals")]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity_consumed__lte=F("quantity_granted")), name="priorapproval_quantity_consumed"
            ),
            models.CheckConstraint(
                condition=Q(amount_consumed__lte=F("amount_granted")), name="priorapproval_amount_consumed"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="priorapproval_validity_order",
            ),
            models.CheckConstraint(
                condition=~Q(status="granted") | Q(valid_from__isnull=False, valid_to__isnull=False),
                name="priorapproval_granted_has_dates",
            ),
            models.UniqueConstraint(
                fields=["provider", "external_ref"],
                condition=~Q(external_ref=""),
                name="priorapproval_provider_ref_unique",
            ),
            models.CheckConstraint(
                condition=Q(external_ref="") | Q(provider__isnull=False), name="priorapproval_ref_has_provider"
            ),
            models.CheckConstraint(
                condition=Q(quantity_requested__gte=1) & Q(quantity_requested__lte=10_000),
                name="priorapproval_quantity_requested",
            ),
            models.CheckConstraint(
                condition=Q(refusal_reason="") | Q(status="refused"), name="priorapproval_reason_if_refused"
            ),
        ]

    def __str__(self) -> str:
        return self.number
