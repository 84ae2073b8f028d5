"""Generated centres for the bench, the tests and the demo: seeded, and feasible by construction.

`centre_generate` first lays out rooms (each serves one main therapy, some a second), therapists (one
or two therapies, full or part time) and children (three programmes whose group classes block part of
their week), then plants a hidden timetable session by session until the plans need `load` of the room
hours, and returns only the plans. So a timetable meeting every plan exists, and a solver that falls
short of it is the solver's fault, not the instance's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from care.solver.model import Child, Instance, PlanItem, Room, Slot, Therapist

# Therapy -> share of the sessions (special education and speech therapy are the most asked for).
THERAPIES: dict[str, int] = {
    "special_education": 5,
    "speech": 5,
    "psychomotor": 4,
    "physio": 3,
    "psychology": 3,
    "occupational": 2,
}
DAYS, SLOTS = 5, 16
MAX_THERAPIES, MAX_SESSIONS = 6, 3


def _programme_blocks(programme: int) -> set[Slot]:
    """Group classes: schooling in the mornings from Monday to Thursday, the others shorter blocks."""
    if programme == 0:  # socialisation: a morning circle every day
        return {Slot(d, s) for d in range(DAYS) for s in (0, 1)}
    if programme == 1:  # schooling
        return {Slot(d, s) for d in range(4) for s in range(0, 6)}
    return {Slot(d, s) for d in (1, 3) for s in range(10, 16)}  # pre-vocational workshops


@dataclass
class _Plant:
    rng: random.Random
    rooms: list[Room]
    therapists: list[Therapist]
    children_free: list[frozenset[Slot]]
    busy: set[tuple[str, int, int, int]] = field(default_factory=set)
    # child -> therapy -> [therapist, length, days used]
    plans: list[dict[str, list]] = field(default_factory=list)
    slots: int = 0

    def _free(self, kind: str, who: int, day: int, start: int, length: int) -> bool:
        return all((kind, who, day, s) not in self.busy for s in range(start, start + length))

    def place(self, child: int, therapy: str, therapist: int, length: int, days_used: list[int]) -> bool:
        options = []
        t_available = self.therapists[therapist].available
        for day in range(DAYS):
            if day in days_used:
                continue
            for start in range(SLOTS - length + 1):
                span = [Slot(day, start + k) for k in range(length)]
                if not all(s in self.children_free[child] and s in t_available for s in span):
                    continue
                if not (self._free("c", child, day, start, length) and self._free("t", therapist, day, start, length)):
                    continue
                for r, room in enumerate(self.rooms):
                    if therapy in room.therapies and self._free("r", r, day, start, length):
                        options.append((day, start, r))
        if not options:
            return False
        day, start, r = self.rng.choice(options)
        for s in range(start, start + length):
            self.busy.update({("c", child, day, s), ("t", therapist, day, s), ("r", r, day, s)})
        days_used.append(day)
        self.slots += length
        return True

    def add_therapy(self, child: int, therapy: str) -> bool:
        candidates = [i for i, t in enumerate(self.therapists) if therapy in t.therapies]
        self.rng.shuffle(candidates)
        length = self.rng.choices((1, 2, 3), weights=(4, 5, 1))[0]
        for therapist in candidates[:3]:
            days: list[int] = []
            if self.place(child, therapy, therapist, length, days):
                self.plans[child][therapy] = [therapist, length, days]
                return True
        return False

    def add_session(self, child: int, therapy: str) -> bool:
        therapist, length, days = self.plans[child][therapy]
        return len(days) < MAX_SESSIONS and self.place(child, therapy, therapist, length, days)


def _therapies_for(rng: random.Random, count: int) -> list[str]:
    """`count` main therapies in proportion to THERAPIES, every therapy at least once when count allows."""
    names = list(THERAPIES)
    out = names[: min(count, len(names))]
    out += rng.choices(names, weights=list(THERAPIES.values()), k=count - len(out))
    rng.shuffle(out)
    return out


def centre_generate(*, children: int, therapists: int, rooms: int, load: float, seed: int) -> Instance:
    """A centre whose plans need about `load` (0..1) of its room hours, with a timetable meeting them all."""
    rng = random.Random(seed)
    names = list(THERAPIES)
    room_rows = []
    for i, main in enumerate(_therapies_for(rng, rooms)):
        serves = {main}
        if rng.random() < 0.4:
            serves.add(rng.choice(names))
        room_rows.append(Room(id=f"R{i + 1:02d}", therapies=frozenset(serves)))
    all_slots = {Slot(d, s) for d in range(DAYS) for s in range(SLOTS)}
    therapist_rows = []
    for i, main in enumerate(_therapies_for(rng, therapists)):
        serves = {main}
        if rng.random() < 0.25:
            serves.add(rng.choice(names))
        available = set(all_slots)
        kind = rng.random()
        if kind < 0.15:  # four days a week
            off = rng.randrange(DAYS)
            available -= {s for s in all_slots if s.day == off}
        elif kind < 0.25:  # mornings only
            available -= {s for s in all_slots if s.slot >= SLOTS // 2 + 1}
        therapist_rows.append(
            Therapist(id=f"T{i + 1:02d}", therapies=frozenset(serves), available=frozenset(available))
        )
    programmes = [rng.choices((0, 1, 2), weights=(2, 1, 1))[0] for _ in range(children)]
    free = [frozenset(all_slots - _programme_blocks(p)) for p in programmes]
    plant = _Plant(rng, room_rows, therapist_rows, free, plans=[{} for _ in range(children)])
    target = round(load * rooms * DAYS * SLOTS)
    served = [
        t for t in names if any(t in r.therapies for r in room_rows) and any(t in x.therapies for x in therapist_rows)
    ]
    weights = [THERAPIES[t] for t in served]
    for child in range(children):  # every child has at least two therapies
        for _ in range(20):
            if len(plant.plans[child]) >= 2:
                break
            therapy = rng.choices(served, weights=weights)[0]
            if therapy not in plant.plans[child]:
                plant.add_therapy(child, therapy)
    failures = 0
    while plant.slots < target and failures < 2000:
        child = rng.randrange(children)
        plans = plant.plans[child]
        therapy = rng.choices(served, weights=weights)[0]
        if therapy in plans:
            ok = plant.add_session(child, therapy)
        else:
            ok = len(plans) < MAX_THERAPIES and plant.add_therapy(child, therapy)
        failures = 0 if ok else failures + 1
    child_rows = [
        Child(
            id=f"C{c + 1:03d}",
            available=free[c],
            plan=tuple(
                PlanItem(therapy=t, sessions=len(days), length=length)
                for t, (_therapist, length, days) in plant.plans[c].items()
            ),
        )
        for c in range(children)
    ]
    return Instance(
        days=DAYS,
        slots_per_day=SLOTS,
        therapies=tuple(names),
        rooms=tuple(room_rows),
        therapists=tuple(therapist_rows),
        children=tuple(child_rows),
    )
