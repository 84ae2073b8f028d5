"""The complaints and appeals summary: its rows (built by the refresh) and what the page reads.

Built with grievances.selectors.grievances_summary, once per month with grievances filed (two
grouped queries each, plus one for the month list and one for the categories' labels): months,
not grievances, set the cost, and the page reads the few hundred rows of GrievanceStats only.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Sum

from grievances.models import Grievance, GrievanceCategory
from grievances.selectors import grievances_summary
from reports.models import GrievanceStats
from reports.selectors_dashboard import Period


def _month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def grievance_rows(*, today: dt.date) -> list[GrievanceStats]:
    """One row per month of filing and category, and one per month (blank category) with the ages
    of its open grievances on `today`."""
    labels = {c.code: c for c in GrievanceCategory.objects.all()}
    rows: list[GrievanceStats] = []
    for month in Grievance.objects.dates("filed_on", "month"):
        s = grievances_summary(since=month, until=_month_end(month), today=today)
        for c in s.categories:
            cat = labels.get(c.code)
            rows.append(GrievanceStats(
                month=month, category=c.code, kind=c.kind, label_fr=cat.label_fr if cat else c.label,
                label_ar=cat.label_ar if cat else c.label, label_en=cat.label_en if cat else c.label,
                filed=c.filed, open=c.open, late=c.late, answered=c.answered,
                answered_in_time=c.answered_in_time, upheld=c.upheld,
            ))  # fmt: skip
        young, middle, old = (b.count for b in s.open_by_age)
        rows.append(GrievanceStats(month=month, open_0_5=young, open_6_30=middle, open_31=old))
    return rows


@dataclass(frozen=True, slots=True)
class GrievanceLine:
    code: str
    kind: str
    label: str
    filed: int
    open: int
    late: int
    answered: int
    answered_in_time: int
    upheld: int


@dataclass(frozen=True, slots=True)
class Grievances:
    categories: list[GrievanceLine]
    open_0_5: int
    open_6_30: int
    open_31: int


FIGURES = ("filed", "open", "late", "answered", "answered_in_time", "upheld")


def grievances(period: Period, *, language: str) -> Grievances:
    """Grievances filed in the period's months, by category (kind, then code) with its label in
    `language` (French when it has none), and the open ones by age on the refresh day; two queries
    on the summary table."""
    rows = (
        GrievanceStats.objects.filter(period.months()).exclude(category="")
        .values("category", "kind", "label_fr", "label_ar", "label_en")
        .annotate(**{f: Sum(f) for f in FIGURES}).order_by("kind", "category")
    )  # fmt: skip
    field = f"label_{language}" if language in ("ar", "en") else "label_fr"
    lines = [
        GrievanceLine(r["category"], r["kind"], r[field] or r["label_fr"], *(int(r[f]) for f in FIGURES)) for r in rows
    ]
    ages = GrievanceStats.objects.filter(period.months(), category="").aggregate(
        a=Sum("open_0_5"), b=Sum("open_6_30"), c=Sum("open_31")
    )
    return Grievances(lines, int(ages["a"] or 0), int(ages["b"] or 0), int(ages["c"] or 0))
