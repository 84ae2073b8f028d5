"""The contribution of one fund for one month, in integer centimes (no Django, no float).

amount = base x rate, rounded half up to the centime, then raised to the floor and lowered to
the cap. Rates are percentages with three decimals (1.800 % is 1800 thousandths of a percent).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

_CENT = Decimal("0.01")


def to_centimes(amount: Decimal) -> int:
    """MAD as integer centimes, half up (an input with more than two decimals is rounded once, here)."""
    return int(amount.quantize(_CENT, rounding=ROUND_HALF_UP) * 100)


def from_centimes(centimes: int) -> Decimal:
    return (Decimal(centimes) / 100).quantize(_CENT)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_next(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


@dataclass(frozen=True, slots=True)
class Rule:
    """One fund's schedule as integers: rate in thousandths of a percent, floor and cap in centimes."""

    rate_milli_pct: int
    floor: int
    cap: int | None

    @classmethod
    def of(cls, rate: Decimal, floor: Decimal, cap: Decimal | None) -> Rule:
        return cls(int(rate * 1000), to_centimes(floor), None if cap is None else to_centimes(cap))

    def apply(self, base: int) -> int:
        """The month's amount in centimes for a base in centimes (a base of 0 owes nothing, not the floor)."""
        if base <= 0:
            return 0
        # base x rate% = base x milli / 100,000; adding half the divisor before dividing rounds half up.
        amount = (base * self.rate_milli_pct + 50_000) // 100_000
        amount = max(amount, self.floor)
        return amount if self.cap is None else min(amount, self.cap)
