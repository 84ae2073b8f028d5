"""The solver's data: a centre's week (Instance) and its timetable (Solution), as plain dataclasses.

Days and slots count from 0; a slot is 30 minutes and a session of length L takes L consecutive
slots of one day. Ids are opaque strings, so the page and the JSON files use their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


class Slot(NamedTuple):
    day: int
    slot: int


@dataclass(frozen=True, slots=True)
class Room:
    id: str
    therapies: frozenset[str]


@dataclass(frozen=True, slots=True)
class Therapist:
    id: str
    therapies: frozenset[str]
    available: frozenset[Slot]


@dataclass(frozen=True, slots=True)
class PlanItem:
    """`sessions` sessions of `length` slots of one therapy in the week (at most one of a therapy a day)."""

    therapy: str
    sessions: int
    length: int


@dataclass(frozen=True, slots=True)
class Child:
    id: str
    available: frozenset[Slot]
    plan: tuple[PlanItem, ...]


@dataclass(frozen=True, slots=True)
class Instance:
    days: int
    slots_per_day: int
    therapies: tuple[str, ...]
    rooms: tuple[Room, ...]
    therapists: tuple[Therapist, ...]
    children: tuple[Child, ...]

    @property
    def sessions_planned(self) -> int:
        return sum(item.sessions for child in self.children for item in child.plan)

    @property
    def slots_planned(self) -> int:
        return sum(item.sessions * item.length for child in self.children for item in child.plan)


@dataclass(frozen=True, slots=True)
class Session:
    child: str
    therapy: str
    therapist: str
    room: str
    day: int
    start: int
    length: int

    @property
    def slots(self) -> range:
        return range(self.start, self.start + self.length)


@dataclass(frozen=True, slots=True)
class Unmet:
    """A plan item short of `missing` sessions."""

    child: str
    therapy: str
    length: int
    missing: int


class Status(StrEnum):
    # OPTIMAL: no timetable places more sessions (every plan met, or proven by the solver's bound).
    OPTIMAL = "optimal"
    # FEASIBLE: the best timetable found within the time limit, more might fit.
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Solution:
    sessions: tuple[Session, ...]
    unmet: tuple[Unmet, ...]
    seconds: float
    status: Status
    # How the timetable was reached, for the bench and the logs (not part of the JSON contract).
    stats: dict[str, float | int | str] = field(default_factory=dict, compare=False)

    @property
    def plans_met(self) -> bool:
        return not self.unmet


def unmet_compute(instance: Instance, sessions: tuple[Session, ...] | list[Session]) -> tuple[Unmet, ...]:
    """Planned minus placed for every plan item, in the instance's order (only the short ones)."""
    placed: dict[tuple[str, str, int], int] = {}
    for session in sessions:
        key = (session.child, session.therapy, session.length)
        placed[key] = placed.get(key, 0) + 1
    short = []
    for child in instance.children:
        for item in child.plan:
            missing = item.sessions - placed.get((child.id, item.therapy, item.length), 0)
            if missing > 0:
                short.append(Unmet(child=child.id, therapy=item.therapy, length=item.length, missing=missing))
    return tuple(short)
