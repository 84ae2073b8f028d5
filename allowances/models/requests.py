"""Allowance requests, their history, documents, deductions and the shares paid to each payee.

Invariants live in the database: four eyes (the approver is not the checker), net = gross -
deductions and never negative, a refusal has its reason, one live request per member and type
(or per member, type and year), and a share tied to at most one live payment (nothing paid twice).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from allowances.models.types import AllowanceRate, AllowanceType, DocumentKind
from mutuelle.db import centimes

ZERO_DEFAULT = 0


def money(verbose: object, **kwargs: object) -> models.DecimalField:
    return models.DecimalField(verbose, max_digits=12, decimal_places=2, default=ZERO_DEFAULT, **kwargs)  # type: ignore[arg-type]


class RequestState(models.TextChoices):
    RECEIVED = "received", _("Received")
    INCOMPLETE = "incomplete", _("Incomplete")
    CHECKED = "checked", _("Checked")
    APPROVED = "approved", _("Approved")
    IN_PAYMENT = "in_payment", _("In payment")
    PAID = "paid", _("Paid")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


CLOSED_STATES = (RequestState.REFUSED, RequestState.CANCELLED)


class RefusalReason(models.TextChoices):
    MEMBERSHIP_TOO_SHORT = "membership_too_short", _("The membership is shorter than the minimum required")
    NOT_ELIGIBLE = "not_eligible", _("The member's status does not open this allowance")
    AGE_LIMIT = "age_limit", _("The child is beyond the age limit")
    DEADLINE_PASSED = "deadline_passed", _("The file was not completed before the deadline")
    DOCUMENTS_INVALID = "documents_invalid", _("The documents do not prove the event")
    NOTHING_LEFT = "nothing_left", _("Nothing is left to pay once the deductions are made")
    OTHER = "other", _("Other reason (see the note)")


class AllowanceRequest(models.Model):
    number = models.CharField(_("number"), max_length=12, unique=True)
    type = models.ForeignKey(AllowanceType, verbose_name=_("allowance"), on_delete=models.PROTECT)
    member = models.ForeignKey("members.Member", verbose_name=_("member"), on_delete=models.PROTECT)
    beneficiary = models.ForeignKey(
        "members.Beneficiary", verbose_name=_("person concerned"), null=True, blank=True, on_delete=models.PROTECT
    )
    event_date = models.DateField(_("date of the event"))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    filed_on = models.DateField(_("filed on"))
    deadline = models.DateField(_("complete the file before"))
    state = models.CharField(_("state"), max_length=10, choices=RequestState.choices, default=RequestState.RECEIVED)
    claimant_name = models.CharField(_("filed by"), max_length=140)
    claimant_phone = models.CharField(_("phone of the family"), max_length=20, blank=True)
    rate = models.ForeignKey(
        AllowanceRate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("allowance rate"),
    )
    gross = money(_("amount of the allowance"))
    deductions = money(_("deductions"))
    net = money(_("net amount"))
    refusal_reason = models.CharField(_("reason of refusal"), max_length=24, choices=RefusalReason.choices, blank=True)
    refusal_note = models.CharField(_("note"), max_length=300, blank=True)
    # "<type>:<member>" or "<type>:<member>:<year>": one live request each (constraint below).
    dedupe_key = models.CharField(max_length=60, editable=False, verbose_name=_("duplicate-check key"))
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checked by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"))
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("allowance request")
        verbose_name_plural = _("allowance requests")
        indexes = [models.Index(fields=["state", "type"], name="allowancerequest_state_type")]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=RequestState.values), name="allowancerequest_state_valid"),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("checked_by")),
                name="allowancerequest_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(net=centimes(F("gross") - F("deductions"))), name="allowancerequest_net_parts"
            ),
            models.CheckConstraint(
                condition=Q(net__gte=0, deductions__gte=0, gross__gte=0), name="allowancerequest_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(state="refused") | ~Q(refusal_reason=""), name="allowancerequest_refusal_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["approved", "in_payment", "paid"]) | Q(approved_by__isnull=False),
                name="allowancerequest_approved_before_paid",
            ),
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=~Q(state__in=["refused", "cancelled"]),
                name="allowancerequest_one_live",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class AllowanceTransition(models.Model):
    """One step of a request's history (written by allowances.services.transitions only)."""

    request = models.ForeignKey(
        AllowanceRequest, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("request")
    )
    member_id = models.BigIntegerField(db_index=True, verbose_name=_("member"))
    frm = models.CharField(_("from"), max_length=10, choices=RequestState.choices)
    to = models.CharField(_("to"), max_length=10, choices=RequestState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("actor")
    )
    at = models.DateTimeField(_("at"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["request", "at", "id"]
        verbose_name = _("allowance request state change")
        verbose_name_plural = _("allowance request state changes")

    def __str__(self) -> str:
        return f"{self.frm}->{self.to}"


class DeductionKind(models.TextChoices):
    ARREARS = "arrears", _("Unpaid contributions")
    ADVANCE = "advance", _("Advance still owed")


class AllowanceDeduction(models.Model):
    """One line of the decision: what is withheld from the allowance, and why."""

    request = models.ForeignKey(
        AllowanceRequest, on_delete=models.CASCADE, related_name="deduction_lines", verbose_name=_("request")
    )
    member_id = models.BigIntegerField(db_index=True, verbose_name=_("member"))
    kind = models.CharField(_("deduction"), max_length=8, choices=DeductionKind.choices)
    advance = models.ForeignKey(
        "allowances.Advance", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("advance")
    )
    amount = money(_("amount"))

    class Meta:
        ordering = ["request", "kind", "id"]
        verbose_name = _("allowance deduction")
        verbose_name_plural = _("allowance deductions")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allowancededuction_amount_positive"),
            models.CheckConstraint(condition=Q(kind__in=DeductionKind.values), name="allowancededuction_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


class HeirRelation(models.TextChoices):
    MEMBER = "member", _("The member")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    FATHER = "father", _("Father")
    MOTHER = "mother", _("Mother")
    CLAIMANT = "claimant", _("Person who filed")


class ShareState(models.TextChoices):
    PENDING = "pending", _("To pay")
    IN_PAYMENT = "in_payment", _("In payment")
    PAID = "paid", _("Paid")


class AllowanceShare(models.Model):
    """What one payee (an heir, the member, a child) receives: a payment to their RIB."""

    request = models.ForeignKey(
        AllowanceRequest, on_delete=models.CASCADE, related_name="shares", verbose_name=_("request")
    )
    member_id = models.BigIntegerField(db_index=True, verbose_name=_("member"))
    rank = models.PositiveSmallIntegerField(_("rank"))
    relation = models.CharField(_("relation"), max_length=8, choices=HeirRelation.choices)
    beneficiary = models.ForeignKey(
        "members.Beneficiary", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("beneficiary")
    )
    name = models.CharField(_("name"), max_length=140)
    name_ar = models.CharField(_("name (Arabic)"), max_length=140, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    rib = models.CharField(_("bank account (RIB)"), max_length=24, blank=True)
    parts = models.PositiveSmallIntegerField(_("parts"), default=1)
    amount = money(_("share"))
    state = models.CharField(_("state"), max_length=10, choices=ShareState.choices, default=ShareState.PENDING)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    # The RIB the bank rejected: the share waits for another one before it is paid again.
    rejected_rib = models.CharField(max_length=24, blank=True, editable=False, verbose_name=_("rejected RIB"))

    class Meta:
        ordering = ["request", "rank"]
        verbose_name = _("allowance share")
        verbose_name_plural = _("allowance shares")
        constraints = [
            models.UniqueConstraint(fields=["request", "rank"], name="allowanceshare_rank_unique"),
            models.CheckConstraint(condition=Q(rib="") | Q(rib__regex=r"^[0-9]{24}$"), name="allowanceshare_rib_24"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="allowanceshare_amount_not_negative"),
            models.CheckConstraint(condition=Q(parts__gt=0), name="allowanceshare_parts_positive"),
            models.CheckConstraint(condition=Q(state__in=ShareState.values), name="allowanceshare_state_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}/{self.rank} {self.amount}"


class SharePayment(models.Model):
    """A share paid by a payment of a batch. `live` is false once the bank rejects it or the batch is cancelled."""

    share = models.ForeignKey(
        AllowanceShare, on_delete=models.PROTECT, related_name="payment_links", verbose_name=_("allowance share")
    )
    payment = models.OneToOneField(
        "payments.Payment", on_delete=models.PROTECT, related_name="allowance_share", verbose_name=_("payment")
    )
    member_id = models.BigIntegerField(db_index=True, verbose_name=_("member"))
    live = models.BooleanField(default=True, verbose_name=_("in force"))

    class Meta:
        verbose_name = _("allowance share in a payment")
        verbose_name_plural = _("allowance shares in payments")
        constraints = [
            # Never twice: a share is in at most one live payment, so in one batch at a time.
            models.UniqueConstraint(fields=["share"], condition=Q(live=True), name="sharepayment_one_live_per_share"),
        ]

    def __str__(self) -> str:
        return f"{self.share_id}:{self.payment_id}"


class RequestDocument(models.Model):
    """A scan of the request, checked by parsing and stored under a name of ours (PRIVATE_MEDIA_ROOT)."""

    request = models.ForeignKey(
        AllowanceRequest, on_delete=models.CASCADE, related_name="documents", verbose_name=_("request")
    )
    member_id = models.BigIntegerField(db_index=True, verbose_name=_("member"))
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    share = models.ForeignKey(
        AllowanceShare, verbose_name=_("payee"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    original_name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(max_length=40, verbose_name=_("content type"))
    size = models.PositiveIntegerField(verbose_name=_("size"))
    sha256 = models.CharField(max_length=64, verbose_name=_("SHA-256 digest"))
    path = models.CharField(max_length=200, unique=True, verbose_name=_("path"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"))

    class Meta:
        ordering = ["request", "kind", "id"]
        verbose_name = _("allowance request document")
        verbose_name_plural = _("allowance request documents")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="requestdocument_kind_valid")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.original_name}"
