"""solve(): the greedy first (it often meets every plan at once), then CP-SAT from its timetable.

A small centre goes to CP-SAT whole, which can prove that no timetable places more. A large one is
improved by the large neighbourhood search (care.solver.lns) until every plan is met or time is up.
A timetable placing every session any timetable could (problem_bound) is optimal without proof search.
"""

from __future__ import annotations

import time

from care.solver.cpsat import model_solve
from care.solver.greedy import Placement, greedy_solve
from care.solver.lns import lns_improve
from care.solver.model import Instance, Session, Solution, Status, unmet_compute
from care.solver.problem import Problem, problem_bound, problem_build

# Up to this many (child, therapy) plans, one CP-SAT model of the whole centre presolves in a moment.
WHOLE_MODEL_GROUPS = 120
# A larger centre: the neighbourhood search first, for at most this share of the time limit or until
# this many steps in a row gain nothing; then the whole model from its timetable. Measured: at Rabat's
# size the search meets every plan (0.5 to 75 s over seven 90 % centres) where the whole model gains a
# session every 15 s; on 60 children in 6 rooms at 90 % the search stalls 2 to 5 sessions short where
# the whole model (light presolve) meets every plan in 16 to 22 s.
LNS_SHARE = 0.6
LNS_STALL = 40
WHOLE_MODEL_LIGHT = {"cp_model_probing_level": 0, "symmetry_level": 0}


def _sessions(problem: Problem, placements: list[Placement]) -> tuple[Session, ...]:
    inst = problem.instance
    sessions = []
    for p in placements:
        item = problem.items[p.item]
        sessions.append(
            Session(
                child=inst.children[item.child].id,
                therapy=item.therapy,
                therapist=inst.therapists[p.therapist].id,
                room=inst.rooms[p.room].id,
                day=p.day,
                start=p.start,
                length=item.length,
            )
        )
    # The instance's order of children, then the week's order: files and pages read in a stable order.
    order = {c.id: i for i, c in enumerate(inst.children)}
    return tuple(sorted(sessions, key=lambda s: (order[s.child], s.day, s.start, s.therapy)))


def solve(instance: Instance, *, time_limit: float = 30.0, workers: int = 2, seed: int = 0) -> Solution:
    """The timetable placing the most sessions found within `time_limit` seconds (wall clock).

    `workers` and `seed` are CP-SAT's; with workers=1 and a fixed seed two runs give the same timetable
    (unless the time limit cuts the search at a different point).
    """
    began = time.monotonic()
    deadline = began + time_limit
    problem = problem_build(instance)
    bound = problem_bound(problem)
    placements = greedy_solve(problem)
    stats: dict[str, float | int | str] = {"greedy_sessions": len(placements), "bound": bound}
    stats["greedy_seconds"] = round(time.monotonic() - began, 3)
    proven = len(placements) >= bound
    if not proven and len(problem.groups) <= WHOLE_MODEL_GROUPS:
        result = model_solve(
            problem, hint=placements, time_limit=deadline - time.monotonic(), workers=workers, seed=seed
        )
        stats.update({"model_status": result.status, "model_bound": result.bound})
        if len(result.placements) >= len(placements):
            placements = result.placements
        proven = result.proven_optimal
    elif not proven:
        lns_deadline = began + LNS_SHARE * time_limit
        lns = lns_improve(problem, placements, deadline=lns_deadline, workers=workers, seed=seed, stall=LNS_STALL)
        stats.update({"lns_steps": lns.steps, "lns_improving_steps": lns.improving_steps})
        placements = lns.placements
        if len(placements) < bound and deadline - time.monotonic() > 1.0:
            # Stuck: the whole model from the search's timetable, with the light presolve of the steps.
            result = model_solve(
                problem,
                hint=placements,
                time_limit=deadline - time.monotonic(),
                workers=workers,
                seed=seed,
                params=WHOLE_MODEL_LIGHT,
            )
            stats.update({"model_status": result.status, "model_bound": result.bound})
            if len(result.placements) > len(placements):
                placements = result.placements
    proven = proven or len(placements) >= bound
    sessions = _sessions(problem, placements)
    return Solution(
        sessions=sessions,
        unmet=unmet_compute(instance, sessions),
        seconds=time.monotonic() - began,
        status=Status.OPTIMAL if proven else Status.FEASIBLE,
        stats=stats,
    )
