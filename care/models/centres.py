"""Centres, programmes, therapies, rooms, staff, group classes, applications, enrolment, waiting list."""

from __future__ import annotations

__all__: list[str] = []
