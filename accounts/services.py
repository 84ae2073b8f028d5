from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from accounts.models import LoginFailure, User
from accounts.roles import ROLE_PERMISSIONS, Role
from accounts.usernames import username_lockout_key


def roles_sync() -> None:
    """Make each role's group hold exactly the permissions ROLE_PERMISSIONS gives it."""
    wanted = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
    by_name: dict[str, Permission] = {}
    for perm in Permission.objects.select_related("content_type"):
        key = f"{perm.content_type.app_label}.{perm.codename}"
        if key in wanted:
            by_name[key] = perm
    with transaction.atomic():
        for role, perms in ROLE_PERMISSIONS.items():
            group, _ = Group.objects.get_or_create(name=role.value)
            group.permissions.set([by_name[p] for p in perms if p in by_name])


def roles_sync_after_migrate(sender: Any, **kwargs: Any) -> None:
    # Sent once per migrated app; syncing each time is cheap and makes the last one complete.
    roles_sync()


def user_create(
    *,
    username: str,
    password: str,
    role: Role,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    provider_id: int | None = None,
) -> User:
    with transaction.atomic():
        user = User.objects.create_user(
            username=username,
            password=password,
            first_name=first_name,
            last_name=last_name,
            email=email,
            provider_id=provider_id,
            is_staff=role == Role.ADMINISTRATOR,
        )
        group, _ = Group.objects.get_or_create(name=role.value)
        user.groups.add(group)
    return user


def _window_start() -> Any:
    return timezone.now() - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)


def login_attempt_start(*, username: str, ip_address: str | None) -> bool:
    """Count one login attempt for the account and the address; False when either is locked.

    The attempt is written (and committed) before counting, deliberately outside a transaction:
    of several concurrent attempts, the k-th one written sees at least k rows, so no more than the
    limit get through even from several workers at once. A refused attempt removes its row (the
    lock ends with the window); one that fails keeps it; `login_attempt_clear` forgets a success.
    """
    key = username_lockout_key(username)
    LoginFailure.objects.filter(created_at__lt=_window_start()).delete()
    attempt = LoginFailure.objects.create(username=key, ip_address=ip_address)
    recent = LoginFailure.objects.filter(created_at__gte=_window_start())
    limit = settings.LOGIN_THROTTLE_LIMIT
    # Per address the allowance is larger: a counter's shared machine serves several agents.
    locked = recent.filter(username=key).count() > limit or (
        bool(ip_address) and recent.filter(ip_address=ip_address).count() > limit * 4
    )
    if locked:
        attempt.delete()
    return not locked


def login_attempt_clear(*, username: str) -> None:
    """The right password was given: the account's failures are forgotten."""
    with transaction.atomic():
        LoginFailure.objects.filter(username=username_lockout_key(username)).delete()
