from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from accounts.roles import ROLE_PERMISSIONS, Role

pytestmark = pytest.mark.django_db


def _login(client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_it_creates_one_group_per_role_with_its_permissions() -> None:
    for role, perms in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        # Every permission held is one the table grants; permissions of apps not yet built are skipped.
        assert held <= set(perms)
    reception = Group.objects.get(name=Role.RECEPTION.value)
    assert reception.permissions.filter(codename="add_member").exists()
    assert not reception.permissions.filter(codename="change_referentials").exists()


def test_it_logs_in_with_a_good_password(client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.RECEPTION, username="agent")
    response = _login(client, "agent", "pass-Word-123")
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_it_refuses_a_bad_password_with_a_message(client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.RECEPTION, username="agent")
    response = _login(client, "agent", "wrong")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_it_throttles_after_repeated_failures(client, make_user, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_THROTTLE_LIMIT = 3
    make_user(Role.RECEPTION, username="agent")
    for _ in range(3):
        _login(client, "agent", "wrong")
    response = _login(client, "agent", "pass-Word-123")
    assert "_auth_user_id" not in client.session
    assert "Too many failed attempts" in response.content.decode()


def test_it_sends_a_password_reset_mail(client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.MEMBER, username="amina", email="amina@example.ma")
    response = client.post(reverse("accounts:password_reset"), {"email": "amina@example.ma"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_it_hashes_passwords_with_argon2_in_production_settings() -> None:
    from mutuelle import settings as prod

    assert prod.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_it_redirects_anonymous_users_to_login(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
