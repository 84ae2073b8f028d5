"""The CP-SAT model: one optional interval per (plan item, day), maximising the sessions placed.

For each plan item and day there is a presence literal x (a session that day), a start whose domain is
the starts the child's week allows, and copies of that interval for each possible therapist (presence
w) and room (presence y): NoOverlap per child, therapist and room and day keeps everyone in one place;
sum(w) = sum(y) = x gives each session one therapist and one room; w <= a(group, therapist) with
sum(a) <= 1 gives the child one therapist per therapy for the week. A redundant cumulative per therapy
and day (no more sessions at once than rooms serving it) strengthens propagation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from ortools.sat.python import cp_model

from care.solver.greedy import Placement
from care.solver.problem import Problem, problem_bound


@dataclass(frozen=True, slots=True)
class ModelResult:
    placements: list[Placement]
    proven_optimal: bool  # the solver proved no timetable (under the model's restrictions) places more
    bound: int
    status: str
    wall: float


@dataclass
class _Var:
    x: cp_model.IntVar
    start: cp_model.IntVar
    w: dict[int, cp_model.IntVar]
    y: dict[int, cp_model.IntVar]


def model_solve(
    problem: Problem,
    *,
    hint: list[Placement],
    time_limit: float,
    workers: int,
    seed: int,
    free: set[int] | None = None,
    params: Mapping[str, object] | None = None,
    stop_above: int | None = None,
) -> ModelResult:
    """Best timetable found in `time_limit` seconds (wall clock).

    With `free` (group indices) only those groups are placed; the hint's placements of the other groups
    stay where they are and block their child, therapist and room (a neighbourhood of the LNS).
    With `stop_above`, the search ends at the first timetable placing more sessions than that.
    """
    model = cp_model.CpModel()
    inst = problem.instance
    groups = [g for g in problem.groups if free is None or g.index in free]
    vars_: dict[tuple[int, int], _Var] = {}
    child_day: dict[tuple[int, int], list[cp_model.IntervalVar]] = defaultdict(list)
    therapist_day: dict[tuple[int, int], list[cp_model.IntervalVar]] = defaultdict(list)
    room_day: dict[tuple[int, int], list[cp_model.IntervalVar]] = defaultdict(list)
    therapy_day: dict[tuple[str, int], list[cp_model.IntervalVar]] = defaultdict(list)
    choose: dict[tuple[int, int], cp_model.IntVar] = {}
    for group in groups:
        therapists = group.therapists
        for t in therapists:
            choose[group.index, t] = model.new_bool_var(f"a{group.index}_{t}")
        if len(therapists) > 1:
            model.add_at_most_one(choose[group.index, t] for t in therapists)
        for day in range(inst.days):
            day_x = []
            for i in group.items:
                item = problem.items[i]
                per_therapist = {t: problem.starts(item, t, day) for t in therapists}
                per_therapist = {t: s for t, s in per_therapist.items() if s}
                rooms = problem.rooms_of[item.therapy]
                if not per_therapist or not rooms:
                    continue
                union = sorted(set().union(*per_therapist.values()))
                x = model.new_bool_var(f"x{i}_{day}")
                start = model.new_int_var_from_domain(cp_model.Domain.from_values(union), f"s{i}_{day}")
                iv = model.new_optional_fixed_size_interval_var(start, item.length, x, f"i{i}_{day}")
                child_day[item.child, day].append(iv)
                therapy_day[item.therapy, day].append(iv)
                w = {}
                for t, starts in per_therapist.items():
                    w[t] = model.new_bool_var(f"w{i}_{day}_{t}")
                    model.add_implication(w[t], choose[group.index, t])
                    if len(starts) < len(union):
                        model.add_linear_expression_in_domain(
                            start, cp_model.Domain.from_values(sorted(starts))
                        ).only_enforce_if(w[t])
                    therapist_day[t, day].append(
                        model.new_optional_fixed_size_interval_var(start, item.length, w[t], f"it{i}_{day}_{t}")
                    )
                model.add(sum(w.values()) == x)
                y = {}
                for r in rooms:
                    y[r] = model.new_bool_var(f"y{i}_{day}_{r}")
                    room_day[r, day].append(
                        model.new_optional_fixed_size_interval_var(start, item.length, y[r], f"ir{i}_{day}_{r}")
                    )
                model.add(sum(y.values()) == x)
                vars_[i, day] = _Var(x, start, w, y)
                day_x.append(x)
            if len(day_x) > 1:
                model.add_at_most_one(day_x)
        for i in group.items:
            xs = [vars_[i, d].x for d in range(inst.days) if (i, d) in vars_]
            if len(xs) > problem.items[i].sessions:
                model.add(sum(xs) <= problem.items[i].sessions)
    if free is not None:
        _block_fixed(
            model,
            problem,
            [p for p in hint if problem.items[p.item].group not in free],
            child_day,
            therapist_day,
            room_day,
        )
    for intervals in (*child_day.values(), *therapist_day.values(), *room_day.values()):
        if len(intervals) > 1:
            model.add_no_overlap(intervals)
    if free is None:
        # Redundant (rooms already exclude each other): no more sessions of a therapy at once than rooms for it.
        for (therapy, _day), intervals in therapy_day.items():
            capacity = len(problem.rooms_of[therapy])
            if len(intervals) > capacity:
                model.add_cumulative(intervals, [1] * len(intervals), capacity)
    model.maximize(sum(v.x for v in vars_.values()))
    _hint(model, vars_, choose, hint, [item.group for item in problem.items])
    if free is not None:
        hint = [p for p in hint if problem.items[p.item].group in free]

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(time_limit, 0.01)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    for key, value in (params or {}).items():
        setattr(solver.parameters, key, value)
    status = solver.solve(model, _StopAbove(stop_above) if stop_above is not None else None)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ModelResult(list(hint), False, problem_bound(problem), solver.status_name(status), solver.wall_time)
    placements = []
    for (i, day), v in vars_.items():
        if solver.value(v.x):
            therapist = next(t for t, w in v.w.items() if solver.value(w))
            room = next(r for r, y in v.y.items() if solver.value(y))
            placements.append(Placement(i, therapist, room, day, solver.value(v.start)))
    return ModelResult(
        placements,
        status == cp_model.OPTIMAL,
        int(solver.best_objective_bound),
        solver.status_name(status),
        solver.wall_time,
    )


def _hint(
    model: cp_model.CpModel,
    vars_: dict[tuple[int, int], _Var],
    choose: dict[tuple[int, int], cp_model.IntVar],
    hint: list[Placement],
    groups_of: list[int],
) -> None:
    """A complete hint (every literal given), so CP-SAT starts from the greedy's timetable."""
    by_key = {(p.item, p.day): p for p in hint}
    chosen = {(groups_of[p.item], p.therapist) for p in hint}
    for (i, day), v in vars_.items():
        p = by_key.get((i, day))
        if p is None or p.therapist not in v.w or p.room not in v.y:
            model.add_hint(v.x, 0)
            model.add_hint(v.start, v.start.proto.domain[0])
            for lit in (*v.w.values(), *v.y.values()):
                model.add_hint(lit, 0)
            continue
        model.add_hint(v.x, 1)
        model.add_hint(v.start, p.start)
        for t, lit in v.w.items():
            model.add_hint(lit, int(t == p.therapist))
        for r, lit in v.y.items():
            model.add_hint(lit, int(r == p.room))
    for (g, t), lit in choose.items():
        model.add_hint(lit, int((g, t) in chosen))


class _StopAbove(cp_model.CpSolverSolutionCallback):
    """Ends the search at the first timetable placing more than `count` sessions (an LNS step needs no more)."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count

    def on_solution_callback(self) -> None:
        if self.objective_value > self.count:
            self.stop_search()


def _block_fixed(
    model: cp_model.CpModel,
    problem: Problem,
    fixed: list[Placement],
    child_day: dict[tuple[int, int], list[cp_model.IntervalVar]],
    therapist_day: dict[tuple[int, int], list[cp_model.IntervalVar]],
    room_day: dict[tuple[int, int], list[cp_model.IntervalVar]],
) -> None:
    """The sessions left in place, as fixed intervals on the resources the free groups may use."""
    for n, p in enumerate(fixed):
        item = problem.items[p.item]
        for table, key in (
            (child_day, (item.child, p.day)),
            (therapist_day, (p.therapist, p.day)),
            (room_day, (p.room, p.day)),
        ):
            if key in table:
                table[key].append(model.new_fixed_size_interval_var(p.start, item.length, f"f{n}_{len(table[key])}"))
