"""A medical controller's reason for a decision out of medical review is a medical note."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from audit.scrub import audit_scrub_allowed
from claims.models import ClaimStatus, ClaimTransition
from claims.services import claim_transition
from claims.tests.factories import CONSULTATION, CONSULTATION_DECIDED, file_make, member_make

pytestmark = pytest.mark.django_db
S = ClaimStatus
SECRET = "Lombalgie chronique, IRM non justifiée"


def _reviewed(make_user, member=None):  # type: ignore[no-untyped-def]
    claim = file_make(
        member=member or member_make(), lines=[CONSULTATION], status=S.MEDICAL_REVIEW, reimbursed=CONSULTATION_DECIDED
    )
    doctor = make_user(Role.MEDICAL_CONTROLLER)
    claim_transition(actor=doctor, claim=claim, to=S.REJECTED, reason=SECRET)
    return claim


def test_it_keeps_the_review_reason_out_of_the_audit_trail(make_user) -> None:
    claim = _reviewed(make_user)
    row = ClaimTransition.objects.get(file=claim, to_status=S.REJECTED)
    assert row.medical and row.reason == SECRET
    event = AuditEvent.objects.get(action="transition", object_id=str(claim.pk), after__status=S.REJECTED)
    assert SECRET not in str(event.note) and event.note == "•••"


def test_it_keeps_the_reason_of_other_decisions_in_the_trail(make_user) -> None:
    claim = file_make(member=member_make(), lines=[CONSULTATION], status=S.ADJUDICATED, reimbursed=CONSULTATION_DECIDED)
    claim_transition(actor=make_user(Role.CLAIMS_OFFICER), claim=claim, to=S.REJECTED, reason="Duplicate of W123")
    assert not ClaimTransition.objects.get(file=claim, to_status=S.REJECTED).medical
    assert AuditEvent.objects.get(action="transition", object_id=str(claim.pk)).note == "Duplicate of W123"


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.CLAIMS_OFFICER, Role.RECEPTION])
def test_it_hides_the_review_reason_from_non_medical_staff(client_for, make_user, role: Role) -> None:
    claim = _reviewed(make_user)
    client = client_for(role)
    page = client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert SECRET not in page and "reason given by the medical controller (hidden)" in page
    audit_page = client.get(reverse("audit:list")) if role == Role.AUDITOR else None
    if audit_page is not None:
        assert audit_page.status_code == 200 and SECRET not in audit_page.content.decode()


def test_it_shows_the_review_reason_to_the_doctor_and_to_the_member(client_for, make_user) -> None:
    member_user = make_user(Role.MEMBER)
    claim = _reviewed(make_user, member=member_make(user=member_user))
    doctor = client_for(Role.MEDICAL_CONTROLLER)
    assert SECRET in doctor.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    doctor.force_login(member_user)  # on their space's page of the file, where the back office's sends them
    assert SECRET in doctor.get(reverse("claims:detail", args=[claim.pk]), follow=True).content.decode()


def test_the_migration_marks_earlier_review_decisions_and_scrubs_their_audit_note(make_user) -> None:
    claim = _reviewed(make_user)
    ClaimTransition.objects.filter(file=claim).update(medical=False)
    migration = importlib.import_module("claims.migrations.0008_claimtransition_medical")
    with audit_scrub_allowed():  # rows as they were before the migration; it rewrote them (append-only since)
        AuditEvent.objects.filter(action="transition", object_id=str(claim.pk)).update(note=SECRET)
        migration.mark_review_decisions(apps, None)
    assert ClaimTransition.objects.get(file=claim, to_status=S.REJECTED).medical
    assert not AuditEvent.objects.filter(note__contains="Lombalgie").exists()
