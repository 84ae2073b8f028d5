"""Seed the contribution schedules (one row per fund and member status, in force from 2020-01-01).

Pensioners' complementary and death-fund rows repeat the active members' figures: the mutual
publishes no separate figure for pensioners (see docs/readme-contributions.md). Idempotent: a
row already present for its fund, status and start date is left alone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import migrations

START = dt.date(2020, 1, 1)
_DESIGN = "MGPAP published rates (docs/DESIGN.md)"
_AMO = "Decree 2-05-733 (AMO of public-sector staff and pensioners)"
ROWS = [
    ("complementary", "active", "1.800", "0.00", "50.00", _DESIGN),
    ("death_fund", "active", "1.000", "0.00", "15.00", _DESIGN),
    ("amo_employee", "active", "2.500", "70.00", "400.00", _AMO),
    ("amo_employer", "active", "2.500", "70.00", "400.00", _AMO),
    ("complementary", "retired", "1.800", "0.00", "50.00", _DESIGN + "; same as active members"),
    ("death_fund", "retired", "1.000", "0.00", "15.00", _DESIGN + "; same as active members"),
    ("amo_employee", "retired", "2.500", "70.00", "400.00", _AMO),
    ("amo_employer", "retired", "0.000", "0.00", "0.00", _AMO + "; no employer share on a pension"),
]


def seed(apps: Any, schema_editor: Any) -> None:
    schedule = apps.get_model("contributions", "ContributionSchedule")
    for fund, status, rate, floor, cap, source in ROWS:
        schedule.objects.get_or_create(
            fund=fund,
            member_status=status,
            valid_from=START,
            defaults={"rate": Decimal(rate), "floor": Decimal(floor), "cap": Decimal(cap), "source": source},
        )


class Migration(migrations.Migration):
    dependencies = [("contributions", "0001_ledger")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
