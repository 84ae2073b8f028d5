"""The admin of rows that only services write (jobs, tokens, requests, enrolments): shown, never edited."""

from __future__ import annotations

from typing import Any


class ReadOnlyAdmin:
    """ModelAdmin mixin: no add, change or delete from the admin; the state changes go through the
    app's services and their transition tables, which audit them."""

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
