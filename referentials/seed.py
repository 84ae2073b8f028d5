"""Seed the public reference values (DESIGN.md) as dated rows; called by migration 0002.

Takes the migration's `apps` so that it uses the historical models.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from referentials import seed_acts as acts
from referentials.seed_ald import ALD_CONDITIONS
from referentials.seed_medicines import SINCE as MEDICINES_SINCE
from referentials.seed_medicines import medicine_rows


def _dec(v: str | None) -> Decimal | None:
    return Decimal(v) if v is not None else None


def seed_public_values(apps: Any) -> None:
    m = {
        name: apps.get_model("referentials", name)
        for name in (
            "KeyLetter",
            "Act",
            "Medicine",
            "AldCondition",
            "AmoRate",
            "ComplementaryRule",
            "Parameter",
            "ReferentialVersion",
        )
    }
    since = acts.SINCE
    m["KeyLetter"].objects.bulk_create(
        [
            m["KeyLetter"](letter=letter, sector=sector, value=Decimal(value), category=category, valid_from=since)
            for letter, value, category in acts.KEY_LETTERS
            for sector in ("public", "private")
        ]
    )
    m["Act"].objects.bulk_create(
        [
            m["Act"](
                code=code,
                label_fr=fr,
                label_ar=ar,
                category=cat,
                key_letter=letter,
                coefficient=_dec(coef),
                tariff=_dec(tariff),
                needs_prior_approval=approval,
                max_count=mx,
                period_days=days,
                valid_from=since,
            )
            for code, fr, ar, cat, letter, coef, tariff, approval, mx, days in acts.ACTS
        ]
    )
    m["Medicine"].objects.bulk_create(
        [
            m["Medicine"](
                **{
                    **row,
                    "public_price": Decimal(str(row["public_price"])),
                    "reference_price": _dec(row["reference_price"]),  # type: ignore[arg-type]
                },
                valid_from=MEDICINES_SINCE,
            )
            for row in medicine_rows()
        ]
    )
    m["AldCondition"].objects.bulk_create(
        [
            m["AldCondition"](code=code, label_fr=fr, label_ar=ar, label_en=en, valid_from=since)
            for code, fr, ar, en in ALD_CONDITIONS
        ]
    )
    m["AmoRate"].objects.bulk_create(
        [
            m["AmoRate"](category=cat, setting=setting, rate_bp=bp, valid_from=since)
            for cat, setting, bp in acts.AMO_RATES
        ]
    )
    m["ComplementaryRule"].objects.bulk_create(
        [
            m["ComplementaryRule"](
                category=cat, rate_bp=bp, flat_amount=_dec(flat), yearly_ceiling=_dec(ceiling), valid_from=since
            )
            for cat, bp, flat, ceiling in acts.COMPLEMENTARY
        ]
    )
    m["Parameter"].objects.bulk_create(
        [m["Parameter"](name=name, value=value, valid_from=since) for name, value in acts.PARAMETERS]
    )
    m["ReferentialVersion"].objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


def unseed(apps: Any) -> None:
    for name in (
        "KeyLetter",
        "Act",
        "Medicine",
        "AldCondition",
        "AmoRate",
        "ComplementaryRule",
        "Parameter",
    ):
        apps.get_model("referentials", name).objects.all().delete()
