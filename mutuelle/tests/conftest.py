from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import Provider, User
from accounts.roles import Role
from accounts.tokens import api_token_create


@pytest.fixture
def provider_client(make_user: Callable[..., User]) -> Client:
    """A client holding a real API token of a new provider user (a clinic)."""
    provider = Provider.objects.create(inpe="100000901", name="Clinique Agdal", kind="clinic", sector="private")
    user = make_user(Role.PROVIDER, provider_id=provider.pk)
    _token, plaintext = api_token_create(actor=None, user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    """The rate limiters count in the cache: each test starts with none used."""
    cache.clear()
    yield
    cache.clear()
