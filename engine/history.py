"""What earlier accepted lines left behind: ceilings consumed, duplicates, counts.

The caller builds it from lines already accepted (database), the engine updates
it as it accepts more, so a batch carries counters from file to file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from .types import ClaimLine, Provider

__all__ = ["DuplicateKey", "History", "duplicate_key"]

# (beneficiary, kind, code or "@<unit price>" for uncoded medicines, date of care,
#  provider INPE or "<sector>/<kind>" when it has none).
# Quantity, coefficient and amount are left out on purpose: the same act on the
# same day by the same provider billed again with another amount is still the
# same act; a second box of the same medicine belongs in the quantity.
DuplicateKey = tuple[str, str, str, date, str]


def duplicate_key(beneficiary_id: str, line: ClaimLine, provider: Provider) -> DuplicateKey:
    code = line.code or f"@{line.unit_price}"
    who = provider.inpe or f"{provider.sector}/{provider.kind}"
    return (beneficiary_id, line.kind, code, line.date, who)


@dataclass(slots=True)
class History:
    # (beneficiary, calendar year, ceiling key) -> complementary centimes paid
    consumed: dict[tuple[str, int, str], int] = field(default_factory=dict)
    seen: set[DuplicateKey] = field(default_factory=set)
    # (beneficiary, act code) -> [(date of care, quantity)] of accepted act lines,
    # for frequency limits
    acts: dict[tuple[str, str], list[tuple[date, int]]] = field(default_factory=dict)

    def used(self, beneficiary_id: str, year: int, ceiling_key: str) -> int:
        return self.consumed.get((beneficiary_id, year, ceiling_key), 0)

    def consume(self, beneficiary_id: str, year: int, ceiling_key: str, amount: int) -> None:
        key = (beneficiary_id, year, ceiling_key)
        self.consumed[key] = self.consumed.get(key, 0) + amount

    def add_act(self, beneficiary_id: str, code: str, on: date, quantity: int) -> None:
        self.acts.setdefault((beneficiary_id, code), []).append((on, quantity))

    def count_acts(self, beneficiary_id: str, code: str, on: date, days: int) -> int:
        """Units of `code` accepted within `days` days around `on`.

        The window looks both ways ((on - days, on + days) exclusive) because files
        arrive out of order: a later act accepted first must count as well.
        """
        rows = self.acts.get((beneficiary_id, code))
        if not rows:
            return 0
        span = timedelta(days=days)
        lo, hi = on - span, on + span
        return sum(q for d, q in rows if lo < d < hi)

    def copy(self) -> History:
        return History(
            dict(self.consumed),
            set(self.seen),
            {k: list(v) for k, v in self.acts.items()},
        )
