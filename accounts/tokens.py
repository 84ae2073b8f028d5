"""API tokens of providers: issued once in plaintext, stored as a SHA-256 digest, revoked, never edited.

A token is `secrets.token_urlsafe(32)` (256 random bits): a plain SHA-256 is enough to store it
(no salt or slow hash: nobody can guess such a value, unlike a password), and the digest is what
the bearer authentication looks up by its unique index.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, User
from accounts.roles import Role
from audit.services import AuditAction, audit_record
from mutuelle.errors import DomainError
from mutuelle.types import Actor

PREFIX_LENGTH = 8
# last_used_at is written at most this often per token: a busy pharmacy does not write on every call.
LAST_USED_EVERY = timedelta(minutes=1)

MSG_FORBIDDEN = _("You are not allowed to manage API tokens.")
MSG_NOT_PROVIDER = _("API tokens are for active provider users linked to a provider.")


class ApiTokenError(DomainError):
    pass


def token_digest(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def provider_users() -> QuerySet[User]:
    """The users an API token may belong to: active, in the provider role, linked to a provider."""
    return User.objects.filter(is_active=True, provider__isnull=False, groups__name=Role.PROVIDER.value)


def _check_actor(actor: Actor, perm: str) -> None:
    # actor None is the system: the management command run by whoever operates the server.
    if actor is not None and not actor.has_perm(perm):
        raise ApiTokenError(MSG_FORBIDDEN)


def api_token_create(*, actor: Actor, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new live token for a provider user; returns the row and the plaintext, which is not kept."""
    _check_actor(actor, "accounts.add_apitoken")
    if not provider_users().filter(pk=user.pk).exists():
        raise ApiTokenError(MSG_NOT_PROVIDER)
    plaintext = secrets.token_urlsafe(32)
    with transaction.atomic(durable=True):
        token = ApiToken.objects.create(
            user=user, name=name.strip()[:100], prefix=plaintext[:PREFIX_LENGTH], digest=token_digest(plaintext)
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=token,
            after={"user": user.pk, "name": token.name, "prefix": token.prefix},
            note=f"API token for {user.username}",
        )
    return token, plaintext


def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke a token now; revoking a revoked token changes nothing (safe to retry)."""
    _check_actor(actor, "accounts.change_apitoken")
    with transaction.atomic(durable=True):
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AuditAction.REVOKE,
            obj=locked,
            before={"revoked_at": None},
            after={"revoked_at": locked.revoked_at.isoformat()},
            note=f"API token {locked.prefix} of user {locked.user_id}",
        )
    return locked


def api_token_authenticate(plaintext: str) -> ApiToken | None:
    """The live token of an active provider user with this plaintext, user and provider fetched.

    One query; `last_used_at` is refreshed only when it is a minute old or more, by a conditional
    UPDATE, so concurrent calls write it once and most calls do not write at all.
    """
    if not plaintext or len(plaintext) > 256:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__provider")
        .filter(digest=token_digest(plaintext), revoked_at__isnull=True, user__in=provider_users())
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_EVERY)
        ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
