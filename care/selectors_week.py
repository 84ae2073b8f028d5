"""Reads of the week: plans, the solver's instance of a centre, timetables as grids, a therapist's day.

The instance follows the solver's JSON format exactly (care.solver.instance_parse reads it): ids are
`E<enrolment>`, `S<staff member>`, `R<room>` and therapies their codes, so a solution maps back to rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from audit.services import AuditAction, audit_record
from care import solver
from care.models import (
    DAYS_PER_WEEK,
    SLOTS_PER_DAY,
    Centre,
    Enrolment,
    EnrolmentState,
    GroupClass,
    PlanItem,
    ProgressNote,
    Room,
    Session,
    StaffKind,
    StaffMember,
    Therapy,
    Timetable,
    TimetableEntry,
    TimetableState,
)
from care.selectors_centres import care_medical_allowed, centres_visible

SLOT_MINUTES = 30
NOTES_MEDICAL = "claims.view_medical"


def user_of(actor: Any) -> Any:
    """The user row to stamp (created_by, recorded_by...): None for the system or an anonymous user."""
    return actor if getattr(actor, "pk", None) else None


def child_id(pk: int) -> str:
    return f"E{pk}"


def therapist_id(pk: int) -> str:
    return f"S{pk}"


def room_id(pk: int) -> str:
    return f"R{pk}"


def id_pk(value: str) -> int:
    """The row's pk of an instance id (`E12` → 12)."""
    return int(value[1:])


def centre_for_planning(*, user: Any, pk: int) -> Centre:
    """A centre the user plans (care.plan_week and on its staff, or every centre); 404 otherwise."""
    if user is None or not user.has_perm("care.plan_week"):
        raise Http404
    centre = centres_visible(user=user).select_related("provider").filter(pk=pk).first()
    if centre is None:
        raise Http404
    return centre


def enrolments_active(*, centre: Centre, on: dt.date | None = None) -> QuerySet[Enrolment]:
    qs = Enrolment.objects.filter(programme__centre=centre, state=EnrolmentState.ACTIVE)
    if on is not None:
        qs = qs.filter(starts_on__lte=on, leaves_on__gt=on)
    return qs.select_related("application", "programme", "beneficiary").order_by("programme__code", "id")


def plans_of_centre(*, centre: Centre) -> list[Enrolment]:
    """The centre's active children, each with its plan items (`plan`) and weekly slots planned."""
    items = PlanItem.objects.select_related("therapy").order_by("therapy__code")
    rows = list(enrolments_active(centre=centre).prefetch_related(Prefetch("plan_items", queryset=items)))
    for row in rows:
        row.plan = list(row.plan_items.all())  # type: ignore[attr-defined]
        row.plan_slots = sum(i.sessions * i.length for i in row.plan)  # type: ignore[attr-defined]
    return rows


def plans_of_child(*, enrolment: Enrolment) -> QuerySet[PlanItem]:
    return PlanItem.objects.filter(enrolment=enrolment).select_related("therapy").order_by("therapy__code")


