"""The instance indexed for solving: plan items numbered, where each can start on each day, who can serve it.

Shared by the greedy and the CP-SAT model so both see the same possible placements.
"""

from __future__ import annotations

from dataclasses import dataclass

from care.solver.model import Instance, Slot


@dataclass(frozen=True, slots=True)
class Item:
    """One plan item of one child: `sessions` sessions of `length` slots, on distinct days."""

    index: int
    child: int
    group: int  # the (child, therapy) it belongs to: one therapist, one session of the therapy a day
    therapy: str
    sessions: int
    length: int


@dataclass(frozen=True, slots=True)
class Group:
    index: int
    child: int
    therapy: str
    items: tuple[int, ...]
    therapists: tuple[int, ...]  # qualified for the therapy and sharing a possible start with the child


@dataclass(frozen=True, slots=True)
class Problem:
    instance: Instance
    items: tuple[Item, ...]
    groups: tuple[Group, ...]
    rooms_of: dict[str, tuple[int, ...]]  # therapy -> rooms serving it
    # child_starts[child][length][day]: starts where the child is free for `length` slots.
    child_starts: tuple[dict[int, tuple[frozenset[int], ...]], ...]
    therapist_starts: tuple[dict[int, tuple[frozenset[int], ...]], ...]

    def starts(self, item: Item, therapist: int, day: int) -> frozenset[int]:
        return self.child_starts[item.child][item.length][day] & self.therapist_starts[therapist][item.length][day]


def _starts(
    available: frozenset[Slot], lengths: set[int], days: int, slots: int
) -> dict[int, tuple[frozenset[int], ...]]:
    out = {}
    for length in lengths:
        out[length] = tuple(
            frozenset(
                start
                for start in range(slots - length + 1)
                if all(Slot(day, start + k) in available for k in range(length))
            )
            for day in range(days)
        )
    return out


def problem_build(instance: Instance) -> Problem:
    lengths = {item.length for child in instance.children for item in child.plan}
    days, slots = instance.days, instance.slots_per_day
    child_starts = tuple(_starts(c.available, lengths, days, slots) for c in instance.children)
    therapist_starts = tuple(_starts(t.available, lengths, days, slots) for t in instance.therapists)
    items: list[Item] = []
    groups: list[Group] = []
    for ci, child in enumerate(instance.children):
        for therapy in dict.fromkeys(item.therapy for item in child.plan):
            members = [item for item in child.plan if item.therapy == therapy]
            first = len(items)
            for item in members:
                items.append(Item(len(items), ci, len(groups), therapy, item.sessions, item.length))
            qualified = tuple(
                ti
                for ti, t in enumerate(instance.therapists)
                if therapy in t.therapies
                and any(
                    child_starts[ci][item.length][d] & therapist_starts[ti][item.length][d]
                    for item in members
                    for d in range(days)
                )
            )
            groups.append(Group(len(groups), ci, therapy, tuple(range(first, len(items))), qualified))
    rooms_of = {t: tuple(ri for ri, r in enumerate(instance.rooms) if t in r.therapies) for t in instance.therapies}
    return Problem(instance, tuple(items), tuple(groups), rooms_of, child_starts, therapist_starts)


def problem_bound(problem: Problem) -> int:
    """Sessions no timetable can exceed, plan by plan: a session needs a day on which the child and one
    same therapist for the whole week share a start, and a room serving the therapy."""
    days = range(problem.instance.days)
    total = 0
    for group in problem.groups:
        items = [problem.items[i] for i in group.items]
        if not problem.rooms_of[group.therapy]:
            continue
        best = 0
        for t in group.therapists:
            open_days = {d for item in items for d in days if problem.starts(item, t, d)}
            per_item = sum(min(item.sessions, sum(1 for d in days if problem.starts(item, t, d))) for item in items)
            best = max(best, min(len(open_days), per_item))
        total += best
    return total
