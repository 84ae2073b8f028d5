"""The provider's eligibility check is the API's busiest call: its queries are pinned so a regression shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.tests.factories import member_make
from claims.tests.test_provider_api import _card, api  # noqa: F401 (the fixture)
from members.models import RightsSuspension

pytestmark = pytest.mark.django_db


def test_it_checks_eligibility_in_five_queries_whatever_the_members_history(api) -> None:  # noqa: F811
    client = api()
    member = member_make(joined_on=dt.date(2020, 1, 1))
    RightsSuspension.objects.create(member=member, starts_on=dt.date(2025, 3, 1), ends_on=dt.date(2025, 4, 1))
    card = _card(member)
    client.get("/api/v1/eligibility", {"card": card, "on": "2025-06-01"})  # last_used_at written once
    with CaptureQueriesContext(connection) as queries:
        covered = client.get("/api/v1/eligibility", {"card": card, "on": "2025-06-01"})
        suspended = client.get("/api/v1/eligibility", {"card": card, "on": "2025-03-15"})
    assert covered.json()["covered"] is True
    assert suspended.json()["covered"] is False and suspended.json()["reason_code"] == "RIGHTS_SUSPENDED"
    # Per check: the token (with user, provider, roles), its rate count, the eligibility cap's count,
    # the card with its member's history and suspensions, the referential version.
    assert len(queries.captured_queries) == 2 * 5, [q["sql"][:80] for q in queries.captured_queries]
