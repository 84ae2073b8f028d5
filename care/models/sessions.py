"""Weekly plans, timetables, sessions, attendance, progress notes, billing."""

from __future__ import annotations

__all__: list[str] = []
