"""The centres' reports (occupancy, waiting list, attendance), a child's quarter, bills; XLSX via mutuelle.spreadsheet.

Rates are computed in integers and rounded half up to a tenth of a percent (no float). Counts are
made with one aggregate query per figure, whatever the number of programmes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from care.models import (
    Application,
    ApplicationState,
    AttendanceState,
    CareBill,
    Centre,
    Enrolment,
    EnrolmentState,
    Programme,
    Session,
)
from care.selectors_centres import centres_visible
from mutuelle.spreadsheet import workbook_new, xlsx_bytes


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole in percent, one decimal, half up: 2 of 3 → 66.7; None when whole is 0."""
    if whole <= 0:
        return None
    return (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, 3 * quarter - 2, 1)
    nxt = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return first, nxt - dt.timedelta(days=1)


@dataclass(frozen=True)
class QuarterRow:
    therapy: str
    therapists: str
    planned: int  # every session of the quarter, whatever happened
    present: int
    absent: int
    cancelled: int

    @property
    def rate(self) -> Decimal | None:
        """Attendance: present out of the sessions the centre held (cancelled ones are not the child's)."""
        return percent(self.present, self.present + self.absent)


def child_quarter(*, enrolment: Enrolment, first: dt.date, last: dt.date) -> list[QuarterRow]:
    rows = Session.objects.filter(enrolment=enrolment, date__gte=first, date__lte=last).select_related(
        "therapy", "therapist"
    )
    by: dict[int, dict[str, Any]] = {}
    for s in rows:
        row = by.setdefault(
            s.therapy_id, {"therapy": s.therapy.name, "names": [], "counts": dict.fromkeys(AttendanceState.values, 0)}
        )
        row["counts"][s.state] += 1
        if s.therapist.full_name not in row["names"]:
            row["names"].append(s.therapist.full_name)
    return [
        QuarterRow(therapy=r["therapy"], therapists=", ".join(r["names"]), planned=sum(r["counts"].values()),
                   present=r["counts"]["present"], absent=r["counts"]["absent"], cancelled=r["counts"]["cancelled"])
        for r in sorted(by.values(), key=lambda r: r["therapy"])
    ]  # fmt: skip


def sessions_recent(*, enrolment: Enrolment, until: dt.date, limit: int = 20) -> QuerySet[Session]:
    return (
        Session.objects.filter(enrolment=enrolment, date__lte=until)
        .select_related("therapy", "therapist")
        .order_by("-date", "-start")[:limit]
    )


def bills_of_centre(*, centre: Centre, limit: int = 200) -> QuerySet[CareBill]:
    return (
        CareBill.objects.filter(centre=centre)
        .select_related("enrolment__application", "claim")
        .order_by("-month", "pk")[:limit]
    )


# ---- the reports ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeRow:
    centre: str
    programme: str
    capacity: int
    enrolled: int
    waiting: int
    waiting_days_avg: int | None  # of the children waiting on the day
    waiting_days_max: int | None
    admitted: int  # enrolments that started in the period after a wait
    waited_days_avg: int | None  # their days on the waiting list
    planned: int  # sessions of the period
    present: int
    absent: int
    cancelled: int

    @property
    def occupancy(self) -> Decimal | None:
        return percent(self.enrolled, self.capacity)

    @property
    def attendance(self) -> Decimal | None:
        return percent(self.present, self.present + self.absent)

    @property
    def occupancy_bar(self) -> int:
        """The chart's bar, 0 to 100 (an overfull programme is drawn full)."""
        return min(100, int(self.occupancy or 0))

    @property
    def attendance_bar(self) -> int:
        return min(100, int(self.attendance or 0))


def _avg(values: list[int]) -> int | None:
    """The mean in whole days, half up."""
    if not values:
        return None
    return int((Decimal(sum(values)) / Decimal(len(values))).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def centres_report(
    *, user: Any, first: dt.date, last: dt.date, on: dt.date, centre: int | None = None
) -> list[ProgrammeRow]:
    """Per programme of the user's centres: places, occupancy on `on`, the waiting list on `on` and the
    waits of children admitted from `first` to `last`, and attendance of that period."""
    centres = centres_visible(user=user)
    if centre is not None:
        centres = centres.filter(pk=centre)
    active = Q(enrolments__state=EnrolmentState.ACTIVE, enrolments__starts_on__lte=on)
    programmes = list(
        Programme.objects.filter(centre__in=centres)
        .select_related("centre")
        .annotate(enrolled=Count("enrolments", filter=active, distinct=True))
        .order_by("centre__code", "code")
    )
    ids = [p.pk for p in programmes]
    waiting: dict[int, list[int]] = {}
    for pid, since in Application.objects.filter(programme_id__in=ids, state=ApplicationState.WAITING).values_list(
        "programme_id", "waiting_since"
    ):
        if since is not None:
            waiting.setdefault(pid, []).append(max(0, (on - timezone.localdate(since)).days))
    waited: dict[int, list[int]] = {}
    for pid, starts, since in Enrolment.objects.filter(
        programme_id__in=ids, starts_on__gte=first, starts_on__lte=last, application__waiting_since__isnull=False
    ).values_list("programme_id", "starts_on", "application__waiting_since"):
        if since is not None:
            waited.setdefault(pid, []).append(max(0, (starts - timezone.localdate(since)).days))
    counts: dict[int, dict[str, int]] = {}
    for pid, state, n in (
        Session.objects.filter(enrolment__programme_id__in=ids, date__gte=first, date__lte=last)
        .values_list("enrolment__programme_id", "state")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts.setdefault(pid, dict.fromkeys(AttendanceState.values, 0))[state] = n
    rows = []
    for p in programmes:
        c = counts.get(p.pk, dict.fromkeys(AttendanceState.values, 0))
        w, d = waiting.get(p.pk, []), waited.get(p.pk, [])
        rows.append(
            ProgrammeRow(
                centre=p.centre.name, programme=p.name, capacity=p.capacity, enrolled=p.enrolled,  # type: ignore[attr-defined]
                waiting=len(w), waiting_days_avg=_avg(w), waiting_days_max=max(w) if w else None,
                admitted=len(d), waited_days_avg=_avg(d), planned=sum(c.values()), present=c["present"],
                absent=c["absent"], cancelled=c["cancelled"],
            )
        )  # fmt: skip
    return rows


HEADERS = [
    _("Centre"), _("Programme"), _("Places"), _("Enrolled"), _("Occupancy (%)"), _("Waiting"),
    _("Average wait so far (days)"), _("Longest wait so far (days)"), _("Admitted in the period"),
    _("Average wait of those admitted (days)"), _("Sessions"), _("Present"), _("Absent"), _("Cancelled by the centre"),
    _("Attendance (%)"),
]  # fmt: skip


def centres_report_xlsx(rows: list[ProgrammeRow], *, first: dt.date, last: dt.date, on: dt.date) -> bytes:
    wb = workbook_new()
    ws = wb.create_sheet(str(_("Centres")))
    ws.append([str(_("Period")), first, last, str(_("Situation on")), on])
    ws.append([str(h) for h in HEADERS])
    for r in rows:
        ws.append([r.centre, r.programme, r.capacity, r.enrolled, r.occupancy, r.waiting, r.waiting_days_avg,
                   r.waiting_days_max, r.admitted, r.waited_days_avg, r.planned, r.present, r.absent, r.cancelled,
                   r.attendance])  # fmt: skip
    return xlsx_bytes(wb)
