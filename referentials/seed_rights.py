"""Seed rows of the arrears rules and of the basic-insurance payer (migration 0004).

The mutual's practice: a formal notice once three months are unpaid, the rights suspended 30
days after it. The basic insurance of public-sector staff is CNOPS's, managed by the mutual by
delegation; the reform (law 54-23) moves it to CNSS on a date still to be published, which an
administrator adds as a new row then.
"""

from __future__ import annotations

from typing import Any

from referentials.seed_acts import SINCE

ARREARS_PARAMETERS: list[tuple[str, int]] = [
    ("arrears_notice_months", 3),
    ("suspension_grace_days", 30),
]
AMO_START = "2005-09-01"  # law 65-00: AMO in force
CNOPS = {
    "code": "CNOPS",
    "name_fr": "Caisse nationale des organismes de prévoyance sociale",
    "name_ar": "الصندوق الوطني لمنظمات الاحتياط الاجتماعي",
    "name_en": "National Fund of Social Welfare Organisations",
    "by_delegation": True,
}


def seed_rights_values(apps: Any) -> None:
    parameter = apps.get_model("referentials", "Parameter")
    for name, value in ARREARS_PARAMETERS:
        if not parameter.objects.filter(name=name).exists():
            parameter.objects.create(name=name, value=value, valid_from=SINCE)
    payer = apps.get_model("referentials", "BasicPayer")
    if not payer.objects.exists():
        payer.objects.create(valid_from=AMO_START, **CNOPS)


def unseed_rights_values(apps: Any) -> None:
    apps.get_model("referentials", "Parameter").objects.filter(name__in=[n for n, _ in ARREARS_PARAMETERS]).delete()
    apps.get_model("referentials", "BasicPayer").objects.all().delete()
