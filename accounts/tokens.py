"""API tokens: issued once in plaintext, stored as a SHA-256 digest, revoked, never edited.

A token has a scope: `provider` (the provider API, for a provider user), `staff_read` (the staff
endpoints, for an active staff user) or `staff_write` (also their writes, for a staff user whose role
decides claim files); and an optional expiry, after which it is refused like an unknown one.

A token is `secrets.token_urlsafe(32)` (256 random bits): a plain SHA-256 is enough to store it
(no salt or slow hash: nobody can guess such a value, unlike a password), and the digest is what
the bearer authentication looks up by its unique index.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, ApiTokenScope, User
from accounts.token_lookup import token_holder_allowed, token_live
from audit.services import AuditAction, audit_record
from mutuelle.errors import DomainError
from mutuelle.types import Actor

PREFIX_LENGTH = 8
# last_used_at is written at most this often per token: a busy pharmacy does not write on every call.
LAST_USED_EVERY = timedelta(minutes=1)

MSG_FORBIDDEN = _("You are not allowed to manage API tokens.")
MSG_NOT_PROVIDER = _("API tokens are for active provider users linked to a provider.")
MSG_NOT_STAFF = _("Staff API tokens are for active staff users (not providers or members).")
MSG_NOT_DECIDER = _("A staff write token is for a user whose role decides claim files.")
MSG_BAD_EXPIRY = _("A token's expiry is a whole number of days, from 1 to 3650.")
MAX_EXPIRY_DAYS = 3650
# A staff write token decides claim files: only for a role that holds one of these (claims.services.transitions).
DECIDE_PERMS = ("claims.adjudicate_claimfile", "claims.review_claimfile")
STAFF_SCOPES = (ApiTokenScope.STAFF_READ, ApiTokenScope.STAFF_WRITE)


class ApiTokenError(DomainError):
    pass


def token_digest(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def user_may_decide(user: User) -> bool:
    return any(user.has_perm(perm) for perm in DECIDE_PERMS)


def _check_holder(user: User, scope: str) -> None:
    roles = set(user.groups.values_list("name", flat=True))
    if not token_holder_allowed(scope=scope, is_active=user.is_active, provider_id=user.provider_id, roles=roles):
        raise ApiTokenError(MSG_NOT_PROVIDER if scope == ApiTokenScope.PROVIDER else MSG_NOT_STAFF)
    if scope == ApiTokenScope.STAFF_WRITE and not user_may_decide(user):
        raise ApiTokenError(MSG_NOT_DECIDER)


def _check_actor(actor: Actor, perm: str) -> None:
    # actor None is the system: the management command run by whoever operates the server.
    if actor is not None and not actor.has_perm(perm):
        raise ApiTokenError(MSG_FORBIDDEN)


def api_token_create(
    *,
    actor: Actor,
    user: User,
    name: str = "",
    scope: str = ApiTokenScope.PROVIDER,
    expires_in_days: int | None = None,
) -> tuple[ApiToken, str]:
    """A new live token of `scope` for `user`; returns the row and the plaintext, which is not kept."""
    _check_actor(actor, "accounts.add_apitoken")
    if scope not in ApiTokenScope.values:
        raise ValueError(f"unknown API token scope {scope!r}")
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
        raise ApiTokenError(MSG_BAD_EXPIRY)
    _check_holder(user, scope)
    plaintext = secrets.token_urlsafe(32)
    now = timezone.now()
    expires_at = None if expires_in_days is None else now + timedelta(days=expires_in_days)
    with transaction.atomic(durable=True):
        token = ApiToken.objects.create(
            user=user, name=name.strip()[:100], prefix=plaintext[:PREFIX_LENGTH], digest=token_digest(plaintext),
            scope=scope, expires_at=expires_at,
        )  # fmt: skip
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=token,
            after={
                "user": user.pk,
                "name": token.name,
                "prefix": token.prefix,
                "scope": token.scope,
                "expires_at": expires_at.isoformat() if expires_at else None,
            },
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


def api_token_authenticate(plaintext: str, scope: str | Collection[str] = ApiTokenScope.PROVIDER) -> ApiToken | None:
    """The live, unexpired token with this plaintext and one of `scope`, of a user who may hold it,
    user (and provider) fetched; None otherwise, whatever the reason (a caller learns nothing).

    One query (accounts.token_lookup); `last_used_at` is refreshed only when it is a minute old or
    more, by a conditional UPDATE, so concurrent calls write it once and most calls do not write at all.
    """
    if not plaintext or len(plaintext) > 256:
        return None
    scopes = [scope] if isinstance(scope, str) else list(scope)
    now = timezone.now()
    # The holder is checked again on each call: a provider user unlinked, a staff user who left, is refused.
    token = token_live(digest=token_digest(plaintext), scopes=scopes, now=now)
    if token is None:
        return None
    if token.scope == ApiTokenScope.STAFF_WRITE and not user_may_decide(token.user):
        return None  # the user's role changed since: the token no longer writes
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_EVERY)
        ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
