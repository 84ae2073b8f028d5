"""Provider API tokens: issue, revoke, the management command, the bearer check, the admin, the demo."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from accounts.management.commands.api_token import glue_revoke
from accounts.models import ApiToken, Provider, User
from accounts.roles import Role
from accounts.tokens import (
    MSG_FORBIDDEN,
    MSG_NOT_PROVIDER,
    ApiTokenError,
    api_token_create,
    api_token_revoke,
    token_digest,
)
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db
URL = "/api/v1/claims/"


@pytest.fixture
def provider() -> Provider:
    return Provider.objects.create(inpe="200000001", name="Pharmacie Hassan", kind="pharmacy", sector="private")


@pytest.fixture
def provider_user(make_user: Callable[..., User], provider: Provider) -> User:
    return make_user(Role.PROVIDER, username="pharmacie", provider_id=provider.pk)


def _inactive(user: User) -> User:
    User.objects.filter(pk=user.pk).update(is_active=False)
    return User.objects.get(pk=user.pk)


def _call(token: str) -> int:
    return int(Client(HTTP_AUTHORIZATION=f"Bearer {token}").get(URL).status_code)


def test_it_issues_a_token_shown_once_and_stores_only_its_digest(provider_user: User) -> None:
    token, plaintext = api_token_create(actor=None, user=provider_user, name=" caisse 1 ")
    assert len(plaintext) >= 43 and token.prefix == plaintext[:8] and token.name == "caisse 1"
    assert token.digest == hashlib.sha256(plaintext.encode()).hexdigest() and token.is_live
    stored = json.dumps(list(ApiToken.objects.values()), default=str)
    event = AuditEvent.objects.get(object_type="accounts.apitoken", action="create")
    assert plaintext not in stored and plaintext not in json.dumps(event.after)
    # A provider token by default, living until revoked: scope and expiry are in the trail.
    assert event.after == {
        "user": provider_user.pk,
        "name": "caisse 1",
        "prefix": token.prefix,
        "scope": "provider",
        "expires_at": None,
    }
    second = api_token_create(actor=None, user=provider_user)[1]
    assert second != plaintext and _call(plaintext) == 200 and _call(second) == 200


def test_it_issues_tokens_only_to_active_provider_users_and_only_for_allowed_actors(
    make_user: Callable[..., User], provider: Provider, provider_user: User
) -> None:
    refused = [
        make_user(Role.MEMBER),
        make_user(Role.RECEPTION, provider_id=provider.pk),  # staff, even linked to a provider
        make_user(Role.PROVIDER),  # provider role without a provider
        _inactive(make_user(Role.PROVIDER, provider_id=provider.pk)),
    ]
    for user in refused:
        with pytest.raises(ApiTokenError) as err:
            api_token_create(actor=None, user=user)
        assert err.value.message == MSG_NOT_PROVIDER
    for actor in (make_user(Role.RECEPTION), make_user(Role.ADMINISTRATOR), provider_user):
        with pytest.raises(ApiTokenError) as err:
            api_token_create(actor=actor, user=provider_user)
        assert err.value.message == MSG_FORBIDDEN
    assert not ApiToken.objects.exists()
    superuser = make_user(Role.ADMINISTRATOR)
    User.objects.filter(pk=superuser.pk).update(is_superuser=True)
    superuser = User.objects.get(pk=superuser.pk)
    token, _plaintext = api_token_create(actor=superuser, user=provider_user)
    assert AuditEvent.objects.get(object_id=str(token.pk), action="create").actor == superuser


def test_a_revoked_token_is_refused_and_revoking_again_changes_nothing(provider_user: User) -> None:
    token, plaintext = api_token_create(actor=None, user=provider_user)
    assert _call(plaintext) == 200
    revoked = api_token_revoke(actor=None, token=token)
    assert revoked.revoked_at is not None and not revoked.is_live and _call(plaintext) == 401
    again = api_token_revoke(actor=None, token=token)
    assert again.revoked_at == revoked.revoked_at
    assert AuditEvent.objects.filter(object_type="accounts.apitoken", action="revoke").count() == 1


def test_a_token_stops_working_when_its_user_is_no_longer_an_active_provider_user(
    make_user: Callable[..., User], provider: Provider
) -> None:
    changes: list[Callable[[User], object]] = [
        lambda u: User.objects.filter(pk=u.pk).update(is_active=False),
        lambda u: User.objects.filter(pk=u.pk).update(provider=None),
        lambda u: u.groups.set([Group.objects.get(name=Role.MEMBER.value)]),
        lambda u: u.groups.set([Group.objects.get(name=Role.CLAIMS_OFFICER.value)]),  # now staff
    ]
    for change in changes:
        user = make_user(Role.PROVIDER, provider_id=provider.pk)
        _token, plaintext = api_token_create(actor=None, user=user)
        assert _call(plaintext) == 200
        change(user)
        assert _call(plaintext) == 401


def test_unknown_and_malformed_tokens_are_refused(provider_user: User) -> None:
    _token, plaintext = api_token_create(actor=None, user=provider_user)
    assert _call(plaintext[:-1]) == 401 and _call(plaintext.upper()) == 401 and _call("") == 401
    assert Client().get(URL).status_code == 401
    assert Client(HTTP_AUTHORIZATION=f"Token {plaintext}").get(URL).status_code == 401
    assert Client(HTTP_AUTHORIZATION=f"bearer {plaintext}").get(URL).status_code == 200  # the scheme is case-blind


def test_last_use_is_written_at_most_once_a_minute(provider_user: User, django_assert_num_queries) -> None:
    token, plaintext = api_token_create(actor=None, user=provider_user)
    assert token.last_used_at is None
    _call(plaintext)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    client = Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    client.get(URL)
    # token; the token's rate (one upsert); permissions (2); count; page: no write of the token
    with django_assert_num_queries(6) as calls:
        client.get(URL)
    assert not any(q["sql"].startswith("UPDATE") for q in calls.captured_queries)
    assert sum("ON CONFLICT" in q["sql"] for q in calls.captured_queries) == 1
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(seconds=61))
    _call(plaintext)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


def test_the_command_prints_the_token_once_and_revokes_by_prefix(provider_user: User, make_user) -> None:
    out, err = StringIO(), StringIO()
    call_command("api_token", "pharmacie", "--name", "logiciel", stdout=out, stderr=err)
    plaintext = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.name == "logiciel" and token.prefix == plaintext[:8] and token.prefix in err.getvalue()
    assert _call(plaintext) == 200
    with pytest.raises(CommandError):
        call_command("api_token", "pharmacie", "--revoke", "zz", stdout=StringIO())
    # `=`: the random token may start with "-" (1 in 64); the prefix spelled apart is tested below.
    call_command("api_token", "pharmacie", f"--revoke={plaintext[:6]}", stdout=out)
    assert _call(plaintext) == 401 and ApiToken.objects.get().revoked_at is not None
    with pytest.raises(CommandError):  # already revoked: no live token has that prefix
        call_command("api_token", "pharmacie", "--revoke", plaintext[:8], stdout=StringIO())
    with pytest.raises(CommandError, match="no user"):
        call_command("api_token", "nobody", stdout=StringIO())
    make_user(Role.MEMBER, username="adh")
    with pytest.raises(CommandError):
        call_command("api_token", "adh", stdout=StringIO())
    assert ApiToken.objects.count() == 1


@pytest.mark.parametrize("spelling", ["apart", "equals"])
@pytest.mark.parametrize(
    "plaintext", ["-pwLHwQ3xYzAbCdEfGhIjKlMnOpQrStUvWxYz0123456", "--vRkeZ9xYzAbCdEfGhIjKlMnOpQrStUvWxYz012345"]
)
def test_the_command_revokes_a_token_whose_prefix_starts_with_a_dash(
    provider_user: User, plaintext: str, spelling: str
) -> None:
    # The token is made with a fixed plaintext, so the test never depends on a random draw.
    token = ApiToken.objects.create(user=provider_user, prefix=plaintext[:8], digest=token_digest(plaintext))
    assert _call(plaintext) == 200
    args = ["--revoke", plaintext[:6]] if spelling == "apart" else [f"--revoke={plaintext[:6]}"]
    out = StringIO()
    call_command("api_token", "pharmacie", *args, stdout=out)
    token.refresh_from_db()
    assert token.revoked_at is not None and f"revoked {token.prefix}" in out.getvalue() and _call(plaintext) == 401


def test_the_revoke_option_takes_the_next_word_whatever_it_starts_with() -> None:
    assert glue_revoke(["u", "--revoke", "-pwLHw", "--name", "x"]) == ["u", "--revoke=-pwLHw", "--name", "x"]
    assert glue_revoke(["u", "--revoke=-a"]) == ["u", "--revoke=-a"] and glue_revoke(["u", "--revoke"]) == [
        "u",
        "--revoke",
    ]


def test_the_admin_lists_tokens_read_only_for_administrators(
    provider_user: User, client_for: Callable[..., Client]
) -> None:
    token, plaintext = api_token_create(actor=None, user=provider_user, name="caisse")
    admin = client_for(Role.ADMINISTRATOR)
    page = admin.get("/admin/accounts/apitoken/")
    assert page.status_code == 200 and token.prefix in page.content.decode()
    detail = admin.get(f"/admin/accounts/apitoken/{token.pk}/change/")
    assert detail.status_code == 200
    assert token.digest not in detail.content.decode() and plaintext not in detail.content.decode()
    assert admin.get("/admin/accounts/apitoken/add/").status_code == 403
    assert admin.post(f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"}).status_code == 403
    admin.post(f"/admin/accounts/apitoken/{token.pk}/change/", {"name": "changed"})
    assert ApiToken.objects.get().name == "caisse"
    reception = client_for(Role.RECEPTION)
    assert reception.get("/admin/accounts/apitoken/").status_code in (302, 403)


def test_the_demo_prints_a_working_token_and_rotates_it_on_each_run() -> None:
    outputs = []
    for _run in range(2):
        out = StringIO()
        call_command("demo", members=20, seed=7, stdout=out)
        outputs.append(out.getvalue().strip().splitlines()[-1])
    first, second = outputs
    user = User.objects.get(username="prestataire")
    live = user.api_tokens.filter(revoked_at__isnull=True)
    assert live.count() == 1 and live.get().prefix == second[:8] and first != second
    assert _call(second) == 200 and _call(first) == 401
    assert timezone.now() - live.get().created_at < dt.timedelta(minutes=5)
