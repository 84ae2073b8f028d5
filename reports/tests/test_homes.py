"""Each role's home page is its work: counts of what waits, linking to the filtered lists."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from claims.models import ClaimFile
from claims.tests.factories import CONSULTATION, file_make, member_make
from reports.homes import homes_for

pytestmark = pytest.mark.django_db


def _files(n: int, *, days_ago: int, status: str = "received", user: object = None) -> None:
    member = member_make()
    for _ in range(n):
        claim = file_make(member=member, lines=[CONSULTATION], status=status,
                          filed_on=timezone.localdate() - dt.timedelta(days=days_ago))  # fmt: skip
        if user is not None:
            ClaimFile.objects.filter(pk=claim.pk).update(created_by=user)


def _home_queries(client) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("home")).status_code == 200
    return len(ctx)


def test_it_shows_the_reception_agent_the_files_of_the_day(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.RECEPTION)
    _files(2, days_ago=0, user=client.user)
    _files(1, days_ago=0)
    _files(1, days_ago=3)  # not today
    card = next(c for c in homes_for(user=client.user) if c.key == "reception")
    assert [i.count for i in card.items] == [2, 3]
    query = parse_qs(urlsplit(card.items[1].url).query)
    today = timezone.localdate().isoformat()
    assert query == {"channel": ["counter"], "filed_from": [today], "filed_to": [today]}
    page = client.get(reverse("home")).content.decode()
    assert 'name="q"' in page and "home-reception" in page  # the search box stays


def test_it_sorts_the_claims_officers_queue_by_age(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.CLAIMS_OFFICER)
    _files(1, days_ago=2)
    _files(2, days_ago=10)
    _files(1, days_ago=45, status="incomplete")
    _files(3, days_ago=90, status="adjudicated")
    card = next(c for c in homes_for(user=client.user) if c.key == "officer")
    counts = {label: [i.count for i in items] for label, items in card.rows}
    assert counts == {"Received": [1, 2, 0, 0, 3], "Incomplete": [0, 0, 1, 0, 1], "Adjudicated": [0, 0, 0, 3, 3]}
    # The 8–30 days link of the received files: filed between 30 and 8 days ago.
    link = parse_qs(urlsplit(card.rows[0][1][1].url).query)
    today = timezone.localdate()
    assert link["status"] == ["received"]
    assert link["filed_from"] == [(today - dt.timedelta(days=30)).isoformat()]
    assert link["filed_to"] == [(today - dt.timedelta(days=8)).isoformat()]
    # The list it links to shows those two files.
    listed = client.get(card.rows[0][1][1].url)
    assert listed.status_code == 200 and listed.context["totals"].count == 2


def test_it_shows_the_doctor_the_review_queue_and_its_oldest_file(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.MEDICAL_CONTROLLER)
    _files(2, days_ago=5, status="medical_review")
    _files(1, days_ago=12, status="medical_review")
    card = next(c for c in homes_for(user=client.user) if c.key == "doctor")
    review = card.items[0]
    assert review.count == 3 and review.oldest == timezone.localdate() - dt.timedelta(days=12)
    assert review.url == reverse("claims:review_queue")


def test_it_shows_the_accountant_the_files_waiting_for_a_batch(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.ACCOUNTANT)
    _files(2, days_ago=5, status="approved")
    card = next(c for c in homes_for(user=client.user) if c.key == "accountant")
    waiting = next(i for i in card.items if "status=approved" in i.url)
    assert waiting.count == 2
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.CLAIMS_OFFICER, Role.MEDICAL_CONTROLLER, Role.ACCOUNTANT])
def test_it_reads_the_home_in_a_constant_number_of_queries(client_for, role: Role) -> None:  # type: ignore[no-untyped-def]
    client = client_for(role)
    _files(1, days_ago=1)
    few = _home_queries(client)
    for days, status in (
        (0, "received"),
        (20, "incomplete"),
        (70, "adjudicated"),
        (3, "medical_review"),
        (9, "approved"),
    ):
        _files(3, days_ago=days, status=status, user=client.user)
    assert _home_queries(client) == few


def test_it_sends_the_centre_coordinator_to_the_centres_day(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.CENTRE_COORDINATOR)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("care:home")


def test_it_links_the_manager_to_the_dashboard(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.MANAGER)
    assert reverse("reports:dashboard") in client.get(reverse("home")).content.decode()