def open_slots(centre: Centre) -> dict[int, int]:
    """Slots open on each weekday (slot 0 at opening, 30 minutes each, at most SLOTS_PER_DAY)."""
    out: dict[int, int] = {}
    for hours in centre.hours.all():
        opens = dt.datetime.combine(dt.date(2000, 1, 3), hours.opens_at)
        closes = dt.datetime.combine(dt.date(2000, 1, 3), hours.closes_at)
        out[hours.weekday] = min(SLOTS_PER_DAY, int((closes - opens).total_seconds()) // (SLOT_MINUTES * 60))
    return out


@dataclass
class WeekInstance:
    """A centre's week for the solver (`data`, the JSON format) and the rows its ids stand for."""

    data: dict[str, Any]
    enrolments: dict[int, Enrolment]
    staff: dict[int, StaffMember]
    rooms: dict[int, Room]
    therapies: dict[str, Therapy]
    classes: dict[int, list[GroupClass]] = field(default_factory=dict)  # by programme

    def parsed(self) -> solver.Instance:
        return solver.instance_parse(self.data)


def week_instance(*, centre: Centre) -> WeekInstance:
    """The solver's instance of the centre's week: its rooms, active therapists (their availability
    within opening hours), active children (open hours minus their programme's group classes) and plans."""
    open_by_day = open_slots(Centre.objects.prefetch_related("hours").get(pk=centre.pk))
    open_set = {(d, s) for d, n in open_by_day.items() if d < DAYS_PER_WEEK for s in range(n)}
    therapies = {t.code: t for t in Therapy.objects.all()}
    rooms = {r.pk: r for r in Room.objects.filter(centre=centre).prefetch_related("therapies")}
    staff = {
        s.pk: s
        for s in StaffMember.objects.filter(centre=centre, active=True, kind=StaffKind.THERAPIST)
        .select_related("user")
        .prefetch_related("therapies", "availability")
    }
    enrolments = {e.pk: e for e in plans_of_centre(centre=centre)}
    classes: dict[int, list[GroupClass]] = {}
    for gc in GroupClass.objects.filter(programme__centre=centre):
        classes.setdefault(gc.programme_id, []).append(gc)

    def slots(pairs: set[tuple[int, int]]) -> list[list[int]]:
        return [[d, s] for d, s in sorted(pairs)]

    therapists = []
    for s in staff.values():
        free = {(a.day, k) for a in s.availability.all() for k in range(a.start_slot, a.end_slot)} & open_set
        codes = [t.code for t in s.therapies.all()]
        therapists.append({"id": therapist_id(s.pk), "therapies": codes, "available": slots(free)})
    children = []
    for e in enrolments.values():
        busy = {
            (gc.day, k)
            for gc in classes.get(e.programme_id, [])
            for k in range(gc.start_slot, gc.start_slot + gc.length)
        }
        plan = [{"therapy": i.therapy.code, "sessions": i.sessions, "length": i.length} for i in e.plan]  # type: ignore[attr-defined]
        children.append({"id": child_id(e.pk), "available": slots(open_set - busy), "plan": plan})
    data = {
        "days": DAYS_PER_WEEK,
        "slots_per_day": SLOTS_PER_DAY,
        "therapies": sorted(therapies),
        "rooms": [{"id": room_id(r.pk), "therapies": [t.code for t in r.therapies.all()]} for r in rooms.values()],
        "therapists": therapists,
        "children": children,
    }
    return WeekInstance(data, enrolments, staff, rooms, therapies, classes)


def entry_session(entry: TimetableEntry) -> solver.Session:
    return solver.Session(
        child=child_id(entry.enrolment_id),
        therapy=entry.therapy.code,
        therapist=therapist_id(entry.therapist_id),
        room=room_id(entry.room_id),
        day=entry.day,
        start=entry.start,
        length=entry.length,
    )


def timetables_of_centre(*, centre: Centre) -> QuerySet[Timetable]:
    return Timetable.objects.filter(centre=centre).select_related("created_by", "published_by").order_by("-version")


def timetable_get(*, user: Any, pk: int) -> Timetable:
    """A timetable of a centre the user plans, with its entries' rows; 404 otherwise."""
    tt = Timetable.objects.select_related("centre", "created_by", "published_by").filter(pk=pk).first()
    if tt is None:
        raise Http404
    centre_for_planning(user=user, pk=tt.centre_id)
    return tt


def timetable_entries(*, timetable: Timetable) -> list[TimetableEntry]:
    return list(
        timetable.entries.select_related(
            "enrolment__application", "enrolment__programme", "therapy", "therapist", "room"
        ).order_by("day", "start", "id")
    )


def slot_label(centre: Centre, day: int, slot: int) -> str:
    """`08:30`: the time a slot starts on that day (slot 0 at the centre's opening)."""
    hours = next((h for h in centre.hours.all() if h.weekday == day), None)
    opens = hours.opens_at if hours is not None else dt.time(8, 30)
    start = dt.datetime.combine(dt.date(2000, 1, 3), opens) + dt.timedelta(minutes=SLOT_MINUTES * slot)
    return start.strftime("%H:%M")


@dataclass
class GridCell:
    entry: TimetableEntry | None = None
    rowspan: int = 1
    covered: bool = False  # inside a longer entry above it: no cell is drawn


@dataclass
class GridRow:
    slot: int
    time: str
    cells: list[GridCell]


def timetable_grid(*, entries: list[TimetableEntry], centre: Centre, axis: str, key: int) -> list[GridRow]:
    """A week grid (rows: slots, columns: days) of the entries of one therapist, room or child.

    `axis` is "therapist", "room" or "child"; an entry spans its slots (rowspan). Two entries of one
    key at once (a timetable that breaks a rule) keep the first; the move check prevents it."""
    field_name = {"therapist": "therapist_id", "room": "room_id", "child": "enrolment_id"}[axis]
    mine = [e for e in entries if getattr(e, field_name) == key]
    cells = [[GridCell() for _ in range(DAYS_PER_WEEK)] for _ in range(SLOTS_PER_DAY)]
    for e in mine:
        top = cells[e.start][e.day]
        if top.entry is not None or top.covered:
            continue
        top.entry, top.rowspan = e, e.length
        for k in range(e.start + 1, min(SLOTS_PER_DAY, e.start + e.length)):
            cells[k][e.day].covered = True
    return [GridRow(slot=s, time=slot_label(centre, 0, s), cells=cells[s]) for s in range(SLOTS_PER_DAY)]


def therapist_of_user(*, user: Any) -> QuerySet[StaffMember]:
    if user is None or not getattr(user, "is_authenticated", False):
        return StaffMember.objects.none()
    return StaffMember.objects.filter(user=user, active=True)


def sessions_of_day(*, user: Any, on: dt.date, centre: Centre | None = None) -> list[Session]:
    """The day's sessions a user follows: a therapist's own; a planner's of the centre (or all of theirs)."""
    qs = Session.objects.filter(date=on).select_related(
        "enrolment__application", "enrolment__programme", "therapy", "therapist", "room", "centre"
    )
    if centre is not None and user.has_perm("care.plan_week"):
        qs = qs.filter(centre=centre)
    elif user.has_perm("care.plan_week"):
        qs = qs.filter(centre__in=centres_visible(user=user))
    else:
        qs = qs.filter(therapist__user=user)
    return list(qs.order_by("start", "therapist__last_name", "id"))


def session_get(*, user: Any, pk: int) -> Session:
    """A session its therapist or a planner of its centre may record; 404 otherwise."""
    s = Session.objects.select_related("centre", "enrolment__application", "therapy", "therapist", "bill").filter(pk=pk)
    found = s.first()
    if found is None:
        raise Http404
    if found.therapist.user_id == getattr(user, "pk", None) and user.has_perm("care.record_attendance"):
        return found
    if user.has_perm("care.plan_week") and centres_visible(user=user).filter(pk=found.centre_id).exists():
        return found
    raise Http404


def is_therapist_of_child(*, user: Any, enrolment: Enrolment) -> bool:
    """Does the user follow this child: a session of theirs with it, or an entry of a published timetable?"""
    if not getattr(user, "is_authenticated", False):
        return False
    published = Q(timetable__state=TimetableState.PUBLISHED)
    return (
        Session.objects.filter(enrolment=enrolment, therapist__user=user).exists()
        or TimetableEntry.objects.filter(published, enrolment=enrolment, therapist__user=user).exists()
    )


def notes_allowed(*, user: Any, enrolment: Enrolment) -> bool:
    """Progress notes: the child's own therapists, and medical roles (claims.view_medical).

    Not care.view_care_medical alone: every therapist holds it (to assess applications), and a
    therapist reads the notes of the children they follow only."""
    return bool(user.has_perm(NOTES_MEDICAL)) or is_therapist_of_child(user=user, enrolment=enrolment)


def children_of_user(*, user: Any) -> QuerySet[Enrolment]:
    """The children a user may open: a planner's centres', a therapist's own."""
    base = Enrolment.objects.select_related("application", "programme__centre", "beneficiary")
    if user.has_perm(NOTES_MEDICAL):  # medical roles read the notes of every centre's children
        return base
    if user.has_perm("care.plan_week") or care_medical_allowed(user):
        return base.filter(programme__centre__in=centres_visible(user=user))
    staff = therapist_of_user(user=user)
    ids = TimetableEntry.objects.filter(timetable__state=TimetableState.PUBLISHED, therapist__in=staff)
    return base.filter(Q(pk__in=ids.values("enrolment_id")) | Q(sessions__therapist__in=staff)).distinct()


def enrolment_get(*, user: Any, pk: int) -> Enrolment:
    found = children_of_user(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def progress_notes_read(
    *, user: Any, enrolment: Enrolment, since: dt.date | None = None, until: dt.date | None = None,
    for_parents: bool = False,
) -> list[ProgressNote] | None:  # fmt: skip
    """The child's progress notes for its therapists and medical roles (None for anyone else); each read
    goes into the access log (AuditAction.VIEW_MEDICAL), the one write a GET makes."""
    if not notes_allowed(user=user, enrolment=enrolment):
        return None
    qs = ProgressNote.objects.filter(enrolment=enrolment).select_related("therapy", "author")
    if since is not None:
        qs = qs.filter(written_on__gte=since)
    if until is not None:
        qs = qs.filter(written_on__lte=until)
    if for_parents:
        qs = qs.filter(for_parents=True)
    rows = list(qs.order_by("-written_on", "-id"))
    audit_record(actor=user, action=AuditAction.VIEW_MEDICAL, obj=enrolment, member_id=enrolment.member_id,
                 note=f"progress notes ({len(rows)})")  # fmt: skip
    return rows
