"""'Adjudicate all received files': the page queues the run, shows its progress, and the worker ends it."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from accounts.roles import Role
from claims import job_handlers
from claims.job_handlers import ADJUDICATE_RECEIVED
from claims.models import ClaimFile
from claims.tests.factories import CONSULTATION, file_make, member_make, snapshot
from jobs.models import Job, JobState
from jobs.services import job_work

pytestmark = pytest.mark.django_db


def test_the_list_follows_the_run_it_queued_until_the_worker_ends_it(client_for: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(job_handlers, "snapshot_current", snapshot)
    for _ in range(3):
        file_make(member=member_make(), lines=[CONSULTATION])
    client = client_for(Role.CLAIMS_OFFICER)

    response = client.post(reverse("claims:adjudicate_received"))

    jobs = list(Job.objects.filter(kind=ADJUDICATE_RECEIVED).order_by("id"))
    followed = [int(i) for i in parse_qs(urlsplit(response["Location"]).query)["job"]]
    assert response.status_code == 302 and followed == [j.pk for j in jobs] and len(jobs) == 2
    assert ClaimFile.objects.filter(status="received").count() == 3  # nothing adjudicated in the request
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Queued: waiting for the worker to start." in page

    while job_work(worker="w") is not None:
        pass
    assert ClaimFile.objects.filter(status="received").count() == 0
    assert sum(Job.objects.get(pk=pk).items_total or 0 for pk in followed) == 3
    poll = client.get(f"{reverse('jobs:progress')}?job={followed[0]}&job={followed[1]}", headers={"HX-Request": "1"})
    body = poll.content.decode()
    assert "Finished: 3 items processed." in body and 'hx-trigger="every 2s"' not in body
    assert all(Job.objects.get(pk=pk).state == JobState.DONE for pk in followed)


def test_an_accountant_does_not_see_the_claims_run(client_for: Any) -> None:
    officer = client_for(Role.CLAIMS_OFFICER)
    response = officer.post(reverse("claims:adjudicate_received"))
    location = response["Location"].replace(reverse("claims:list"), reverse("jobs:progress"))
    assert officer.get(location).status_code == 200
    assert client_for(Role.ACCOUNTANT).get(location).status_code == 404
