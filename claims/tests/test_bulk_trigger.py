from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.roles import Role
from claims.job_handlers import ADJUDICATE_RECEIVED
from jobs.models import Job

pytestmark = pytest.mark.django_db


def test_it_lets_a_claims_officer_queue_the_bulk_run(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.CLAIMS_OFFICER)
    assert "Adjudicate all received files" in client.get(reverse("claims:list")).content.decode()
    response = client.post(reverse("claims:adjudicate_received"))
    assert response.status_code == 302
    assert Job.objects.filter(kind=ADJUDICATE_RECEIVED).count() == 2  # one job per partition
    client.post(reverse("claims:adjudicate_received"))  # a pending run is not queued twice
    assert Job.objects.filter(kind=ADJUDICATE_RECEIVED).count() == 2


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.ACCOUNTANT, Role.AUDITOR, Role.MEMBER])
def test_it_refuses_the_bulk_run_to_other_roles(client_for, role: Role) -> None:  # type: ignore[no-untyped-def]
    response = client_for(role).post(reverse("claims:adjudicate_received"))
    assert response.status_code == 403
    assert not Job.objects.filter(kind=ADJUDICATE_RECEIVED).exists()


def test_it_queues_the_bulk_run_from_the_command(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("adjudicate_received", "--partitions", "3")
    assert Job.objects.filter(kind=ADJUDICATE_RECEIVED).count() == 3
    assert "queued jobs" in capsys.readouterr().out
