"""API token scopes (provider, staff read, staff write) and expiry: who may hold which, the command's flags."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import ApiToken, ApiTokenScope, Provider, User
from accounts.roles import Role
from accounts.tokens import (
    MSG_BAD_EXPIRY,
    MSG_NOT_DECIDER,
    MSG_NOT_PROVIDER,
    MSG_NOT_STAFF,
    ApiTokenError,
    api_token_authenticate,
    api_token_create,
)
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db
S = ApiTokenScope


@pytest.fixture
def provider() -> Provider:
    return Provider.objects.create(inpe="200000011", name="Clinique Atlas", kind="clinic", sector="private")


def test_it_gives_staff_tokens_to_staff_users_only_and_write_tokens_to_deciders_only(
    make_user: Callable[..., User], provider: Provider
) -> None:
    officer, controller = make_user(Role.CLAIMS_OFFICER), make_user(Role.MEDICAL_CONTROLLER)
    reception, auditor = make_user(Role.RECEPTION), make_user(Role.AUDITOR)
    for user in (officer, controller, reception, auditor):
        token, _plain = api_token_create(actor=None, user=user, scope=S.STAFF_READ)
        assert token.scope == S.STAFF_READ
    for user in (officer, controller):
        assert api_token_create(actor=None, user=user, scope=S.STAFF_WRITE)[0].scope == S.STAFF_WRITE
    for user in (reception, auditor):
        with pytest.raises(ApiTokenError) as err:
            api_token_create(actor=None, user=user, scope=S.STAFF_WRITE)
        assert err.value.message == MSG_NOT_DECIDER
    outsiders = [
        make_user(Role.MEMBER),
        make_user(Role.PROVIDER, provider_id=provider.pk),
        make_user(Role.RECEPTION, provider_id=provider.pk),  # linked to a provider: a provider's user
    ]
    inactive = make_user(Role.CLAIMS_OFFICER)
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    outsiders.append(User.objects.get(pk=inactive.pk))
    for user in outsiders:
        for scope in (S.STAFF_READ, S.STAFF_WRITE):
            with pytest.raises(ApiTokenError) as err:
                api_token_create(actor=None, user=user, scope=scope)
            assert err.value.message == MSG_NOT_STAFF
    with pytest.raises(ApiTokenError) as err:
        api_token_create(actor=None, user=officer, scope=S.PROVIDER)
    assert err.value.message == MSG_NOT_PROVIDER


def test_it_authenticates_a_token_only_for_its_scope_and_until_it_expires(
    make_user: Callable[..., User], provider: Provider
) -> None:
    _p, provider_plain = api_token_create(actor=None, user=make_user(Role.PROVIDER, provider_id=provider.pk))
    officer = make_user(Role.CLAIMS_OFFICER)
    read, read_plain = api_token_create(actor=None, user=officer, scope=S.STAFF_READ, expires_in_days=30)
    _w, write_plain = api_token_create(actor=None, user=officer, scope=S.STAFF_WRITE)
    staff = (S.STAFF_READ, S.STAFF_WRITE)
    assert api_token_authenticate(provider_plain) is not None
    assert api_token_authenticate(provider_plain, scope=staff) is None
    assert api_token_authenticate(read_plain) is None and api_token_authenticate(read_plain, scope=staff) == read
    assert api_token_authenticate(read_plain, scope=S.STAFF_WRITE) is None
    assert api_token_authenticate(write_plain, scope=staff) is not None
    assert read.expires_at is not None and read.expires_at - read.created_at > dt.timedelta(days=29, hours=23)
    now = timezone.now()
    ApiToken.objects.filter(pk=read.pk).update(
        created_at=now - dt.timedelta(days=30), expires_at=now - dt.timedelta(seconds=1)
    )
    assert api_token_authenticate(read_plain, scope=staff) is None
    event = AuditEvent.objects.get(object_id=str(read.pk), action="create")
    assert event.after["scope"] == "staff_read" and event.after["expires_at"] == read.expires_at.isoformat()
    officer.groups.set([])  # no longer a decider, nor staff
    assert api_token_authenticate(write_plain, scope=staff) is None


def test_it_refuses_an_expiry_out_of_bounds_and_the_database_refuses_one_before_creation(
    make_user: Callable[..., User],
) -> None:
    officer = make_user(Role.CLAIMS_OFFICER)
    for days in (0, -1, 3651):
        with pytest.raises(ApiTokenError) as err:
            api_token_create(actor=None, user=officer, scope=S.STAFF_READ, expires_in_days=days)
        assert err.value.message == MSG_BAD_EXPIRY
    token, _plain = api_token_create(actor=None, user=officer, scope=S.STAFF_READ)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at - dt.timedelta(seconds=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(scope="root")


def test_the_command_takes_a_scope_and_an_expiry_and_keeps_its_old_arguments(
    make_user: Callable[..., User], provider: Provider
) -> None:
    make_user(Role.MEDICAL_CONTROLLER, username="medecin")
    make_user(Role.PROVIDER, username="labo", provider_id=provider.pk)
    out, err = StringIO(), StringIO()
    call_command("api_token", "medecin", "--scope", "staff_write", "--expires-in-days", "7", stdout=out, stderr=err)
    plaintext = out.getvalue().strip()
    token = ApiToken.objects.get(prefix=plaintext[:8])
    assert token.scope == S.STAFF_WRITE and token.expires_at is not None and "staff_write" in err.getvalue()
    out = StringIO()
    call_command("api_token", "labo", stdout=out, stderr=StringIO())
    old = ApiToken.objects.get(prefix=out.getvalue().strip()[:8])
    assert old.scope == S.PROVIDER and old.expires_at is None
    with pytest.raises(CommandError):
        call_command("api_token", "labo", "--scope", "staff_read", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError):
        call_command("api_token", "medecin", "--expires-in-days", "0", stdout=StringIO(), stderr=StringIO())
