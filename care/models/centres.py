"""Centres, programmes, therapies, rooms, staff, group classes, applications, enrolment, waiting list.

A slot is 30 minutes counted from the centre's opening on that weekday; a day has SLOTS_PER_DAY of
them (8 hours). Days count from 0 (Monday) to 4 (Friday), as in the solver's JSON format.

The rules a decision can change (waiting-list weights, the offer's deadline, the months of notice
before a child ages out) are dated rows (ProgrammeRule), never constants: a new row applies from its
date on and leaves the past as it was.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from members.models import Region

__all__ = [
    "DAYS_PER_WEEK",
    "SLOTS_PER_DAY",
    "Application",
    "ApplicationChannel",
    "ApplicationState",
    "Centre",
    "CentreHours",
    "Enrolment",
    "EnrolmentState",
    "GroupClass",
    "LeaveReason",
    "OfferState",
    "PlaceOffer",
    "Programme",
    "ProgrammeRule",
    "RefusalReason",
    "Room",
    "StaffAvailability",
    "StaffKind",
    "StaffMember",
    "Therapy",
    "Weekday",
]

SLOTS_PER_DAY = 16
DAYS_PER_WEEK = 5


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")


class _Bilingual(models.Model):
    """Rows named in Arabic and French: `name` is the one of the page's language."""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        names: dict[str, str] = {k: str(getattr(self, f"name_{k}", "") or "") for k in ("ar", "fr", "en")}
        lang = (get_language() or "ar")[:2]
        order = {"ar": ("ar", "fr"), "en": ("en", "fr", "ar")}.get(lang, ("fr", "ar"))
        return next((names[k] for k in order if names[k]), "")


class Therapy(_Bilingual):
    """A kind of session: speech therapy, psychomotricity, ... Seeded by migration 0002."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=100)
    name_fr = models.CharField(_("name (French)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    # The act (referentials.Act code) a session is billed under to basic insurance, if any.
    act_code = models.CharField(_("billed as act"), max_length=20, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("therapy")
        verbose_name_plural = _("therapies")


class Centre(_Bilingual):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("region"), max_length=2, choices=Region.choices)
    # The centre bills basic insurance as a provider under its own INPE.
    provider = models.OneToOneField(
        "accounts.Provider",
        verbose_name=_("provider (INPE)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_centre",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        permissions = [("view_all_centres", _("Can see every centre"))]

    @property
    def inpe(self) -> str:
        return self.provider.inpe if self.provider is not None else ""


class CentreHours(models.Model):
    """Opening hours of one weekday; slot 0 starts at `opens_at`."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))

    class Meta:
        ordering = ["centre", "weekday"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.UniqueConstraint(fields=["centre", "weekday"], name="care_hours_one_per_day"),
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="care_hours_close_after_open"),
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=4), name="care_hours_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.centre} {self.weekday}"


class Programme(_Bilingual):
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="programmes")
    code = models.SlugField(_("code"), max_length=32)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    capacity = models.PositiveIntegerField(_("places"))
    # Ages in whole years: a child is admitted from age_min and leaves on the day it turns age_max + 1.
    age_min = models.PositiveSmallIntegerField(_("minimum age"))
    age_max = models.PositiveSmallIntegerField(_("maximum age"))

    class Meta:
        ordering = ["centre", "code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.UniqueConstraint(fields=["centre", "code"], name="care_programme_code_unique"),
            models.CheckConstraint(condition=Q(age_max__gte=F("age_min")), name="care_programme_age_range"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="care_programme_capacity_positive"),
        ]


