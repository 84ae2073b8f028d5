"""The demo's grievances: complaints (one late, one closed), the member's appeal upheld and its
revision file approved for the next batch, another appeal waiting for the committee."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from claims.models import ClaimFile, ClaimStatus
from demo.grievances import demo_grievances_ensure
from demo.members import demo_members_create, demo_users_ensure
from grievances.models import Grievance, Kind, Outcome, Status

pytestmark = pytest.mark.django_db


def test_it_makes_the_demo_grievances_once() -> None:
    demo_members_create(count=60, seed=2026)
    demo_users_ensure()
    assert demo_grievances_ensure() == 5
    assert demo_grievances_ensure() == 0  # idempotent
    upheld = Grievance.objects.get(kind=Kind.APPEAL, outcome=Outcome.UPHELD)
    revision = ClaimFile.objects.get(pk=upheld.revision_file_id)
    assert revision.status == ClaimStatus.APPROVED and revision.reimbursed > 0
    assert Grievance.objects.filter(kind=Kind.APPEAL, status=Status.IN_REVIEW).count() == 1
    member = Client(HTTP_ACCEPT_LANGUAGE="ar")
    member.force_login(User.objects.get(username="adherent"))
    page = member.get(reverse("grievances:mine")).content.decode()
    assert upheld.number in page and revision.number in page
    officer = Client(HTTP_ACCEPT_LANGUAGE="fr")
    officer.force_login(User.objects.get(username="liquidateur2"))
    assert officer.get(reverse("grievances:queue")).status_code == 200
