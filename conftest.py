from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, settings

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_create

# The same examples on every run (derandomize): a property test never fails CI by luck, and the
# machines are shared, so neither a slow example (deadline) nor slow generation (too_slow) is a
# failure. HYPOTHESIS_PROFILE=explore searches fresh examples when one wants to hunt.
settings.register_profile(
    "ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
settings.register_profile("explore", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    counter = {"n": 0}

    def make(role: Role, **kwargs: object) -> User:
        counter["n"] += 1
        username = str(kwargs.pop("username", f"{role.value}{counter['n']}"))
        return user_create(username=username, password="pass-Word-123", role=role, **kwargs)  # type: ignore[arg-type]  # noqa: S106

    return make


@pytest.fixture(autouse=True)
def _default_language():  # type: ignore[no-untyped-def]
    """Each test starts in the default language: a request in Arabic leaves Arabic active in the
    thread (LocaleMiddleware activates it, nothing deactivates it), and a later test of a service
    would then get its messages in Arabic."""
    from django.utils import translation

    yield
    translation.deactivate()


# Mid-window on every window length the app uses (60 s, 3600 s): a count taken under this clock
# never crosses a window's edge, whatever the hour the suite runs.
RATE_CLOCK = 1_790_000_000 + 1800 + 30


@pytest.fixture(autouse=True)
def rate_window_fixed(monkeypatch):  # type: ignore[no-untyped-def]
    """Every test counts its rate limits at one instant: a test that pins its queries gets the same
    ones at any time of day (the first call of a window also sweeps the expired counters, one more
    query), and a count never restarts mid-test. Tests of the windows themselves pass `now`."""
    from types import SimpleNamespace

    from mutuelle import throttle

    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: RATE_CLOCK))
    return RATE_CLOCK


@pytest.fixture
def client_for(client, make_user):  # type: ignore[no-untyped-def]
    """A logged-in Django test client for a new user of the given role."""

    def login(role: Role, **kwargs: object):  # type: ignore[no-untyped-def]
        user = make_user(role, **kwargs)
        client.force_login(user)
        client.user = user
        return client

    return login


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser_page(live_server, monkeypatch, _browser_sessions_ended):  # type: ignore[no-untyped-def]
    """A Playwright page in Debian's headless Chromium, with `live_server.url` serving the app."""
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(locale="fr-FR")
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


@pytest.fixture(scope="session")
def _browser_sessions_ended(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """End, once every test has run, the sessions the browser tests leave on the test database.

    The test body's ORM calls run while Playwright's greenlets are active, and Django's connection
    handler (context-local) keeps that connection where pytest-django's final close does not
    reach it; PostgreSQL then refuses to drop the test database. Nothing uses it any more here.
    """
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = current_database() AND pid <> pg_backend_pid()")  # fmt: skip


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every transactional test must restore the migrations' data (roles' permissions, the seeded
    referentials): the flush after one such test otherwise leaves the next one an empty database."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True)")
