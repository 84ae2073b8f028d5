"""The bearer token of an API call, found in one raw query: token, user, provider and the user's roles.

Every /api/v1 and /fhir call starts here, so it is written for speed: one statement by the
digest's unique index, its SQL built once per process from the models' own columns, the rows
typed by the fields' own database converters (as the ORM types them), the model instances built
with `from_db`. Compiling the equivalent queryset (two joins and the holder's subquery) cost more
than running it.

Who may hold a token of each scope is one rule (`token_holder_allowed`), used when a token is
issued and on every call, so a provider unlinked or a staff user who left is refused at once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.contrib.auth.models import Group
from django.db import connection, models

from accounts.models import ApiToken, ApiTokenScope, Provider, User
from accounts.roles import Role

# The roles that are not the mutual's staff: their users never get a staff token.
NOT_STAFF_ROLES = frozenset({Role.PROVIDER.value, Role.MEMBER.value})


def token_holder_allowed(*, scope: str, is_active: bool, provider_id: int | None, roles: Collection[str]) -> bool:
    """A provider token: an active user in the provider role, linked to a provider. A staff token
    (read or write): an active user in some role, none of them provider or member, with no provider."""
    if not is_active:
        return False
    if scope == ApiTokenScope.PROVIDER:
        return provider_id is not None and Role.PROVIDER.value in roles
    return provider_id is None and bool(roles) and not NOT_STAFF_ROLES.intersection(roles)


Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True)
class _Columns:
    """One model's columns in the statement: its attribute names and each value's converters."""

    model: type[models.Model]
    attnames: list[str]
    converters: list[tuple[list[Converter], Any]]

    def instance(self, values: tuple[Any, ...]) -> Any:
        typed = []
        for value, (converters, column) in zip(values, self.converters, strict=True):
            for convert in converters:
                value = convert(value, column, connection)
            typed.append(value)
        return self.model.from_db(connection.alias, self.attnames, typed)


def _columns(model: type[models.Model]) -> _Columns:
    fields = model._meta.concrete_fields
    converters = []
    for field in fields:
        column = field.get_col(model._meta.db_table)
        converters.append((connection.ops.get_db_converters(column) + column.get_db_converters(connection), column))
    return _Columns(model, [f.attname for f in fields], converters)


@dataclass(frozen=True)
class _Statement:
    sql: str
    token: _Columns
    user: _Columns
    provider: _Columns


@lru_cache(maxsize=4)
def _statement(vendor: str) -> _Statement:
    """The lookup's SQL and column maps, built once per database vendor (its quoting and converters)."""
    q = connection.ops.quote_name
    parts = {"t": ApiToken, "u": User, "p": Provider}
    select = ", ".join(f"{alias}.{q(f.column)}" for alias, m in parts.items() for f in m._meta.concrete_fields)
    memberships = User.groups.through._meta.db_table
    sql = (
        f"SELECT {select}, g.{q('name')} FROM {q(ApiToken._meta.db_table)} t "  # noqa: S608
        f"JOIN {q(User._meta.db_table)} u ON u.{q('id')} = t.{q('user_id')} "
        f"LEFT JOIN {q(Provider._meta.db_table)} p ON p.{q('id')} = u.{q('provider_id')} "
        f"LEFT JOIN {q(memberships)} ug ON ug.{q('user_id')} = u.{q('id')} "
        f"LEFT JOIN {q(Group._meta.db_table)} g ON g.{q('id')} = ug.{q('group_id')} "
        f"WHERE t.{q('digest')} = %s AND t.{q('revoked_at')} IS NULL"
    )
    return _Statement(sql, _columns(ApiToken), _columns(User), _columns(Provider))


def token_live(*, digest: str, scopes: Collection[str], now: datetime) -> ApiToken | None:
    """The unrevoked, unexpired token with this digest and one of `scopes`, of a user who may hold
    it, with `user` and `user.provider` set; None otherwise."""
    statement = _statement(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, [digest])
        rows = cursor.fetchall()
    if not rows:
        return None
    n_token, n_user = len(statement.token.attnames), len(statement.user.attnames)
    first = rows[0]
    token: ApiToken = statement.token.instance(first[:n_token])
    if token.scope not in scopes or (token.expires_at is not None and token.expires_at <= now):
        return None
    user: User = statement.user.instance(first[n_token : n_token + n_user])
    roles = {row[-1] for row in rows if row[-1] is not None}
    if not token_holder_allowed(scope=token.scope, is_active=user.is_active, provider_id=user.provider_id, roles=roles):
        return None
    user.provider = statement.provider.instance(first[n_token + n_user : -1]) if user.provider_id else None
    token.user = user
    return token
