"""Demo: the complementary plan's budgets (dated rows, through the referentials' service) and a
first build of the dashboard's summary tables, so that `direction` sees figures after `make run`.

The backlog's ages and the default period ("last 12 months", counted back from the refresh's
day) count from the demo's fixed "today" (demo.members.TODAY), as the rest of the demo's story:
its files are decided and paid at moments before it (demo.clock, demo.claims), so the default
period shows them. A later `manage.py reports_refresh` without `--on` counts from the real day.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model

from demo.members import TODAY
from referentials.services import referential_row_create
from reports.models import PlanBudget
from reports.summary import reports_refresh_run

# The board's vote for each year (MAD): about what the demo's members cost, so the gauge means something.
BUDGETS = {2025: Decimal("20000.00"), 2026: Decimal("22000.00")}


def demo_reports_ensure() -> int:
    """Add the missing budgets, then rebuild the summary tables; returns the summary rows written."""
    admin = get_user_model().objects.filter(username="admin").first()
    for year, amount in BUDGETS.items():
        start = dt.date(year, 1, 1)
        if admin is not None and not PlanBudget.objects.filter(valid_from=start).exists():
            # The note is data an administrator types (shown as typed, on every page): in Arabic, the
            # mutual's first language, rather than in English.
            values = {"valid_from": start, "valid_to": dt.date(year + 1, 1, 1), "amount": amount,
                      "note": "ميزانية صادق عليها المجلس الإداري (معطيات تجريبية)"}  # fmt: skip
            referential_row_create(actor=admin, model=PlanBudget, values=values)
    return sum(t.rows for t in reports_refresh_run(today=TODAY))
