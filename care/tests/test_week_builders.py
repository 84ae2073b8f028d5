"""A small centre for the week's tests, made through the centres' services; and a check of its instance."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

import pytest

from accounts.models import Provider, User
from accounts.roles import Role
from accounts.services import user_create
from care import solver
from care.models import Centre, Enrolment, Programme, Room, StaffMember, Therapy
from care.selectors_week import child_id, room_id, therapist_id, week_instance
from care.services_centres import Availability, Hours, room_create, staff_create
from care.services_enrolment import application_admit
from care.services_week import plan_item_set
from care.tests.centre_factories import application_assessed, centre_make, child_make, programme_make

_seq = itertools.count(1)
WEEK = [Availability(day=d, start_slot=0, end_slot=16) for d in range(5)]
STARTS_ON = dt.date(2025, 9, 1)


@dataclass
class SmallCentre:
    centre: Centre
    programme: Programme
    rooms: dict[str, Room]
    therapists: dict[str, StaffMember]
    users: dict[str, User]
    children: list[Enrolment] = field(default_factory=list)


def small_centre_make(*, children: int = 2, plans: list[tuple[str, int, int]] | None = None) -> SmallCentre:
    """A centre open 08:30–16:30 on weekdays; rooms `speech` (speech, physiotherapy) and `psy` (psychomotricity);
    therapists `T1` (speech) and `T2` (physiotherapy, psychomotricity), each with a login; `children` enrolled
    children, each planned `plans` (default: speech 2×2 slots, physiotherapy 1×2)."""
    n = next(_seq)
    centre = centre_make(code=f"wk{n}")
    hours = [Hours(weekday=d, opens_at=dt.time(8, 30), closes_at=dt.time(16, 30)) for d in range(5)]
    for h in hours:
        centre.hours.create(weekday=h.weekday, opens_at=h.opens_at, closes_at=h.closes_at)
    provider = Provider.objects.create(
        inpe=f"{700000000 + n}", name=f"Centre Amal {n}", kind="clinic", sector="private"
    )
    Centre.objects.filter(pk=centre.pk).update(provider=provider)
    centre.refresh_from_db()
    programme = programme_make(centre, capacity=children + 5)
    rooms = {
        "speech": room_create(
            actor=None, centre=centre, code="r-speech", name="Salle 1", therapies=["speech", "physiotherapy"]
        ),
        "psy": room_create(actor=None, centre=centre, code="r-psy", name="Salle 2", therapies=["psychomotricity"]),
    }
    users: dict[str, User] = {}
    therapists: dict[str, StaffMember] = {}
    for code, therapies in (("T1", ["speech"]), ("T2", ["physiotherapy", "psychomotricity"])):
        users[code] = user_create(username=f"ther{n}{code.lower()}", password="pass-Word-123", role=Role.THERAPIST)
        therapists[code] = staff_create(
            actor=None, centre=centre, therapies=therapies, availability=WEEK, code=f"{code.lower()}-{n}",
            last_name=f"Therapist{code}", first_name="Sara", last_name_ar="المعالج", first_name_ar="سارة",
            user=users[code],
        )  # fmt: skip
    built = SmallCentre(centre, programme, rooms, therapists, users)
    for _ in range(children):
        built.children.append(enrol(programme, plans=plans))
    return built


def enrol(programme: Programme, *, plans: list[tuple[str, int, int]] | None = None) -> Enrolment:
    child = child_make(birth_date=dt.date(2016, 4, 4))
    app = application_assessed(programme, child, filed_on=dt.date(2025, 6, 1))
    enrolment = application_admit(actor=None, application=app, starts_on=STARTS_ON)
    for code, sessions, length in plans if plans is not None else [("speech", 2, 2), ("physiotherapy", 1, 2)]:
        plan_item_set(actor=None, enrolment=enrolment, therapy=Therapy.objects.get(code=code), sessions=sessions,
                      length=length)  # fmt: skip
    return enrolment


def coordinator_of(centre: Centre) -> User:
    """A coordinator on the centre's staff (their login sees this centre only)."""
    n = next(_seq)
    user = user_create(username=f"coord{n}", password="pass-Word-123", role=Role.CENTRE_COORDINATOR)
    staff_create(
        actor=None, centre=centre, kind="coordinator", code=f"coord-{n}", last_name="Coord", first_name="Nadia",
        last_name_ar="المنسقة", first_name_ar="نادية", user=user,
    )  # fmt: skip
    return user


def monday(on: dt.date) -> dt.date:
    return on - dt.timedelta(days=on.weekday())


@pytest.mark.django_db
def test_it_describes_the_centre_in_the_solvers_format() -> None:
    built = small_centre_make(children=1)
    week = week_instance(centre=built.centre)
    instance: Any = week.parsed()
    assert instance.days == 5 and instance.slots_per_day == 16
    child = instance.children[0]
    assert child.id == child_id(built.children[0].pk)
    assert {(p.therapy, p.sessions, p.length) for p in child.plan} == {("speech", 2, 2), ("physiotherapy", 1, 2)}
    assert len(child.available) == 5 * 16  # no group class: every open slot
    assert {t.id for t in instance.therapists} == {therapist_id(s.pk) for s in built.therapists.values()}
    assert {r.id for r in instance.rooms} == {room_id(r.pk) for r in built.rooms.values()}
    assert solver.solve(instance, time_limit=5, workers=1, seed=1).unmet == ()
