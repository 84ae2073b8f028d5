"""Applications to a programme, enrolments and place offers (the waiting list is the applications
in the WAITING state, ranked by care.selectors_centres.waiting_list)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from care.models.centres import Centre, Programme

__all__ = [
    "Application",
    "ApplicationChannel",
    "ApplicationState",
    "Enrolment",
    "EnrolmentState",
    "LeaveReason",
    "OfferState",
    "PlaceOffer",
    "RefusalReason",
]


class ApplicationState(models.TextChoices):
    FILED = "filed", _("Filed")
    ASSESSMENT_SCHEDULED = "assessment_scheduled", _("Assessment scheduled")
    ASSESSED = "assessed", _("Assessed")
    WAITING = "waiting", _("On the waiting list")
    OFFERED = "offered", _("Place offered")
    ENROLLED = "enrolled", _("Enrolled")
    LEFT = "left", _("Left the centre")
    REFUSED = "refused", _("Refused")
    CLOSED = "closed", _("Closed")  # withdrawn, an offer declined or not answered in time


class ApplicationChannel(models.TextChoices):
    PORTAL = "portal", _("Member portal")
    AGENT = "agent", _("Agent")


class RefusalReason(models.TextChoices):
    NOT_ELIGIBLE = "not_eligible", _("Not covered or no recorded disability")
    AGE = "age", _("Outside the programme's age range")
    NEEDS = "needs", _("The programme does not meet the child's needs")
    OTHER = "other", _("Other reason")


class Application(models.Model):
    """A family's request for a place in a programme, from filing to leaving.

    `beneficiary` is the child in our registry; a child of a partner mutual has none (no member_id)
    and is flagged `partner_mutual`. The child's names and birth date are copied at filing so that
    partner children and ours are ranked and aged the same way.
    """

    AUDIT_MASKED_FIELDS = ("disability_details", "assessment_note")

    beneficiary = models.ForeignKey(
        "members.Beneficiary",
        verbose_name=_("child"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_applications",
    )
    member_id = models.BigIntegerField(_("member"), null=True, blank=True, db_index=True)
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="applications", verbose_name=_("centre"))
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="applications", verbose_name=_("programme")
    )
    state = models.CharField(
        _("state"), max_length=24, choices=ApplicationState.choices, default=ApplicationState.FILED
    )
    filed_at = models.DateTimeField(_("filed at"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    channel = models.CharField(_("channel"), max_length=8, choices=ApplicationChannel.choices)
    partner_mutual = models.BooleanField(_("child of a partner mutual"), default=False)
    partner_mutual_name = models.CharField(_("partner mutual"), max_length=200, blank=True)
    child_last_name = models.CharField(_("last name"), max_length=100)
    child_first_name = models.CharField(_("first name"), max_length=100)
    child_last_name_ar = models.CharField(_("last name (Arabic)"), max_length=100, blank=True)
    child_first_name_ar = models.CharField(_("first name (Arabic)"), max_length=100, blank=True)
    birth_date = models.DateField(_("birth date"))
    # Medical: shown to medical roles only, masked in the audit trail.
    disability_details = models.TextField(_("disability details"), blank=True)
    assessment_at = models.DateTimeField(_("assessment appointment"), null=True, blank=True)
    assessment_note = models.TextField(_("assessment note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reason = models.CharField(_("refusal reason"), max_length=16, choices=RefusalReason.choices, blank=True)
    waiting_since = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        permissions = [
            ("decide_application", _("Can decide on an application (admit, waiting list, refuse)")),
            ("view_care_medical", _("Can see the children's disability details and progress notes")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ApplicationState.values), name="care_app_state_valid"),
            models.CheckConstraint(
                condition=Q(beneficiary__isnull=False, member_id__isnull=False)
                | Q(beneficiary__isnull=True, member_id__isnull=True, partner_mutual=True),
                name="care_app_child_known",
            ),
            models.CheckConstraint(
                condition=Q(partner_mutual=False) | ~Q(partner_mutual_name=""), name="care_app_partner_named"
            ),
            models.CheckConstraint(
                condition=~Q(state="refused") | ~Q(refusal_reason=""), name="care_app_refusal_has_reason"
            ),
            # One live application per child and programme: a second one would queue the child twice.
            models.UniqueConstraint(
                fields=["beneficiary", "programme"],
                condition=~Q(state__in=["left", "refused", "closed"]),
                name="care_app_one_live_per_programme",
            ),
        ]
        indexes = [models.Index(fields=["programme", "state"], name="care_app_prog_state")]

    def __str__(self) -> str:
        return f"{self.child_first_name} {self.child_last_name}"

    @property
    def child_name(self) -> str:
        if (get_language() or "ar")[:2] == "ar" and self.child_first_name_ar:
            return f"{self.child_first_name_ar} {self.child_last_name_ar}"
        return f"{self.child_first_name} {self.child_last_name}"


class EnrolmentState(models.TextChoices):
    ACTIVE = "active", _("Active")
    LEFT = "left", _("Left")


class LeaveReason(models.TextChoices):
    AGE_LIMIT = "age_limit", _("Reached the age limit")
    FAMILY = "family", _("The family's decision")
    MOVED = "moved", _("Moved away")
    COVER_ENDED = "cover_ended", _("Cover ended")
    OTHER = "other", _("Other reason")


class Enrolment(models.Model):
    """A child's place in a programme; `leaves_on` is the day it reaches the age limit."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="enrolment", verbose_name=_("application")
    )
    beneficiary = models.ForeignKey(
        "members.Beneficiary",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_enrolments",
        verbose_name=_("beneficiary"),
    )
    member_id = models.BigIntegerField(_("member"), null=True, blank=True, db_index=True)
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("programme")
    )
    starts_on = models.DateField(_("starts on"))
    leaves_on = models.DateField(_("leaves at the age limit on"))
    ends_on = models.DateField(_("left on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=EnrolmentState.choices, default=EnrolmentState.ACTIVE)
    leave_reason = models.CharField(_("reason for leaving"), max_length=16, choices=LeaveReason.choices, blank=True)
    age_out_warned_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("age-limit warning sent at")
    )

    class Meta:
        ordering = ["programme", "leaves_on"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.CheckConstraint(condition=Q(state__in=EnrolmentState.values), name="care_enrol_state_valid"),
            models.CheckConstraint(
                condition=Q(state="active", ends_on__isnull=True, leave_reason="")
                | (Q(state="left", ends_on__isnull=False) & ~Q(leave_reason="")),
                name="care_enrol_left_has_date_and_reason",
            ),
            models.CheckConstraint(condition=Q(leaves_on__gt=F("starts_on")), name="care_enrol_dates"),
        ]
        indexes = [models.Index(fields=["programme", "state"], name="care_enrol_prog_state")]

    def __str__(self) -> str:
        return str(self.application)


class OfferState(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


class PlaceOffer(models.Model):
    """A freed place offered to the first child of the waiting list, to accept by `deadline`."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="offers", verbose_name=_("application")
    )
    member_id = models.BigIntegerField(_("member"), null=True, blank=True, db_index=True)
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="offers", verbose_name=_("programme")
    )
    offered_at = models.DateTimeField(_("offered at"))
    deadline = models.DateField(_("answer by"))
    state = models.CharField(_("state"), max_length=8, choices=OfferState.choices, default=OfferState.OFFERED)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    score = models.IntegerField(_("score when offered"), default=0)

    class Meta:
        ordering = ["-offered_at"]
        verbose_name = _("place offer")
        verbose_name_plural = _("place offers")
        constraints = [
            models.CheckConstraint(condition=Q(state__in=OfferState.values), name="care_offer_state_valid"),
            models.UniqueConstraint(
                fields=["application"], condition=Q(state="offered"), name="care_offer_one_open_per_application"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} ({self.deadline})"
