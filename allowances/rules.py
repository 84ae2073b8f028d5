"""The arithmetic of an allowance, on integer centimes (no Django, no database): months of
membership, age, the split of a net amount into shares.

The split gives each payee floor(net × parts / total parts) centimes and the centimes left by
the divisions to the first payee, so the shares always add up to the net exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_centimes(amount: Decimal) -> int:
    return int((Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)) * 100)


def from_centimes(value: int) -> Decimal:
    return (Decimal(value) / 100).quantize(CENT)


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end` (joined 10 Jan, died 9 Jan next year: 11; on 10 Jan: 12)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    return months - 1 if end.day < start.day else months


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def shares_split(net_centimes: int, parts: Sequence[int]) -> list[int]:
    """`net_centimes` shared by `parts` (all > 0); the remainder of the divisions to the first."""
    if not parts:
        return []
    total = sum(parts)
    shares = [net_centimes * p // total for p in parts]
    shares[0] += net_centimes - sum(shares)
    return shares
