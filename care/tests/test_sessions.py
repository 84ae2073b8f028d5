"""Sessions from the published timetable (idempotent), attendance with coded reasons."""

from __future__ import annotations

import datetime as dt

import pytest

from care.models import AttendanceState, Session, Timetable
from care.services_sessions import SessionError, attendance_record, sessions_generate
from care.services_week import timetable_copy, timetable_publish
from care.tests.test_week import generated
from care.tests.test_week_builders import SmallCentre, coordinator_of, small_centre_make

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2025, 12, 1)


def published(children: int = 2) -> tuple[SmallCentre, Timetable]:
    built = small_centre_make(children=children)
    tt = generated(built)
    timetable_publish(actor=coordinator_of(built.centre), timetable=tt)
    return built, tt


def test_it_generates_the_weeks_sessions_once() -> None:
    built, tt = published(children=2)
    user = coordinator_of(built.centre)
    # Monday 1 to Sunday 7 December 2025: five weekdays, each weekly entry once: 2 × 3 = 6 sessions
    made = sessions_generate(actor=user, centre=built.centre, first=MONDAY, last=MONDAY + dt.timedelta(days=6))
    assert (made.created, made.kept) == (6, 0)
    again = sessions_generate(actor=user, centre=built.centre, first=MONDAY, last=MONDAY + dt.timedelta(days=6))
    assert (again.created, again.kept) == (0, 6)
    assert Session.objects.filter(timetable=tt).count() == 6
    assert {s.date.weekday() for s in Session.objects.all()} <= {0, 1, 2, 3, 4}


def test_it_replaces_planned_sessions_of_an_older_version_but_keeps_recorded_days() -> None:
    built, tt = published(children=1)
    user = coordinator_of(built.centre)
    sessions_generate(actor=user, centre=built.centre, first=MONDAY, last=MONDAY + dt.timedelta(days=4))
    newer = timetable_copy(actor=user, timetable=tt)
    timetable_publish(actor=user, timetable=newer)
    made = sessions_generate(actor=user, centre=built.centre, first=MONDAY, last=MONDAY + dt.timedelta(days=4))
    assert made.replaced == 3 and made.created == 3
    one = Session.objects.filter(timetable=newer).first()
    assert one is not None
    attendance_record(actor=user, session=one, state="present", today=dt.date(2025, 12, 31))
    third = timetable_copy(actor=user, timetable=newer)
    timetable_publish(actor=user, timetable=third)
    with pytest.raises(SessionError):
        sessions_generate(actor=user, centre=built.centre, first=MONDAY, last=MONDAY + dt.timedelta(days=4))


def test_it_records_attendance_with_a_coded_reason_for_the_therapist_only() -> None:
    built, _tt = published(children=1)
    sessions_generate(
        actor=coordinator_of(built.centre), centre=built.centre, first=MONDAY, last=MONDAY + dt.timedelta(days=4)
    )
    mine = Session.objects.filter(therapist=built.therapists["T1"]).first()
    assert mine is not None
    later = dt.date(2026, 1, 5)
    with pytest.raises(SessionError):  # another therapist's session
        attendance_record(actor=built.users["T2"], session=mine, state="present", today=later)
    with pytest.raises(SessionError):  # an absence needs one of the absence reasons
        attendance_record(actor=built.users["T1"], session=mine, state="absent", reason="centre_closed", today=later)
    with pytest.raises(SessionError):  # not ahead of the day
        attendance_record(
            actor=built.users["T1"], session=mine, state="present", today=mine.date - dt.timedelta(days=1)
        )
    done = attendance_record(actor=built.users["T1"], session=mine, state="absent", reason="illness", today=later)
    assert (done.state, done.reason, done.recorded_by) == (AttendanceState.ABSENT, "illness", built.users["T1"])
    cancelled = attendance_record(
        actor=built.users["T1"], session=mine, state="cancelled", reason="therapist_absent", today=later
    )
    assert cancelled.state == AttendanceState.CANCELLED


def test_it_refuses_sessions_without_a_published_timetable() -> None:
    built = small_centre_make(children=1)
    generated(built)
    with pytest.raises(SessionError):
        sessions_generate(actor=coordinator_of(built.centre), centre=built.centre, first=MONDAY, last=MONDAY)
