"""Who does something, as the services take it: a user, or None for the system (demo, imports, jobs)."""

from __future__ import annotations

from typing import Any, Protocol, TypeAlias


class ActorUser(Protocol):
    """What a service reads of the user acting: a logged-in User, or the AnonymousUser of a request."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...

    def has_perm(self, perm: str, obj: Any = None) -> bool: ...


Actor: TypeAlias = ActorUser | None
