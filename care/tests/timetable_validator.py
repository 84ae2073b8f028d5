"""An independent check of a timetable, for the tests only: it reads the raw JSON values (instance and
solution dicts) and shares no code with care.solver, so a bug in the solver's own rule checks or data
classes cannot hide a bad timetable.

`timetable_problems(instance, solution)` returns one English line per broken rule (empty when valid):
everyone in one place at a time, availability (group classes are the slots left out of a child's
list), the room and the therapist serve the therapy, one therapist per child and therapy for the week,
at most one session of a therapy a day, no more sessions than planned, and `unmet` exactly
planned − placed for every plan item.
"""

from __future__ import annotations

from collections import Counter
from typing import Any


def _as_pairs(rows: list[list[int]]) -> set[tuple[int, int]]:
    return {(int(day), int(slot)) for day, slot in rows}


def timetable_problems(instance: dict[str, Any], solution: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    days, per_day = instance["days"], instance["slots_per_day"]
    rooms = {r["id"]: set(r["therapies"]) for r in instance["rooms"]}
    therapists = {t["id"]: (set(t["therapies"]), _as_pairs(t["available"])) for t in instance["therapists"]}
    children = {c["id"]: (_as_pairs(c["available"]), c["plan"]) for c in instance["children"]}

    occupied: dict[tuple[str, str, int, int], int] = {}
    therapist_for: dict[tuple[str, str], str] = {}
    therapy_days: Counter[tuple[str, str, int]] = Counter()
    placed: Counter[tuple[str, str, int]] = Counter()
    for n, s in enumerate(solution["sessions"]):
        child, therapy, therapist, room = s["child"], s["therapy"], s["therapist"], s["room"]
        day, start, length = s["day"], s["start"], s["length"]
        if child not in children or therapist not in therapists or room not in rooms:
            problems.append(f"session {n}: unknown child, therapist or room")
            continue
        if not (0 <= day < days and length >= 1 and start >= 0 and start + length <= per_day):
            problems.append(f"session {n}: not inside one day")
            continue
        covered = [(day, slot) for slot in range(start, start + length)]
        child_free, plan = children[child]
        skills, therapist_free = therapists[therapist]
        for pair in covered:
            if pair not in child_free:
                problems.append(f"session {n}: child {child} not available at {pair}")
            if pair not in therapist_free:
                problems.append(f"session {n}: therapist {therapist} not available at {pair}")
            for kind, who in (("child", child), ("therapist", therapist), ("room", room)):
                earlier = occupied.get((kind, who, *pair))
                if earlier is not None:
                    problems.append(f"session {n}: {kind} {who} already in session {earlier} at {pair}")
                occupied[(kind, who, *pair)] = n
        if therapy not in rooms[room]:
            problems.append(f"session {n}: room {room} does not serve {therapy}")
        if therapy not in skills:
            problems.append(f"session {n}: therapist {therapist} does not practise {therapy}")
        if therapist_for.setdefault((child, therapy), therapist) != therapist:
            problems.append(f"session {n}: child {child} has two therapists for {therapy}")
        therapy_days[(child, therapy, day)] += 1
        if therapy_days[(child, therapy, day)] == 2:
            problems.append(f"session {n}: child {child} has {therapy} twice on day {day}")
        if not any(p["therapy"] == therapy and p["length"] == length for p in plan):
            problems.append(f"session {n}: not in the plan of {child}")
        placed[(child, therapy, length)] += 1

    expected = {}
    for child, (_free, plan) in children.items():
        for p in plan:
            key = (child, p["therapy"], p["length"])
            if placed[key] > p["sessions"]:
                problems.append(f"{key}: {placed[key]} sessions placed for {p['sessions']} planned")
            if placed[key] < p["sessions"]:
                expected[key] = p["sessions"] - placed[key]
    reported = {(u["child"], u["therapy"], u["length"]): u["missing"] for u in solution["unmet"]}
    if reported != expected:
        problems.append(f"unmet reported {sorted(reported.items())}, recomputed {sorted(expected.items())}")
    return problems


def sessions_planned(instance: dict[str, Any]) -> int:
    return sum(p["sessions"] for c in instance["children"] for p in c["plan"])
