"""Large neighbourhood search around the plans still short: free a few dozen plans, re-solve them with CP-SAT.

The whole centre in one CP-SAT model is slow to even presolve at Rabat's size (tens of thousands of
optional intervals, half a minute on two cores before the search starts). But a timetable from the
greedy is short of a handful of sessions only, and fitting them in needs local reshuffles: so each
step takes one short plan, frees it with the child's other plans and the plans that use its
therapists or rooms on a few days, and asks CP-SAT to place as many of the freed sessions as it can
with everything else fixed. A step never loses a session (its hint is the current timetable, which is
feasible), steps that keep the count are kept too (they move the timetable), and the search widens its
neighbourhoods while it is stuck.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass

from care.solver.cpsat import model_solve
from care.solver.greedy import Placement
from care.solver.problem import Problem

NEIGHBOURHOOD = 40  # groups freed per step at first
WIDEST = 160
# A step's model is small: probing and symmetry detection in presolve cost it six times its search
# (measured: 0.45 s a step without them, 2.9 s with them, at Rabat's size). The limit is in CP-SAT's own
# work units, so a step does the same work on any machine and runs repeat with one worker.
STEP_PARAMETERS = {"max_deterministic_time": 2.0, "cp_model_probing_level": 0, "symmetry_level": 0}


@dataclass(frozen=True, slots=True)
class LnsResult:
    placements: list[Placement]
    steps: int
    improving_steps: int


def _short_groups(problem: Problem, placements: list[Placement]) -> list[int]:
    placed = Counter(problem.items[p.item].group for p in placements)
    return [
        g.index
        for g in problem.groups
        if placed[g.index] < sum(problem.items[i].sessions for i in g.items) and g.therapists
    ]


def _neighbourhood(
    problem: Problem, placements: list[Placement], target: int, size: int, rng: random.Random
) -> set[int]:
    """The short group, its child's other groups, then groups in its way on one to three days.

    In its way: half of the steps, the groups using its therapists or its rooms; the other half, the
    groups using its rooms or any room sharing a therapy with them (a room full of physiotherapy that
    could also host special education makes room only if physiotherapy moves to its other rooms).
    """
    group = problem.groups[target]
    free = {g.index for g in problem.groups if g.child == group.child}
    rooms = set(problem.rooms_of[group.therapy])
    if rng.random() < 0.5:
        therapists = set(group.therapists)
    else:
        therapists = set()
        for therapy in {t for r in rooms for t in problem.instance.rooms[r].therapies}:
            rooms.update(problem.rooms_of[therapy])
    days = set(rng.sample(range(problem.instance.days), k=min(problem.instance.days, rng.choice((1, 2, 3)))))
    near = sorted(
        {
            problem.items[p.item].group
            for p in placements
            if p.day in days and (p.therapist in therapists or p.room in rooms)
        }
        - free
    )
    rng.shuffle(near)
    free.update(near[: max(0, size - len(free))])
    return free


def lns_improve(
    problem: Problem,
    placements: list[Placement],
    *,
    deadline: float,
    workers: int,
    seed: int,
    stall: int | None = None,
) -> LnsResult:
    """Steps until every plan is met, `deadline` (time.monotonic()) passes or `stall` steps in a row gain nothing."""
    rng = random.Random(seed)
    current = list(placements)
    steps = improving = stuck = 0
    size = NEIGHBOURHOOD
    while True:
        short = _short_groups(problem, current)
        left = deadline - time.monotonic()
        if not short or left < 0.05 or (stall is not None and stuck >= stall):
            break
        target = rng.choice(short)
        free = _neighbourhood(problem, current, target, size, rng)
        before = sum(1 for p in current if problem.items[p.item].group in free)
        result = model_solve(
            problem,
            hint=current,
            time_limit=left,
            workers=workers,
            seed=rng.randrange(1 << 30),
            free=free,
            params=STEP_PARAMETERS,
            stop_above=before,
        )
        steps += 1
        if len(result.placements) >= before:
            kept = [p for p in current if problem.items[p.item].group not in free]
            current = kept + result.placements
        if len(result.placements) > before:
            improving += 1
            stuck, size = 0, NEIGHBOURHOOD
        else:
            stuck += 1
            if stuck % 10 == 0:
                size = min(WIDEST, size * 2)
    return LnsResult(current, steps, improving)
