"""A file's diagnosis written after intake: by medical controllers only, audited without its text."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from claims.models import MedicalNote
from claims.tests.factories import CONSULTATION, file_make, member_make

pytestmark = pytest.mark.django_db


def test_a_medical_controller_writes_changes_and_clears_the_diagnosis(client_for) -> None:
    claim = file_make(member=member_make(), lines=[CONSULTATION])
    doctor = client_for(Role.MEDICAL_CONTROLLER)
    url = reverse("claims:diagnosis", args=[claim.pk])
    assert doctor.post(url, {"diagnosis": "  Angine érythémateuse "}).status_code == 302
    note = MedicalNote.objects.get(file=claim)
    assert (note.diagnosis, note.author_id) == ("Angine érythémateuse", doctor.user.pk)
    doctor.post(url, {"diagnosis": "Angine bactérienne"})
    assert MedicalNote.objects.get(file=claim).diagnosis == "Angine bactérienne"
    events = AuditEvent.objects.filter(object_id=str(claim.pk), note="diagnosis written")
    assert events.count() == 2
    assert all("Angine" not in str(e.before) + str(e.after) for e in events)
    doctor.post(url, {"diagnosis": ""})
    assert not MedicalNote.objects.filter(file=claim).exists()


@pytest.mark.parametrize("role", [Role.CLAIMS_OFFICER, Role.RECEPTION, Role.AUDITOR])
def test_other_staff_cannot_write_a_diagnosis(client_for, role: Role) -> None:
    claim = file_make(member=member_make(), lines=[CONSULTATION])
    MedicalNote.objects.create(file=claim, member_id=claim.member_id, diagnosis="Diabète de type 2")
    client = client_for(role)
    assert client.post(reverse("claims:diagnosis", args=[claim.pk]), {"diagnosis": "x"}).status_code == 403
    assert MedicalNote.objects.get(file=claim).diagnosis == "Diabète de type 2"
    assert 'id="diagnosis"' not in client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
