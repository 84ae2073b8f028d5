"""The per-account lockout counts what authentication reads: every spelling of one username."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import LoginFailure
from accounts.roles import Role
from accounts.usernames import username_lockout_key, username_normalize

pytestmark = pytest.mark.django_db

RIGHT = "pass-Word-123"
VARIANTS = [
    "coordinateur",
    " coordinateur",
    "coordinateur ",
    "\tcoordinateur\u3000",
    "ｃｏｏｒｄｉｎａｔｅｕｒ",
    "Coordinateur",
    "COORDINATEUR ",
]


def _login(client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_it_normalises_every_spelling_to_the_stored_username() -> None:
    assert {username_normalize(v) for v in VARIANTS[:5]} == {"coordinateur"}
    assert {username_lockout_key(v) for v in VARIANTS} == {"coordinateur"}


def test_it_logs_in_with_spaces_or_fullwidth_letters_around_the_right_name(client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.CENTRE_COORDINATOR, username="coordinateur")
    for variant in VARIANTS[:5]:
        client.logout()
        assert _login(client, variant, RIGHT).status_code == 302, variant


@pytest.mark.parametrize("variant", VARIANTS)
def test_it_refuses_every_spelling_after_the_failures_even_with_the_right_password(  # type: ignore[no-untyped-def]
    client, make_user, settings, variant
) -> None:
    settings.LOGIN_THROTTLE_LIMIT = 5
    make_user(Role.CENTRE_COORDINATOR, username="coordinateur")
    for _ in range(5):
        assert "_auth_user_id" not in client.session
        _login(client, "coordinateur", "wrong")
    response = _login(client, variant, RIGHT)
    assert "_auth_user_id" not in client.session
    assert "Too many failed attempts" in response.content.decode()


def test_it_counts_failures_typed_in_different_spellings_together(client, make_user, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_THROTTLE_LIMIT = 3
    make_user(Role.CENTRE_COORDINATOR, username="coordinateur")
    for variant in (" coordinateur", "ｃｏｏｒｄｉｎａｔｅｕｒ", "Coordinateur "):
        _login(client, variant, "wrong")
    _login(client, "coordinateur", RIGHT)
    assert "_auth_user_id" not in client.session


def test_it_does_not_let_refused_attempts_prolong_the_count(client, make_user, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_THROTTLE_LIMIT = 2
    make_user(Role.CENTRE_COORDINATOR, username="coordinateur")
    for _ in range(6):
        _login(client, "coordinateur", "wrong")
    # Two failures counted; the four refused attempts left nothing behind.
    assert LoginFailure.objects.filter(username="coordinateur").count() == 2


def test_it_forgets_the_failures_after_a_success(client, make_user, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_THROTTLE_LIMIT = 3
    make_user(Role.CENTRE_COORDINATOR, username="coordinateur")
    _login(client, " coordinateur", "wrong")
    _login(client, "ｃｏｏｒｄｉｎａｔｅｕｒ", RIGHT)
    assert "_auth_user_id" in client.session
    assert not LoginFailure.objects.exists()


def test_it_stores_new_usernames_in_the_login_spelling(make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.RECEPTION, username=" ａｇｅｎｔ ")
    assert user.username == "agent"
