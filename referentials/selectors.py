"""Reads of referentials: the engine snapshot, cached per process."""

from __future__ import annotations

import threading
from datetime import date

from engine import Snapshot, snapshot_build
from referentials.engine_data import engine_data
from referentials.models import ReferentialVersion

_lock = threading.Lock()
_cache: dict[str, tuple[str, Snapshot]] = {}


def referential_version() -> str:
    """Token changed by every referential write (see services.referential_version_bump)."""
    return ReferentialVersion.objects.filter(pk=1).values_list("token", flat=True).first() or ""


def referential_snapshot(*, on: date | None = None) -> Snapshot:
    """The engine's Snapshot from the DB rows.

    With `on=None` (the usual call) it holds every dated row, so claims of any date are judged
    by the rules in force on their date of care; it is cached per process and rebuilt when the
    version token changes. With a date it holds only the rows in force that day (not cached).
    """
    if on is not None:
        return snapshot_build(engine_data(on=on))
    token = referential_version()
    cached = _cache.get("all")
    if cached is not None and cached[0] == token:
        return cached[1]
    with _lock:
        snapshot = snapshot_build(engine_data())
        _cache["all"] = (token, snapshot)
    return snapshot


def referential_snapshot_clear() -> None:
    """Forget the cached snapshot (tests, or after rows were edited outside the services)."""
    _cache.clear()
