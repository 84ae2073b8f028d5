"""A fast greedy timetable: the CP-SAT model's starting hint and the bench's floor.

Plans are taken in two orders in turn (see _orders), the better timetable kept; each takes
the therapist with the most free hours who places all its sessions (or the most of them), each session
on the child's emptiest free day at its earliest start, in the free room serving the fewest therapies
(so that versatile rooms stay free for what only they can host).
"""

from __future__ import annotations

from dataclasses import dataclass

from care.solver.problem import Group, Problem


@dataclass(frozen=True, slots=True)
class Placement:
    item: int
    therapist: int
    room: int
    day: int
    start: int


class _Board:
    """Who is busy when; a placement marks child, therapist and room for each of its slots."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.busy: set[tuple[str, int, int, int]] = set()
        self.child_load = [[0] * problem.instance.days for _ in problem.instance.children]
        self.therapist_free = [len(t.available) for t in problem.instance.therapists]

    def free(self, kind: str, who: int, day: int, start: int, length: int) -> bool:
        return all((kind, who, day, slot) not in self.busy for slot in range(start, start + length))

    def mark(self, p: Placement, on: bool) -> None:
        item = self.problem.items[p.item]
        for slot in range(p.start, p.start + item.length):
            for key in (("c", item.child, p.day, slot), ("t", p.therapist, p.day, slot), ("r", p.room, p.day, slot)):
                if on:
                    self.busy.add(key)
                else:
                    self.busy.discard(key)
        sign = 1 if on else -1
        self.child_load[item.child][p.day] += sign * item.length
        self.therapist_free[p.therapist] -= sign * item.length


def _rooms_by_versatility(problem: Problem) -> dict[str, list[int]]:
    rooms = problem.instance.rooms
    return {t: sorted(rs, key=lambda r: (len(rooms[r].therapies), r)) for t, rs in problem.rooms_of.items()}


def _try_group(problem: Problem, board: _Board, group: Group, therapist: int, rooms: list[int]) -> list[Placement]:
    """Place what fits of the group with this therapist; the board is left marked with it."""
    placed: list[Placement] = []
    days_used: set[int] = set()
    items = sorted((problem.items[i] for i in group.items), key=lambda it: -it.length)
    for item in items:
        for _ in range(item.sessions):
            days = sorted(
                (d for d in range(problem.instance.days) if d not in days_used),
                key=lambda d: (board.child_load[item.child][d], d),
            )
            found = None
            for day in days:
                for start in sorted(problem.starts(item, therapist, day)):
                    if not board.free("c", item.child, day, start, item.length):
                        continue
                    if not board.free("t", therapist, day, start, item.length):
                        continue
                    room = next((r for r in rooms if board.free("r", r, day, start, item.length)), None)
                    if room is not None:
                        found = Placement(item.index, therapist, room, day, start)
                        break
                if found:
                    break
            if found is None:
                break  # later sessions of this item find no other day either
            board.mark(found, True)
            days_used.add(found.day)
            placed.append(found)
    return placed


def _orders(problem: Problem) -> list[list[Group]]:
    """Two orders of the plans, the better kept (measured on generated Rabat-size centres at 90 % of
    room hours: children with the fullest week for their free hours first left 42 sessions short over
    seven centres, the plans with the most slots first 68, the fewest therapists first 165)."""
    load = [0] * len(problem.instance.children)
    for item in problem.items:
        load[item.child] += item.sessions * item.length
    free = [max(1, len(c.available)) for c in problem.instance.children]
    slots = {g.index: sum(problem.items[i].sessions * problem.items[i].length for i in g.items) for g in problem.groups}
    return [
        sorted(problem.groups, key=lambda g: (-load[g.child] / free[g.child], g.index)),
        sorted(problem.groups, key=lambda g: (-slots[g.index], len(g.therapists), g.index)),
    ]


def _greedy_in_order(problem: Problem, order: list[Group]) -> list[Placement]:
    board = _Board(problem)
    rooms = _rooms_by_versatility(problem)
    result: list[Placement] = []
    for group in order:
        wanted = sum(problem.items[i].sessions for i in group.items)
        best: list[Placement] = []
        for therapist in sorted(group.therapists, key=lambda t: (-board.therapist_free[t], t)):
            placed = _try_group(problem, board, group, therapist, rooms[group.therapy])
            for p in placed:
                board.mark(p, False)
            if len(placed) > len(best):
                best = placed
            if len(best) == wanted:
                break
        for p in best:
            board.mark(p, True)
        result.extend(best)
    return result


def greedy_solve(problem: Problem) -> list[Placement]:
    wanted = sum(item.sessions for item in problem.items)
    best: list[Placement] = []
    for order in _orders(problem):
        placements = _greedy_in_order(problem, order)
        if len(placements) > len(best):
            best = placements
        if len(best) == wanted:
            break
    return best
