"""The one place where referential DB rows become the engine's plain snapshot data.

DB rows end on an EXCLUSIVE `valid_to` (the day the next row starts); the engine's rows end
on an INCLUSIVE date, hence `valid_to - 1 day` here. Key/value `Parameter` rows are merged
into the engine's whole `Params` rows, one per period where no parameter changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet

from engine import Params
from referentials.models import (
    Act,
    AldCondition,
    AmoRate,
    ComplementaryRule,
    DatedRow,
    KeyLetter,
    Medicine,
    Parameter,
)

# DB parameter name -> field of the engine's Params.
PARAM_FIELDS: dict[str, str] = {
    Parameter.Name.MEMBER_FILING_DAYS: "member_filing_days",
    Parameter.Name.PROVIDER_FILING_DAYS: "provider_filing_days",
    Parameter.Name.WAITING_PERIOD_MONTHS: "waiting_months",
    Parameter.Name.CHILD_AGE_LIMIT: "child_age_limit",
    Parameter.Name.STUDENT_AGE_LIMIT: "student_age_limit",
}
_ONE_DAY = timedelta(days=1)


def _bounds(row: DatedRow) -> dict[str, Any]:
    return {"valid_from": row.valid_from, "valid_to": row.valid_to - _ONE_DAY if row.valid_to else None}


def _rows(model: type[DatedRow], on: date | None) -> QuerySet[Any]:
    qs = model._default_manager.all()
    if on is not None:
        qs = qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on), valid_from__lte=on)
    return qs.order_by("pk")


def _params(rows: Iterable[Parameter]) -> list[dict[str, Any]]:
    """Whole Params rows over the periods cut by every parameter row's bounds."""
    rows = list(rows)
    cuts = sorted({r.valid_from for r in rows} | {r.valid_to for r in rows if r.valid_to})
    defaults = {f.name: getattr(Params(), f.name) for f in fields(Params)}
    out: list[dict[str, Any]] = []
    for i, start in enumerate(cuts):
        end = cuts[i + 1] if i + 1 < len(cuts) else None
        values = dict(defaults)
        found = False
        for r in rows:
            if r.valid_from <= start and (r.valid_to is None or start < r.valid_to):
                values[PARAM_FIELDS[r.name]] = r.value
                found = True
        if not found:
            continue
        if out and out[-1]["valid_to"] == start - _ONE_DAY and all(out[-1][k] == v for k, v in values.items()):
            out[-1]["valid_to"] = end - _ONE_DAY if end else None
            continue
        out.append({**values, "valid_from": start, "valid_to": end - _ONE_DAY if end else None})
    return out


def engine_data(*, on: date | None = None) -> dict[str, Any]:
    """Plain data for `engine.snapshot_build`: all dated rows, or those in force `on` a day."""
    return {
        "key_letters": [
            {"letter": r.letter, "sector": r.sector, "value": r.value, "category": r.category, **_bounds(r)}
            for r in _rows(KeyLetter, on)
        ],
        "acts": [
            {
                "code": r.code,
                "category": r.category,
                **(
                    {"key_letter": r.key_letter, "coefficient": r.coefficient} if r.key_letter else {"tariff": r.tariff}
                ),
                "needs_prior_approval": r.needs_prior_approval,
                "frequency_max": r.max_count,
                "frequency_days": r.period_days,
                **_bounds(r),
            }
            for r in _rows(Act, on)
        ],
        "medicines": [
            {
                "code": r.code,
                "name": r.name,
                "public_price": r.public_price,
                "reference_price": r.reference_price,
                "reimbursable": r.reimbursable,
                "needs_prior_approval": r.needs_prior_approval,
                **_bounds(r),
            }
            for r in _rows(Medicine, on)
        ],
        "ald": [{"code": r.code, **_bounds(r)} for r in _rows(AldCondition, on)],
        "amo_rates": [
            {"category": r.category, "setting": r.setting, "rate_bp": r.rate_bp, **_bounds(r)}
            for r in _rows(AmoRate, on)
        ],
        "complementary": [
            {
                "category": r.category,
                **({"rate_bp": r.rate_bp} if r.rate_bp is not None else {"flat": r.flat_amount}),
                "ceiling": r.yearly_ceiling,
                "ceiling_key": r.ceiling_key or None,
                **_bounds(r),
            }
            for r in _rows(ComplementaryRule, on)
        ],
        # Only the engine's parameters (the arrears ones are read by contributions).
        "parameters": _params(_rows(Parameter, on).filter(name__in=list(PARAM_FIELDS))),
    }
