"""Weekly plans, timetables, sessions, attendance, progress notes, billing.

A timetable is one version of a centre's week (TimetableEntry rows, in the solver's day/slot terms);
it goes generating → draft → published → archived through care.services_week.TIMETABLE_TRANSITIONS.
Sessions are the dated occurrences of a published timetable's entries; attended ones are billed
once a month to basic insurance as claim files of the centre (CareBill, one per child and month).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from care.models.centres import DAYS_PER_WEEK, SLOTS_PER_DAY

__all__ = [
    "ABSENCE_REASONS",
    "CANCEL_REASONS",
    "AttendanceReason",
    "AttendanceState",
    "CareBill",
    "PlanItem",
    "ProgressNote",
    "Session",
    "Timetable",
    "TimetableEntry",
    "TimetableShortfall",
    "TimetableState",
]


class PlanItem(models.Model):
    """A child's week for one therapy: `sessions` sessions of `length` slots (30 minutes each)."""

    enrolment = models.ForeignKey(
        "care.Enrolment", on_delete=models.CASCADE, related_name="plan_items", verbose_name=_("enrolment")
    )
    member_id = models.BigIntegerField(_("member"), null=True, blank=True, db_index=True)
    therapy = models.ForeignKey("care.Therapy", verbose_name=_("therapy"), on_delete=models.PROTECT, related_name="+")
    sessions = models.PositiveSmallIntegerField(_("sessions a week"))
    length = models.PositiveSmallIntegerField(_("length (30-minute slots)"))

    class Meta:
        ordering = ["enrolment", "therapy__code"]
        verbose_name = _("weekly plan item")
        verbose_name_plural = _("weekly plan")
        permissions = [("plan_week", _("Can plan the week (plans, timetables, sessions)"))]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "therapy"], name="care_plan_one_per_therapy"),
            # At most one session of a therapy a day: a week holds at most DAYS_PER_WEEK of them.
            models.CheckConstraint(
                condition=Q(sessions__gte=1, sessions__lte=DAYS_PER_WEEK), name="care_plan_sessions_range"
            ),
            models.CheckConstraint(condition=Q(length__gte=1, length__lte=SLOTS_PER_DAY), name="care_plan_length"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} {self.therapy} {self.sessions}×{self.length}"


class TimetableState(models.TextChoices):
    GENERATING = "generating", _("Being generated")
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")
    FAILED = "failed", _("Generation failed")
    DISCARDED = "discarded", _("Discarded")


