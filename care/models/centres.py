"""Centres, programmes and their waiting-list rules, therapies, rooms, staff, group classes.

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
    "Centre",
    "CentreHours",
    "GroupClass",
    "Programme",
    "ProgrammeRule",
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

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="hours", verbose_name=_("centre"))
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
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("centre"))
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

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="rules", verbose_name=_("programme")
    )
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
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("centre"))
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

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="staff", verbose_name=_("centre"))
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

    staff = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="availability", verbose_name=_("staff")
    )
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

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="group_classes", verbose_name=_("programme")
    )
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