class ProgrammeRule(models.Model):
    """The waiting-list weights and notice periods of a programme, from a date on.

    A child's score is, in days: the days since filing
    + `age_bonus_days` for each month it is closer than `age_window_months` to leaving age
    − `partner_penalty_days` when it is a child of a partner mutual.
    The highest score is offered the next place; ties go to the earliest filing.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="rules")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    age_window_months = models.PositiveSmallIntegerField(_("age window (months)"), default=36)
    age_bonus_days = models.PositiveSmallIntegerField(_("days of priority per month in the window"), default=10)
    partner_penalty_days = models.PositiveSmallIntegerField(_("days less for partner mutuals"), default=90)
    offer_deadline_days = models.PositiveSmallIntegerField(_("days to accept an offer"), default=10)
    age_out_notice_months = models.PositiveSmallIntegerField(_("months of notice before the age limit"), default=3)

    class Meta:
        ordering = ["programme", "valid_from"]
        verbose_name = _("waiting-list rule")
        verbose_name_plural = _("waiting-list rules")
        constraints = [
            models.UniqueConstraint(fields=["programme", "valid_from"], name="care_rule_one_per_date"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")), name="care_rule_dates"
            ),
            models.CheckConstraint(condition=Q(offer_deadline_days__gt=0), name="care_rule_deadline_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} ({self.valid_from})"


class Room(models.Model):
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="rooms")
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    therapies = models.ManyToManyField(Therapy, verbose_name=_("therapies"), related_name="rooms", blank=True)

    class Meta:
        ordering = ["centre", "code"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [models.UniqueConstraint(fields=["centre", "code"], name="care_room_code_unique")]

    def __str__(self) -> str:
        return self.name


class StaffKind(models.TextChoices):
    THERAPIST = "therapist", _("Therapist")
    COORDINATOR = "coordinator", _("Coordinator")


class StaffMember(models.Model):
    """Someone working at a centre; `user` is their login (a therapist's, a coordinator's), if any."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="care_staff",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=StaffKind.choices, default=StaffKind.THERAPIST)
    code = models.SlugField(_("code"), max_length=32)
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name_ar = models.CharField(_("last name (Arabic)"), max_length=100)
    first_name_ar = models.CharField(_("first name (Arabic)"), max_length=100)
    therapies = models.ManyToManyField(Therapy, verbose_name=_("therapies"), related_name="staff", blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["centre", "last_name", "first_name"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        constraints = [
            models.UniqueConstraint(fields=["centre", "code"], name="care_staff_code_unique"),
            models.CheckConstraint(condition=Q(kind__in=StaffKind.values), name="care_staff_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        if (get_language() or "ar")[:2] == "ar":
            return f"{self.first_name_ar} {self.last_name_ar}"
        return f"{self.first_name} {self.last_name}"


class StaffAvailability(models.Model):
    """A staff member is available on `day` from `start_slot` up to, not including, `end_slot`."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="availability")
    day = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start_slot = models.PositiveSmallIntegerField(_("first slot"))
    end_slot = models.PositiveSmallIntegerField(_("end slot"))

    class Meta:
        ordering = ["staff", "day", "start_slot"]
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        constraints = [
            models.CheckConstraint(condition=Q(day__gte=0, day__lte=DAYS_PER_WEEK - 1), name="care_avail_day"),
            models.CheckConstraint(
                condition=Q(end_slot__gt=F("start_slot"), end_slot__lte=SLOTS_PER_DAY), name="care_avail_slots"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.day} {self.start_slot}-{self.end_slot}"


class GroupClass(models.Model):
    """A class the whole programme attends: its children have no session then."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="group_classes")
    name = models.CharField(_("name"), max_length=100)
    day = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start_slot = models.PositiveSmallIntegerField(_("first slot"))
    length = models.PositiveSmallIntegerField(_("slots"))

    class Meta:
        ordering = ["programme", "day", "start_slot"]
        verbose_name = _("group class")
        verbose_name_plural = _("group classes")
        constraints = [
            models.CheckConstraint(condition=Q(day__gte=0, day__lte=DAYS_PER_WEEK - 1), name="care_class_day"),
            models.CheckConstraint(
                condition=Q(length__gt=0, start_slot__lte=SLOTS_PER_DAY - F("length")), name="care_class_slots"
            ),
        ]

    def __str__(self) -> str:
        return self.name


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
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="applications")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="applications")
    state = models.CharField(
        _("state"), max_length=24, choices=ApplicationState.choices, default=ApplicationState.FILED
    )
    filed_at = models.DateTimeField(_("filed at"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
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
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
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

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="enrolment")
    beneficiary = models.ForeignKey(
        "members.Beneficiary", on_delete=models.PROTECT, null=True, blank=True, related_name="care_enrolments"
    )
    member_id = models.BigIntegerField(_("member"), null=True, blank=True, db_index=True)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="enrolments")
    starts_on = models.DateField(_("starts on"))
    leaves_on = models.DateField(_("leaves at the age limit on"))
    ends_on = models.DateField(_("left on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=EnrolmentState.choices, default=EnrolmentState.ACTIVE)
    leave_reason = models.CharField(_("reason for leaving"), max_length=16, choices=LeaveReason.choices, blank=True)
    age_out_warned_at = models.DateTimeField(null=True, blank=True, editable=False)

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

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="offers")
    member_id = models.BigIntegerField(_("member"), null=True, blank=True, db_index=True)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="offers")
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
