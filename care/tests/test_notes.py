"""Progress notes: the child's therapists and medical roles only, every read logged, masked in the audit."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.roles import Role
from audit.models import AuditAction, AuditEvent
from care.models import ProgressNote, Therapy
from care.selectors_week import progress_notes_read
from care.services_sessions import SessionError, progress_note_add
from care.services_week import timetable_publish
from care.tests.test_week import generated
from care.tests.test_week_builders import SmallCentre, coordinator_of, small_centre_make

pytestmark = pytest.mark.django_db
SECRET = "Progrès net de l'articulation; crises d'épilepsie moins fréquentes"


def with_note() -> tuple[SmallCentre, ProgressNote]:
    built = small_centre_make(children=1)
    tt = generated(built)
    timetable_publish(actor=coordinator_of(built.centre), timetable=tt)
    speech = Therapy.objects.get(code="speech")
    note = progress_note_add(actor=built.users["T1"], enrolment=built.children[0], therapy=speech, text=SECRET,
                             for_parents=True, written_on=dt.date(2025, 12, 3))  # fmt: skip
    return built, note


def test_it_lets_the_childs_therapist_read_the_notes_and_logs_the_read() -> None:
    built, note = with_note()
    rows = progress_notes_read(user=built.users["T1"], enrolment=built.children[0])
    assert rows == [note]
    log = AuditEvent.objects.filter(action=AuditAction.VIEW_MEDICAL, actor=built.users["T1"])
    assert log.filter(object_type="care.enrolment", object_id=str(built.children[0].pk)).count() == 1


@pytest.mark.parametrize("role", [Role.CLAIMS_OFFICER, Role.AUDITOR, Role.CENTRE_COORDINATOR, Role.ADMINISTRATOR])
def test_it_hides_the_notes_from_other_roles(make_user, role) -> None:  # type: ignore[no-untyped-def]
    built, _note = with_note()
    user = make_user(role)
    assert progress_notes_read(user=user, enrolment=built.children[0]) is None
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_MEDICAL, actor=user).exists()


def test_it_lets_a_medical_role_read_them(make_user) -> None:  # type: ignore[no-untyped-def]
    built, note = with_note()
    medecin = make_user(Role.MEDICAL_CONTROLLER)
    assert progress_notes_read(user=medecin, enrolment=built.children[0]) == [note]
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_MEDICAL, actor=medecin).count() == 1


def test_it_keeps_the_text_out_of_the_audit_trail() -> None:
    _built, note = with_note()
    created = AuditEvent.objects.get(object_type="care.progressnote", object_id=str(note.pk), action="create")
    assert SECRET not in str(created.after) and SECRET not in created.note


def test_it_refuses_a_note_from_a_therapist_who_does_not_follow_the_child(make_user) -> None:  # type: ignore[no-untyped-def]
    built, _note = with_note()
    stranger = make_user(Role.THERAPIST)
    with pytest.raises(SessionError):
        progress_note_add(actor=stranger, enrolment=built.children[0], therapy=Therapy.objects.get(code="speech"),
                          text="x")  # fmt: skip
    assert progress_notes_read(user=stranger, enrolment=built.children[0]) is None
