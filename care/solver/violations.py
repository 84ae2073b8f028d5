"""The rules of a timetable, checked on any list of sessions: the page refuses a hand change with these.

Each Violation names its rule by `code`, the session it concerns (its index in the list given) and,
for a clash, the `other` session; `params` hold what a translated message needs. The codes:

- unknown_child, unknown_therapist, unknown_room, not_in_plan: the session refers to nothing planned;
- outside_day: the session does not fit in one day of the week;
- child_busy, therapist_busy, room_busy: two sessions at once (reported once per pair);
- child_unavailable, therapist_unavailable: a slot outside availability (a child's group class);
- room_wrong_therapy, therapist_wrong_therapy: the room or therapist does not serve the therapy;
- two_same_therapy_same_day: two sessions of one therapy for a child on one day;
- therapist_changed: the child already has another therapist for this therapy this week;
- too_many_sessions: more sessions than the plan item has.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from care.solver.model import Instance, Session, Slot


@dataclass(frozen=True, slots=True)
class Violation:
    code: str
    session: int
    other: int | None = None
    params: Mapping[str, str | int] = field(default_factory=dict)


def _fits(instance: Instance, s: Session) -> bool:
    return (
        0 <= s.day < instance.days and s.length >= 1 and 0 <= s.start and s.start + s.length <= instance.slots_per_day
    )


def _clashes(sessions: Sequence[Session], key: str, code: str, out: list[Violation], indices: Sequence[int]) -> None:
    """One violation per pair of sessions sharing `key` (child, therapist or room) at some slot."""
    owner: dict[tuple[str, int, int], int] = {}
    seen: set[tuple[int, int]] = set()
    for i in indices:
        s = sessions[i]
        who = getattr(s, key)
        for slot in s.slots:
            j = owner.setdefault((who, s.day, slot), i)
            if j != i and (j, i) not in seen:
                seen.add((j, i))
                out.append(Violation(code, i, j, {key: who, "day": s.day, "slot": slot}))


def violations(instance: Instance, sessions: Sequence[Session]) -> list[Violation]:
    """Every broken rule in `sessions` (empty when the timetable is valid); unmet plans are not violations."""
    children = {c.id: c for c in instance.children}
    therapists = {t.id: t for t in instance.therapists}
    rooms = {r.id: r for r in instance.rooms}
    out: list[Violation] = []
    placeable: list[int] = []
    for i, s in enumerate(sessions):
        child, therapist, room = children.get(s.child), therapists.get(s.therapist), rooms.get(s.room)
        bad = False
        for kind, row, name in (
            ("child", child, s.child),
            ("therapist", therapist, s.therapist),
            ("room", room, s.room),
        ):
            if row is None:
                out.append(Violation(f"unknown_{kind}", i, None, {kind: name}))
                bad = True
        if not _fits(instance, s):
            out.append(Violation("outside_day", i, None, {"day": s.day, "start": s.start, "length": s.length}))
            bad = True
        if bad:
            continue
        assert child is not None and therapist is not None and room is not None
        placeable.append(i)
        if not any(item.therapy == s.therapy and item.length == s.length for item in child.plan):
            out.append(Violation("not_in_plan", i, None, {"child": s.child, "therapy": s.therapy, "length": s.length}))
        if s.therapy not in room.therapies:
            out.append(Violation("room_wrong_therapy", i, None, {"room": s.room, "therapy": s.therapy}))
        if s.therapy not in therapist.therapies:
            out.append(Violation("therapist_wrong_therapy", i, None, {"therapist": s.therapist, "therapy": s.therapy}))
        for who, row_available, code in (
            (s.child, child.available, "child_unavailable"),
            (s.therapist, therapist.available, "therapist_unavailable"),
        ):
            missing = [slot for slot in s.slots if Slot(s.day, slot) not in row_available]
            if missing:
                kind = code.split("_")[0]
                out.append(Violation(code, i, None, {kind: who, "day": s.day, "slot": missing[0]}))
    _clashes(sessions, "child", "child_busy", out, placeable)
    _clashes(sessions, "therapist", "therapist_busy", out, placeable)
    _clashes(sessions, "room", "room_busy", out, placeable)
    _per_child_rules(instance, sessions, placeable, out)
    out.sort(key=lambda v: (v.session, v.code))
    return out


def _per_child_rules(instance: Instance, sessions: Sequence[Session], indices: list[int], out: list[Violation]) -> None:
    plan = {(c.id, item.therapy, item.length): item.sessions for c in instance.children for item in c.plan}
    first_day: dict[tuple[str, str, int], int] = {}
    first_therapist: dict[tuple[str, str], int] = {}
    count: dict[tuple[str, str, int], int] = {}
    for i in indices:
        s = sessions[i]
        j = first_day.setdefault((s.child, s.therapy, s.day), i)
        if j != i:
            out.append(
                Violation("two_same_therapy_same_day", i, j, {"child": s.child, "therapy": s.therapy, "day": s.day})
            )
        j = first_therapist.setdefault((s.child, s.therapy), i)
        if sessions[j].therapist != s.therapist:
            out.append(
                Violation(
                    "therapist_changed",
                    i,
                    j,
                    {"child": s.child, "therapy": s.therapy, "therapist": s.therapist, "before": sessions[j].therapist},
                )
            )
        key = (s.child, s.therapy, s.length)
        count[key] = count.get(key, 0) + 1
        if key in plan and count[key] == plan[key] + 1:
            out.append(
                Violation("too_many_sessions", i, None, {"child": s.child, "therapy": s.therapy, "sessions": plan[key]})
            )
