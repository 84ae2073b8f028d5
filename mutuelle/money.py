"""One way to write an amount of money for people: `money_format` (and the `money` template filter).

Two decimals, grouped by thousands in the active language's format (mutuelle.formats): "83 250,23"
in Arabic and French, "83,250.23" in English. Pages, PDFs, the audit trail, htmx partials and the
simulator (whose engine gives amounts as text, "150.00") all go through it, so that the same amount
reads the same everywhere. Files for machines (API, bank files, CSV/XLSX) keep plain "150.00".
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format

CENT = Decimal("0.01")


def money_decimal(value: object) -> Decimal | None:
    """The amount as a Decimal rounded to the centime, or None when it is not a number.

    Read through str() so that a text amount from the engine ("150.00") and a Decimal give the same
    value; no float ever reaches a money field, and str() of one would not invent digits either.
    """
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not amount.is_finite():
        return None
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money_format(value: object) -> str:
    """The amount as people read it: "83 250,23" (ar, fr), "83,250.23" (en).

    No amount gives ""; a text that is not a number is shown unchanged (never an invented zero).
    """
    amount = money_decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    return number_format(amount, 2, use_l10n=True, force_grouping=True)
