"""Complaints and appeals: a tracking number at once, a category with its target time, the decision
contested (one typed foreign key, checked by the database), a state moved through one transition
table (grievances.services.transitions), an answer with its reason code.

Invariants live in the database: one decision at most (exactly one for an appeal), an answer has its
outcome and reason, a revision claim file serves one appeal, a number is unique.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    APPEAL = "appeal", _("Appeal")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Member portal")
    COUNTER = "counter", _("Counter")
    PHONE = "phone", _("Phone")
    API = "api", _("Provider API")


class Status(models.TextChoices):
    FILED = "filed", _("Filed")
    IN_REVIEW = "in_review", _("In review")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (Status.FILED, Status.IN_REVIEW)


class Outcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    PARTLY = "partly", _("Partly upheld")
    REJECTED = "rejected", _("Not upheld")


class AnswerReason(models.TextChoices):
    """Why the answer is what it is: a code the dashboard counts, the text says the rest."""

    RULES_APPLIED = "rules_applied", _("The decision follows the rules in force")
    DOCUMENT_RECEIVED = "document_received", _("A missing document was received")
    APPROVAL_GRANTED = "approval_granted", _("A prior approval was granted after the fact")
    INPUT_CORRECTED = "input_corrected", _("An error in the entry of the file was corrected")
    PAYMENT_REISSUED = "payment_reissued", _("The payment is issued again")
    SERVICE_APOLOGY = "service_apology", _("Service below standard: explained and apologised")
    OUT_OF_SCOPE = "out_of_scope", _("Outside the mutual's remit")
    OTHER = "other", _("Other reason (see the answer)")


class Decision(models.TextChoices):
    """What kind of decision a grievance contests (the foreign key that is set)."""

    CLAIM_LINE = "claim_line", _("A line of a claim file")
    PAYMENT = "payment", _("A payment")
    ALLOWANCE = "allowance", _("An allowance request")
    SUSPENSION = "suspension", _("A suspension of rights")
    NONE = "none", _("No decision (the service)")


DECISION_FIELDS = {
    Decision.CLAIM_LINE: "claim_line",
    Decision.PAYMENT: "payment",
    Decision.ALLOWANCE: "allowance_request",
    Decision.SUSPENSION: "suspension",
}


def _one_decision(n: int) -> Q:
    """Exactly `n` of the decision keys set (0 or 1)."""
    names = list(DECISION_FIELDS.values())
    if n == 0:
        return Q(**{f"{name}__isnull": True for name in names})
    out = Q()
    for chosen in names:
        out |= Q(**{f"{name}__isnull": name != chosen for name in names})
    return out


class GrievanceCategory(models.Model):
    """A category and its target time; administrators add or retire them in the admin. A grievance
    keeps the due date computed when it was filed: a later change of the target rewrites nothing."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    label_fr = models.CharField(_("label (French)"), max_length=120)
    label_ar = models.CharField(_("label (Arabic)"), max_length=120)
    label_en = models.CharField(_("label (English)"), max_length=120)
    target_days = models.PositiveSmallIntegerField(_("target time (days)"))
    working_days = models.BooleanField(
        _("counted in working days"),
        default=True,
        help_text=_("Saturdays, Sundays and public holidays are not counted."),
    )
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["kind", "position", "code"]
        verbose_name = _("complaint or appeal category")
        verbose_name_plural = _("complaint and appeal categories")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="grievancecategory_kind_valid"),
            models.CheckConstraint(condition=Q(target_days__gte=1), name="grievancecategory_target_positive"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        lang = (get_language() or "fr")[:2]
        return str({"ar": self.label_ar, "en": self.label_en}.get(lang) or self.label_fr)


class Grievance(models.Model):
    """A complaint or an appeal of one member (every member-scoped table carries member_id)."""

    # The member's words may speak of their health: the audit trail keeps that they changed only.
    AUDIT_MASKED_FIELDS = ("text", "answer_text")

    number = models.CharField(_("tracking number"), max_length=12, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    category = models.ForeignKey(GrievanceCategory, verbose_name=_("category"), on_delete=models.PROTECT)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    member = models.ForeignKey("members.Member", verbose_name=_("member"), on_delete=models.PROTECT, db_index=False)
    # The decision contested: at most one (exactly one for an appeal), see the constraints.
    claim_line = models.ForeignKey(
        "claims.ClaimLine", verbose_name=_("claim line"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    payment = models.ForeignKey(
        "payments.Payment", verbose_name=_("payment"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    allowance_request = models.ForeignKey(
        "allowances.AllowanceRequest", verbose_name=_("allowance request"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    suspension = models.ForeignKey(
        "members.RightsSuspension", verbose_name=_("suspension of rights"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    text = models.TextField(_("text"), max_length=4000)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    provider = models.ForeignKey(
        "accounts.Provider", verbose_name=_("provider"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    filed_at = models.DateTimeField(_("filed at"))
    filed_on = models.DateField(_("filed on"))
    due_on = models.DateField(_("answer due by"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.FILED)
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    reason_code = models.CharField(_("reason"), max_length=20, choices=AnswerReason.choices, blank=True)
    answer_text = models.TextField(_("answer"), max_length=4000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    reviewed_at = models.DateTimeField(_("taken in review at"), null=True, blank=True)
    # The claim file that adjudicates the contested line again with the committee's change (appeal upheld).
    revision_file = models.OneToOneField(
        "claims.ClaimFile", verbose_name=_("revision claim file"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("complaint or appeal")
        verbose_name_plural = _("complaints and appeals")
        permissions = [
            ("answer_grievance", "Can review and answer complaints and prepare appeals"),
            ("decide_appeal", "Can decide appeals (appeals committee)"),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="grievance_status_due"),
            models.Index(fields=["member", "-filed_at"], name="grievance_member_filed"),
            models.Index(fields=["category", "status"], name="grievance_category_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="grievance_kind_valid"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="grievance_channel_valid"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="grievance_status_valid"),
            models.CheckConstraint(
                condition=_one_decision(0) | _one_decision(1), name="grievance_one_decision_at_most"
            ),
            models.CheckConstraint(
                condition=~Q(kind="appeal") | _one_decision(1), name="grievance_appeal_has_decision"
            ),
            models.CheckConstraint(
                condition=Q(outcome="", reason_code="")
                | Q(outcome__in=Outcome.values, reason_code__in=AnswerReason.values),
                name="grievance_outcome_with_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["answered", "closed"]) | (~Q(outcome="") & Q(answered_at__isnull=False)),
                name="grievance_answered_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(revision_file__isnull=True) | Q(outcome__in=["upheld", "partly"], claim_line__isnull=False),
                name="grievance_revision_only_when_upheld",
            ),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("filed_on")), name="grievance_due_after_filing"),
            # One live appeal per decision: the committee decides once.
            models.UniqueConstraint(
                fields=["claim_line"],
                condition=Q(kind="appeal") & ~Q(status="withdrawn"),
                name="grievance_one_appeal_line",
            ),
            models.UniqueConstraint(
                fields=["payment"],
                condition=Q(kind="appeal") & ~Q(status="withdrawn"),
                name="grievance_one_appeal_payment",
            ),
            models.UniqueConstraint(
                fields=["allowance_request"],
                condition=Q(kind="appeal") & ~Q(status="withdrawn"),
                name="grievance_one_appeal_allowance",
            ),
            models.UniqueConstraint(
                fields=["suspension"],
                condition=Q(kind="appeal") & ~Q(status="withdrawn"),
                name="grievance_one_appeal_suspension",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def decision(self) -> Decision:
        for decision, name in DECISION_FIELDS.items():
            if getattr(self, f"{name}_id") is not None:
                return decision
        return Decision.NONE

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class GrievanceTransition(models.Model):
    """One change of a grievance's state: who, when, from, to."""

    grievance = models.ForeignKey(
        Grievance, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("grievance")
    )
    member_id = models.BigIntegerField(db_index=True, verbose_name=_("member"))
    from_status = models.CharField(_("from"), max_length=10, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=Status.choices)
    version = models.PositiveIntegerField(_("version reached"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("actor")
    )
    at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["grievance", "version"]
        verbose_name = _("complaint or appeal state change")
        verbose_name_plural = _("complaint or appeal state changes")
        constraints = [
            models.UniqueConstraint(fields=["grievance", "version"], name="grievancetransition_one_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.grievance_id}: {self.from_status} -> {self.to_status}"


class GrievanceAttachment(models.Model):
    """A PDF, JPEG or PNG read whole by its library (claims.uploads), stored under a name of ours."""

    AUDIT_MASKED_FIELDS = ("display_name",)  # "compte_rendu_IRM.pdf" says something medical

    grievance = models.ForeignKey(
        Grievance, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("grievance")
    )
    member_id = models.BigIntegerField(db_index=True, verbose_name=_("member"))
    display_name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64, verbose_name=_("SHA-256 digest"))
    path = models.CharField(max_length=300, unique=True, verbose_name=_("path"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    class Meta:
        ordering = ["grievance", "id"]
        verbose_name = _("attachment of a complaint or appeal")
        verbose_name_plural = _("attachments of complaints and appeals")

    def __str__(self) -> str:
        return self.display_name
