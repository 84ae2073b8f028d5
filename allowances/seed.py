"""The death fund's allowances since October 2023 (DESIGN.md), as types and dated rates.

Idempotent: a type or rate already there (by code, and by type and start date) is left as it is,
so an administrator's later changes survive a new `migrate`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, NamedTuple

SINCE = dt.date(2023, 10, 1)


class SeedType(NamedTuple):
    code: str
    label_fr: str
    label_ar: str
    label_en: str
    event: str
    payee: str
    documents: list[str]
    deducts: bool
    amount: str
    min_months: int = 0
    age_limit: int | None = None
    per_child: bool = False
    per_year: bool = False


TYPES = (
    SeedType("retirement", "Allocation de départ à la retraite", "منحة الإحالة على التقاعد", "Retirement allowance",
             "retirement", "member", ["retirement_decision", "rib"], True, "35000.00"),
    SeedType("death", "Allocation décès de l'adhérent", "منحة وفاة المنخرط", "Death of the member",
             "member_death", "heirs", ["death_certificate", "heirs_certificate", "rib", "school_certificate"], True,
             "50000.00", min_months=12),
    SeedType("funeral", "Frais funéraires", "مصاريف الجنازة", "Funeral costs",
             "member_death", "claimant", ["death_certificate", "funeral_invoice", "rib"], False, "4000.00"),
    SeedType("orphan_schooling", "Allocation de scolarité des orphelins", "منحة تمدرس الأيتام", "Orphan schooling",
             "school_year", "children", ["death_certificate", "school_certificate", "rib"], False, "700.00",
             age_limit=21, per_child=True, per_year=True),
)  # fmt: skip


def allowances_seed(apps: Any = None) -> int:
    """Create the missing types and rates; the number of rows created."""
    if apps is None:
        from django.apps import apps as live

        apps = live
    type_model = apps.get_model("allowances", "AllowanceType")
    rate_model = apps.get_model("allowances", "AllowanceRate")
    created = 0
    for t in TYPES:
        row, new = type_model.objects.get_or_create(
            code=t.code,
            defaults={"label_fr": t.label_fr, "label_ar": t.label_ar, "label_en": t.label_en, "event": t.event,
                      "payee": t.payee, "required_documents": t.documents, "deducts_arrears": t.deducts,
                      "deducts_advances": t.deducts},
        )  # fmt: skip
        created += int(new)
        if not rate_model.objects.filter(type=row).exists():
            rate_model.objects.create(
                type=row, amount=Decimal(t.amount), valid_from=SINCE, min_membership_months=t.min_months,
                age_limit=t.age_limit, per_child=t.per_child, per_year=t.per_year,
            )  # fmt: skip
            created += 1
    return created