class Timetable(models.Model):
    """One version of a centre's weekly timetable; at most one published per centre."""

    centre = models.ForeignKey(
        "care.Centre", on_delete=models.PROTECT, related_name="timetables", verbose_name=_("centre")
    )
    version = models.PositiveIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=12, choices=TimetableState.choices, default=TimetableState.DRAFT)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("based on")
    )
    time_limit = models.PositiveIntegerField(_("solver time limit (seconds)"), default=30)
    seed = models.PositiveIntegerField(_("solver seed"), default=0)
    solver_status = models.CharField(_("solver status"), max_length=12, blank=True)
    solver_seconds = models.DecimalField(_("solver time (s)"), max_digits=8, decimal_places=2, null=True, blank=True)
    job_id = models.BigIntegerField(_("job"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        ordering = ["centre", "-version"]
        verbose_name = _("timetable")
        verbose_name_plural = _("timetables")
        permissions = [("view_care_reports", _("Can see the centres' reports"))]
        constraints = [
            models.UniqueConstraint(fields=["centre", "version"], name="care_timetable_version_unique"),
            models.UniqueConstraint(
                fields=["centre"], condition=Q(state="published"), name="care_timetable_one_published"
            ),
            models.CheckConstraint(condition=Q(state__in=TimetableState.values), name="care_timetable_state_valid"),
            models.CheckConstraint(
                condition=~Q(state__in=["published", "archived"]) | Q(published_at__isnull=False),
                name="care_timetable_published_stamped",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre} v{self.version}"


class TimetableEntry(models.Model):
    """A weekly session: a child's therapy with a therapist in a room, `length` slots from `start` on `day`."""

    timetable = models.ForeignKey(
        Timetable, on_delete=models.CASCADE, related_name="entries", verbose_name=_("timetable")
    )
    enrolment = models.ForeignKey(
        "care.Enrolment", on_delete=models.PROTECT, related_name="+", verbose_name=_("enrolment")
    )
    member_id = models.BigIntegerField(_("member"), null=True, blank=True)
    therapy = models.ForeignKey("care.Therapy", on_delete=models.PROTECT, related_name="+", verbose_name=_("therapy"))
    therapist = models.ForeignKey(
        "care.StaffMember", on_delete=models.PROTECT, related_name="timetable_entries", verbose_name=_("therapist")
    )
    room = models.ForeignKey("care.Room", on_delete=models.PROTECT, related_name="+", verbose_name=_("room"))
    day = models.PositiveSmallIntegerField(_("day"))
    start = models.PositiveSmallIntegerField(_("first slot"))
    length = models.PositiveSmallIntegerField(_("slots"))

    class Meta:
        ordering = ["timetable", "day", "start", "id"]
        verbose_name = _("timetable entry")
        verbose_name_plural = _("timetable entries")
        indexes = [models.Index(fields=["timetable", "enrolment"], name="care_entry_tt_child")]
        constraints = [
            models.CheckConstraint(condition=Q(day__lte=DAYS_PER_WEEK - 1), name="care_entry_day"),
            models.CheckConstraint(
                condition=Q(length__gte=1, start__lte=SLOTS_PER_DAY - F("length")), name="care_entry_slots"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.timetable} d{self.day} s{self.start}+{self.length}"

    @property
    def end(self) -> int:
        return self.start + self.length


class TimetableShortfall(models.Model):
    """A plan the timetable could not meet: `missing` sessions of `length` slots of a therapy."""

    timetable = models.ForeignKey(
        Timetable, on_delete=models.CASCADE, related_name="shortfalls", verbose_name=_("timetable")
    )
    enrolment = models.ForeignKey(
        "care.Enrolment", on_delete=models.PROTECT, related_name="+", verbose_name=_("enrolment")
    )
    therapy = models.ForeignKey("care.Therapy", on_delete=models.PROTECT, related_name="+", verbose_name=_("therapy"))
    length = models.PositiveSmallIntegerField(_("slots"))
    missing = models.PositiveSmallIntegerField(_("sessions missing"))

    class Meta:
        ordering = ["timetable", "enrolment", "therapy"]
        verbose_name = _("timetable shortfall")
        verbose_name_plural = _("timetable shortfalls")
        constraints = [
            models.UniqueConstraint(fields=["timetable", "enrolment", "therapy", "length"], name="care_short_unique"),
            models.CheckConstraint(condition=Q(missing__gte=1), name="care_short_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.timetable} {self.enrolment} {self.therapy} -{self.missing}"


class AttendanceState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    CANCELLED = "cancelled", _("Cancelled by the centre")


class AttendanceReason(models.TextChoices):
    # A child's absence
    ILLNESS = "illness", _("Illness")
    MEDICAL = "medical", _("Medical appointment")
    FAMILY = "family", _("Family reason")
    TRANSPORT = "transport", _("No transport")
    UNEXPLAINED = "unexplained", _("No reason given")
    # The centre's cancellation
    THERAPIST_ABSENT = "therapist_absent", _("Therapist absent")
    ROOM_UNAVAILABLE = "room_unavailable", _("Room unavailable")
    CENTRE_CLOSED = "centre_closed", _("Centre closed")
    OTHER = "other", _("Other reason")


ABSENCE_REASONS = ("illness", "medical", "family", "transport", "unexplained", "other")
CANCEL_REASONS = ("therapist_absent", "room_unavailable", "centre_closed", "other")


class Session(models.Model):
    """A dated session of a published timetable's entry, with its attendance."""

    centre = models.ForeignKey("care.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre"))
    timetable = models.ForeignKey(
        Timetable, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("timetable")
    )
    entry = models.ForeignKey(
        TimetableEntry, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("timetable entry")
    )
    enrolment = models.ForeignKey(
        "care.Enrolment", on_delete=models.PROTECT, related_name="sessions", verbose_name=_("enrolment")
    )
    member_id = models.BigIntegerField(_("member"), null=True, blank=True, db_index=True)
    therapy = models.ForeignKey("care.Therapy", verbose_name=_("therapy"), on_delete=models.PROTECT, related_name="+")
    therapist = models.ForeignKey(
        "care.StaffMember", on_delete=models.PROTECT, related_name="sessions", verbose_name=_("therapist")
    )
    room = models.ForeignKey("care.Room", on_delete=models.PROTECT, related_name="+", verbose_name=_("room"))
    date = models.DateField(_("date"))
    start = models.PositiveSmallIntegerField(_("first slot"))
    length = models.PositiveSmallIntegerField(_("slots"))
    state = models.CharField(
        _("attendance"), max_length=10, choices=AttendanceState.choices, default=AttendanceState.PLANNED
    )
    reason = models.CharField(_("reason"), max_length=20, choices=AttendanceReason.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    bill = models.ForeignKey(
        "care.CareBill",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("bill"),
    )

    class Meta:
        ordering = ["date", "start", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        permissions = [("record_attendance", _("Can record attendance"))]
        indexes = [
            models.Index(fields=["centre", "date"], name="care_session_centre_day"),
            models.Index(fields=["therapist", "date"], name="care_session_therapist_day"),
            models.Index(fields=["enrolment", "date"], name="care_session_child_day"),
        ]
        constraints = [
            # Generating the sessions of a date twice makes nothing more.
            models.UniqueConstraint(fields=["entry", "date"], name="care_session_once_per_date"),
            models.CheckConstraint(condition=Q(state__in=AttendanceState.values), name="care_session_state_valid"),
            models.CheckConstraint(
                condition=(Q(state__in=["planned", "present"]) & Q(reason=""))
                | Q(state="absent", reason__in=ABSENCE_REASONS)
                | Q(state="cancelled", reason__in=CANCEL_REASONS),
                name="care_session_reason_fits_state",
            ),
            models.CheckConstraint(
                condition=Q(bill__isnull=True) | Q(state="present"), name="care_session_bill_present"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} {self.therapy} {self.date}"


class ProgressNote(models.Model):
    """A therapist's note on a child's progress. Medical: for the child's therapists and medical roles."""

    AUDIT_MASKED_FIELDS = ("text",)

    enrolment = models.ForeignKey(
        "care.Enrolment", on_delete=models.PROTECT, related_name="progress_notes", verbose_name=_("enrolment")
    )
    member_id = models.BigIntegerField(_("member"), null=True, blank=True, db_index=True)
    therapy = models.ForeignKey("care.Therapy", verbose_name=_("therapy"), on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, null=True, blank=True, related_name="notes", verbose_name=_("session")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    written_on = models.DateField(_("date"))
    written_at = models.DateTimeField(_("written at"), auto_now_add=True)
    text = models.TextField(_("note"))
    # Written for the parents' quarterly report (the others stay inside the centre).
    for_parents = models.BooleanField(_("for the parents' report"), default=False)

    class Meta:
        ordering = ["enrolment", "-written_on", "-id"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="care_note_not_empty")]

    def __str__(self) -> str:
        return f"{self.enrolment} {self.therapy} {self.written_on}"


class CareBill(models.Model):
    """A child's attended sessions of one month, billed to basic insurance as one claim file of the centre."""

    centre = models.ForeignKey("care.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre"))
    enrolment = models.ForeignKey(
        "care.Enrolment", on_delete=models.PROTECT, related_name="bills", verbose_name=_("enrolment")
    )
    member_id = models.BigIntegerField(_("member"), db_index=True)
    month = models.DateField(_("month"))
    claim = models.OneToOneField(
        "claims.ClaimFile", on_delete=models.PROTECT, related_name="care_bill", verbose_name=_("claim")
    )
    session_count = models.PositiveIntegerField(_("sessions"))
    amount = models.DecimalField(_("billed (MAD)"), max_digits=10, decimal_places=2)
    amo = models.DecimalField(_("basic insurance (MAD)"), max_digits=10, decimal_places=2, null=True, blank=True)
    complementary = models.DecimalField(
        _("complementary (MAD)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    # What the family still owes: billed minus what basic and complementary cover (the claim's remainder).
    family_contribution = models.DecimalField(
        _("family contribution (MAD)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-month", "enrolment"]
        verbose_name = _("care bill")
        verbose_name_plural = _("care bills")
        permissions = [("bill_sessions", _("Can bill the centre's sessions to basic insurance"))]
        constraints = [
            # Billing a month twice bills nothing more.
            models.UniqueConstraint(fields=["enrolment", "month"], name="care_bill_one_per_child_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="care_bill_month_first_day"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="care_bill_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} {self.month:%Y-%m}"
