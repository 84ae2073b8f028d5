"""Sessions last a working day from login and end after inactivity (clock moved by editing the
session's stored times, never by sleeping)."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from mutuelle.middleware_sessions import SEEN_KEY, STARTED_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_client(client, make_user):  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.RECEPTION, username="agent"))  # the login starts the clocks
    return client


def _age(client, **seconds_ago: int) -> None:  # type: ignore[no-untyped-def]
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] -= ago
    session.save()


def test_it_defaults_to_a_working_day_and_half_an_hour_idle() -> None:
    from mutuelle import settings as prod

    assert prod.SESSION_COOKIE_AGE == 9 * 3600
    assert prod.SESSION_IDLE_TIMEOUT == 30 * 60


def test_it_starts_the_clocks_at_login_without_a_write_on_the_next_page(client, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.RECEPTION)
    client.post(reverse("accounts:login"), {"username": user.username, "password": "pass-Word-123"})
    session = client.session
    assert abs(session[STARTED_KEY] - time.time()) < 60 and session[SEEN_KEY] == session[STARTED_KEY]
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))
    assert not [q for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]


def test_it_logs_out_after_the_idle_timeout(agent_client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_IDLE_TIMEOUT = 1800
    _age(agent_client, **{STARTED_KEY: 1801, SEEN_KEY: 1801})
    response = agent_client.get(reverse("home"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in agent_client.session
    assert "Your session has expired; please log in again." in response.content.decode()


def test_it_keeps_an_active_session_and_moves_its_last_seen_time(agent_client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_IDLE_TIMEOUT = 1800
    _age(agent_client, **{STARTED_KEY: 1799, SEEN_KEY: 1799})
    assert agent_client.get(reverse("home")).status_code == 200
    assert abs(agent_client.session[SEEN_KEY] - time.time()) < 60


def test_it_writes_the_last_seen_time_at_most_once_a_minute(agent_client) -> None:  # type: ignore[no-untyped-def]
    _age(agent_client, **{SEEN_KEY: 10})
    before = agent_client.session[SEEN_KEY]
    agent_client.get(reverse("home"))
    assert agent_client.session[SEEN_KEY] == before


def test_it_ends_a_busy_session_a_working_day_after_login(agent_client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_COOKIE_AGE = 9 * 3600
    _age(agent_client, **{STARTED_KEY: 9 * 3600 + 1, SEEN_KEY: 0})  # active a minute ago, logged in 9 h ago
    assert agent_client.get(reverse("home")).status_code == 302
    assert "_auth_user_id" not in agent_client.session


def test_it_sends_an_htmx_request_of_an_expired_session_to_the_login_page(agent_client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_IDLE_TIMEOUT = 1800
    _age(agent_client, **{STARTED_KEY: 1801, SEEN_KEY: 1801})
    response = agent_client.get(reverse("members:list"), {"q": "Bennani"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Redirect"].startswith(reverse("accounts:login"))
    assert not response.content  # nothing for htmx to swap into the results


def test_it_leaves_other_redirects_of_htmx_requests_alone(agent_client) -> None:  # type: ignore[no-untyped-def]
    response = agent_client.get(reverse("members:list"), {"q": "Bennani"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "HX-Redirect" not in response
