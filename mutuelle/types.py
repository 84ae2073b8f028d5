"""Who does something, as the services take it: a user, or None for the system (demo, imports, jobs)."""

from __future__ import annotations

from typing import Any, Protocol, TypeAlias, TypeVar


class ActorUser(Protocol):
    """What a service reads of the user acting: a logged-in User, or the AnonymousUser of a request."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...

    def has_perm(self, perm: str, obj: Any = None) -> bool: ...


Actor: TypeAlias = ActorUser | None


_A = TypeVar("_A", bound=ActorUser)


def actor_user(actor: _A | None) -> _A | None:
    """The user to record (a foreign key's value): None for the system and for an anonymous request."""
    return actor if actor is not None and actor.is_authenticated else None


def actor_id(actor: Actor) -> int | None:
    """The id of the user to record (audit and history rows), None for the system or an anonymous request."""
    user = actor_user(actor)
    return None if user is None else int(user.pk)
