"""The figures of a what-if, accumulated chunk by chunk in constant memory, as plain JSON.

Amounts are integer centimes, each kept twice: under the current rules and under the proposal.
"The mutual pays" is the AMO plus the complementary amount; "members still pay" is the remainder.
The accumulator is small whatever the number of lines (a few keys per category, region and
administration, six buckets, ten lines), so the job stores it in its cursor between chunks.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

# What a member still pays over the period (centimes): bucket i holds [EDGES[i], EDGES[i+1]).
BUCKET_EDGES: tuple[int, ...] = (0, 1, 10_000, 50_000, 100_000, 500_000)
TOP = 10
AMOUNTS = ("paid", "basis", "amo", "complementary", "remainder")


def bucket_of(centimes: int) -> int:
    return max(0, bisect_right(BUCKET_EDGES, centimes) - 1)


@dataclass(slots=True)
class Accumulator:
    lines: int = 0
    lines_changed: int = 0
    members: int = 0
    members_affected: int = 0
    # name -> [current, proposed]
    totals: dict[str, list[int]] = field(default_factory=lambda: {a: [0, 0] for a in AMOUNTS})
    # group key -> [lines, amo now, amo proposed, complementary now, complementary proposed, remainder now, proposed]
    by_category: dict[str, list[int]] = field(default_factory=dict)
    by_region: dict[str, list[int]] = field(default_factory=dict)
    by_administration: dict[str, list[int]] = field(default_factory=dict)
    buckets_current: list[int] = field(default_factory=lambda: [0] * len(BUCKET_EDGES))
    buckets_proposed: list[int] = field(default_factory=lambda: [0] * len(BUCKET_EDGES))
    # the ten largest changes, smallest first: [|change of the remainder|, line id, details]
    top: list[list[Any]] = field(default_factory=list)

    def member_end(self, *, remainder_now: int, remainder_proposed: int, changed: bool) -> None:
        self.members += 1
        self.members_affected += changed
        self.buckets_current[bucket_of(remainder_now)] += 1
        self.buckets_proposed[bucket_of(remainder_proposed)] += 1

    def top_would_take(self, change: int, line_id: int) -> bool:
        """Whether a line of this change enters the ten (largest change first, then the lowest line id):
        asked before its details are built, since most changed lines do not."""
        top = self.top
        return len(top) < TOP or (change, -line_id) > (top[0][0], -top[0][1])

    def top_offer(self, change: int, line_id: int, details: list[Any]) -> None:
        # The heap's smallest item is the first to go: (change, -line id) orders it.
        item = [change, line_id, details]
        if len(self.top) < TOP:
            self.top.append(item)
        else:
            self.top[0] = item
        self.top.sort(key=lambda t: (t[0], -t[1]))

    def to_json(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "lines_changed": self.lines_changed,
            "members": self.members,
            "members_affected": self.members_affected,
            "totals": self.totals,
            "by_category": self.by_category,
            "by_region": self.by_region,
            "by_administration": self.by_administration,
            "buckets_current": self.buckets_current,
            "buckets_proposed": self.buckets_proposed,
            "top": self.top,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Accumulator:
        if not data:
            return cls()
        acc = cls(**{k: v for k, v in data.items() if k != "top"})
        acc.top = sorted((list(t) for t in data.get("top", [])), key=lambda t: (t[0], -t[1]))
        return acc


def group_add(groups: dict[str, list[int]], key: str, row: list[int]) -> None:
    """Add a sum row's first seven figures (lines, AMO, complementary and remainder, now and proposed)."""
    mine = groups.get(key)
    if mine is None:
        groups[key] = row[:7]
        return
    for i in range(7):
        mine[i] += row[i]


@dataclass(frozen=True, slots=True)
class GroupRow:
    key: str
    label: str
    lines: int
    amo: int
    amo_proposed: int
    complementary: int
    complementary_proposed: int
    remainder: int
    remainder_proposed: int

    @property
    def mutual(self) -> int:
        return self.amo + self.complementary

    @property
    def mutual_proposed(self) -> int:
        return self.amo_proposed + self.complementary_proposed

    @property
    def change(self) -> int:
        return self.mutual_proposed - self.mutual


@dataclass(frozen=True, slots=True)
class TopLine:
    line_id: int
    file_id: int
    category: str
    code: str
    care_date: str
    mutual: int
    mutual_proposed: int
    remainder: int
    remainder_proposed: int

    @property
    def change(self) -> int:
        return self.mutual_proposed - self.mutual


def group_rows(groups: dict[str, list[int]], labels: dict[str, str]) -> list[GroupRow]:
    """Rows sorted by the size of the change, largest first (then by key, for a stable order)."""
    rows = [GroupRow(k, labels.get(k, k), *v) for k, v in groups.items()]
    return sorted(rows, key=lambda r: (-abs(r.change), r.key))


def top_lines(top: list[list[Any]]) -> list[TopLine]:
    """The stored top lines, largest change first; details are (file id, category, code, date of care,
    mutual now, proposed, remainder now, proposed)."""
    return [TopLine(t[1], *t[2]) for t in sorted(top, key=lambda t: (-t[0], t[1]))]
