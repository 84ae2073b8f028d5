"""The money summary rows: spending by month × category × region × administration, and the
contributions ledger by month. GROUP BY queries through the ORM, as reports.summary_claims."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Case, CharField, Count, DateField, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth

from claims.models import ClaimLine, LineKind, LineStatus
from claims.models.files import WITH_STATEMENT
from contributions.models import LedgerEntry
from referentials.choices import RateCategory
from referentials.models import Act, KeyLetter
from reports.models import ContributionStats, MonthlySpending, SpendingRollup

ZERO = Decimal("0.00")


def _category() -> Case:
    """The line's category as the engine files it (engine.tariff.resolve): medicines, a stay without
    code, else the act's category (by its code, else by its key letter), "other" when unknown.

    The latest row of the code names the category: a code does not change category over time, and
    a join on dates would cost a range condition per line for the same answer."""
    act = Act.objects.filter(code=OuterRef("code")).order_by("-valid_from").values("category")[:1]
    letter = KeyLetter.objects.filter(letter=OuterRef("code")).order_by("-valid_from").values("category")[:1]
    text: CharField[str, str] = CharField()
    return Case(
        When(kind=LineKind.MEDICINE, then=Value(RateCategory.MEDICINE.value)),
        When(Q(kind=LineKind.STAY, code=""), then=Value(RateCategory.STAY.value)),
        default=Coalesce(
            Subquery(act, output_field=text), Subquery(letter, output_field=text), Value(RateCategory.OTHER.value)
        ),
        output_field=text,
    )


def spending_rows() -> list[MonthlySpending]:
    """Accepted and reduced lines of files with a statement (approved, in payment, paid), by month
    of care, category, region and administration of the member."""
    groups = (
        ClaimLine.objects.filter(file__status__in=WITH_STATEMENT, status__in=[LineStatus.ACCEPTED, LineStatus.REDUCED])
        .annotate(
            m=TruncMonth("care_date", output_field=DateField()),
            cat=_category(),
            reg=F("file__member__region"),
            adm=F("file__member__administration_id"),
        )
        .values("m", "cat", "reg", "adm")
        .annotate(n=Count("id"), paid_=Sum("paid"), basis_=Sum("basis"), amo_=Sum("amo"), compl=Sum("complementary"))
        .order_by()
    )
    return [
        MonthlySpending(
            month=r["m"],
            category=r["cat"],
            region=r["reg"] or "",
            administration_id=r["adm"],
            lines=r["n"],
            paid=r["paid_"] or ZERO,
            basis=r["basis_"] or ZERO,
            amo=r["amo_"] or ZERO,
            complementary=r["compl"] or ZERO,
        )
        for r in groups
    ]


ROLLUPS = (
    (SpendingRollup.Dimension.CATEGORY, "category"),
    (SpendingRollup.Dimension.REGION, "region"),
    (SpendingRollup.Dimension.ADMINISTRATION, "administration_id"),
)


def rollup_rows() -> list[SpendingRollup]:
    """The cube just built (MonthlySpending) summed per month along each dimension: the page's rows."""
    rows = []
    for dimension, column in ROLLUPS:
        groups = (
            MonthlySpending.objects.values("month", column)
            .annotate(n=Sum("lines"), amo_=Sum("amo"), compl=Sum("complementary"))
            .order_by()
        )
        rows += [
            SpendingRollup(month=r["month"], dimension=dimension, key=str(r[column] or ""), lines=r["n"] or 0,
                           amo=r["amo_"] or ZERO, complementary=r["compl"] or ZERO)
            for r in groups
        ]  # fmt: skip
    return rows


def contribution_rows() -> list[ContributionStats]:
    """Due and collected per month of the ledger, active rows only (a corrected payroll file's
    earlier rows are inactive, kept for the trail)."""
    total = F("complementary") + F("death_fund") + F("amo_employee") + F("amo_employer")
    groups = (
        LedgerEntry.objects.filter(active=True)
        .values("month", "kind")
        .annotate(compl=Sum("complementary"), amo=Sum(F("amo_employee") + F("amo_employer")), funds=Sum(total))
        .order_by()
    )
    months: dict[dt.date, ContributionStats] = {}
    for r in groups:
        row = months.setdefault(r["month"], ContributionStats(month=r["month"]))
        compl, amo, all_funds = r["compl"] or ZERO, r["amo"] or ZERO, r["funds"] or ZERO
        if r["kind"] == LedgerEntry.Kind.DUE:
            row.due_complementary, row.due_amo, row.due_total = compl, amo, all_funds
        else:
            row.paid_complementary, row.paid_amo, row.paid_total = compl, amo, all_funds
    return [months[m] for m in sorted(months)]
