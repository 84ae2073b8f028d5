from __future__ import annotations

from collections.abc import Callable

import pytest

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_create


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    counter = {"n": 0}

    def make(role: Role, **kwargs: object) -> User:
        counter["n"] += 1
        username = str(kwargs.pop("username", f"{role.value}{counter['n']}"))
        return user_create(username=username, password="pass-Word-123", role=role, **kwargs)  # type: ignore[arg-type]  # noqa: S106

    return make


@pytest.fixture
def client_for(client, make_user):  # type: ignore[no-untyped-def]
    """A logged-in Django test client for a new user of the given role."""

    def login(role: Role, **kwargs: object):  # type: ignore[no-untyped-def]
        user = make_user(role, **kwargs)
        client.force_login(user)
        client.user = user
        return client

    return login
