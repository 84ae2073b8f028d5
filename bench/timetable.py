"""Benchmark of the Amal centres' timetable solver on a centre the size of Rabat's (no database).

130 children with 2 to 6 therapies each, 25 therapists, 15 rooms, 5 days x 16 slots, generated with a
fixed seed (care.solver.generate: feasible by construction) so that the plans need 80 % and then 90 %
of the room hours. One JSON line per load: the solver's seconds, plans met, plans, sessions placed;
and the floor of the greedy alone in the same run (what the solver starts from).

`python bench/timetable.py` or `python -m bench --only timetable`.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from care.solver import Instance, Solution, solve
from care.solver.generate import centre_generate
from care.solver.greedy import greedy_solve
from care.solver.problem import problem_build

SEED = 20261202
CHILDREN, THERAPISTS, ROOMS = 130, 25, 15
# Load -> the solver's time limit (the goal and stretch: 60 s at 80 %, 120 s at 90 %).
LOADS = {0.8: 60.0, 0.9: 120.0}


def _plans_met(instance: Instance, solution: Solution) -> int:
    short = {(u.child, u.therapy, u.length) for u in solution.unmet}
    return sum(1 for c in instance.children for p in c.plan if (c.id, p.therapy, p.length) not in short)


def _greedy_floor(instance: Instance) -> dict[str, Any]:
    began = time.monotonic()
    problem = problem_build(instance)
    placements = greedy_solve(problem)
    seconds = time.monotonic() - began
    placed: dict[int, int] = {}
    for p in placements:
        placed[p.item] = placed.get(p.item, 0) + 1
    met = sum(1 for item in problem.items if placed.get(item.index, 0) == item.sessions)
    return {"greedy_seconds": round(seconds, 3), "greedy_plans_met": met, "greedy_sessions": len(placements)}


def run_load(
    load: float,
    *,
    time_limit: float,
    children: int = CHILDREN,
    therapists: int = THERAPISTS,
    rooms: int = ROOMS,
    workers: int = 2,
    seed: int = SEED,
) -> dict[str, Any]:
    instance = centre_generate(children=children, therapists=therapists, rooms=rooms, load=load, seed=seed)
    solution = solve(instance, time_limit=time_limit, workers=workers, seed=0)
    room_hours = rooms * instance.days * instance.slots_per_day
    return {
        "scenario": "timetable",
        "load": load,
        "seconds": round(solution.seconds, 2),
        "plans_met": _plans_met(instance, solution),
        "plans": sum(len(c.plan) for c in instance.children),
        "sessions": len(solution.sessions),
        "sessions_planned": instance.sessions_planned,
        "status": solution.status.value,
        "room_load": round(instance.slots_planned / room_hours, 3),
        "time_limit": time_limit,
        **_greedy_floor(instance),
    }


def run() -> list[dict[str, Any]]:
    return [run_load(load, time_limit=limit) for load, limit in LOADS.items()]


if __name__ == "__main__":
    for row in run():
        print(json.dumps(row), flush=True)
