"""Money helpers: integer centimes inside the engine, never float.

Rates are basis points (8000 = 80 %) so that applying a rate is one integer
expression, rounded half-up exactly once, where the amount is computed.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

__all__ = [
    "AmountError",
    "apply_bp",
    "format_bp",
    "format_centimes",
    "to_centimes",
    "to_hundredths",
]

_HUNDRED = Decimal(100)
# 100 billion dirhams: far above any claim, low enough that "1e400" is refused
# before it turns into an absurd integer.
_MAX_CENTIMES = 10**13


class AmountError(ValueError):
    """An amount that cannot be held exactly in centimes."""


def _to_decimal(value: object) -> Decimal:
    # bool is an int subclass; True dirhams is never meant.
    if isinstance(value, bool):
        raise AmountError("not_a_number")
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, float):
        # JSON clients send numbers; repr() gives the shortest exact decimal text,
        # so 12.3 is read as 12.3 and not as its binary approximation.
        d = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            d = Decimal(value.strip())
        except InvalidOperation:
            raise AmountError("not_a_number") from None
    else:
        raise AmountError("not_a_number")
    if not d.is_finite():
        raise AmountError("not_a_number")
    return d


def _scaled(value: object) -> int:
    d = _to_decimal(value)
    if abs(d) * _HUNDRED > _MAX_CENTIMES:
        raise AmountError("too_large")
    scaled = d * _HUNDRED
    if scaled != scaled.to_integral_value():
        # More than two decimals would need a rounding nobody asked for.
        raise AmountError("too_many_decimals")
    return int(scaled)


def to_centimes(value: object, *, allow_negative: bool = False) -> int:
    """Dirhams (Decimal, str, int or float) to integer centimes, exactly.

    Raises AmountError("not_a_number" | "too_many_decimals" | "too_large" | "negative").
    """
    c = _scaled(value)
    if c < 0 and not allow_negative:
        raise AmountError("negative")
    return c


def to_hundredths(value: object) -> int:
    """A coefficient such as 1.5 to an int in hundredths (150), exactly."""
    h = _scaled(value)
    if h < 0:
        raise AmountError("negative")
    return h


def apply_bp(amount: int, bp: int) -> int:
    """amount × bp / 10000 rounded half-up (amounts are never negative here)."""
    return (amount * bp + 5000) // 10000


def format_centimes(c: int) -> str:
    """12345 -> "123.45"; the canonical text form used in traces and JSON."""
    sign = "-" if c < 0 else ""
    c = -c if c < 0 else c
    return f"{sign}{c // 100}.{c % 100:02d}"


def format_bp(bp: int) -> str:
    """8000 -> "80%", 8050 -> "80.5%"."""
    whole, frac = divmod(bp, 100)
    return f"{whole}%" if not frac else f"{whole}.{frac:02d}".rstrip("0") + "%"
