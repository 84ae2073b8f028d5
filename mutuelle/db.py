"""Database helpers shared by the apps' models."""

from __future__ import annotations

from typing import Any

from django.db.models.functions import Round


def centimes(expression: Any) -> Round:
    """Round an amount expression to the centime, for constraints comparing sums of amounts.

    SQLite evaluates decimal arithmetic in binary floating point (190.45 - 140.35 - 40.10 is not
    10.00 there) while PostgreSQL is exact; once rounded to two decimals both agree."""
    return Round(expression, 2)
