"""Reads of the payroll files: lists, and the reconciliation of a file against the schedule.

The differences of a file, by kind:
- unknown: a matricule that is no member's;
- not_active: a member in the file who is retired, deceased or resigned;
- other_administration: a member of another administration;
- wrong_amount: an active member whose amount withheld for a fund is not what the schedule
  expects on the salary in the file (one difference per fund);
- missing: an active member of the administration who is not in the file (and not off payroll).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from contributions.models import PayrollFile, PayrollLine
from contributions.models.ledger import FUND_COLUMNS
from contributions.rules import to_centimes
from contributions.selectors import Quote, quote_from_rules, schedule_rules
from contributions.services_payroll import missing_members
from members.models import Beneficiary, Relation

VIEW = "contributions.view_payrollfile"
_ZERO = Decimal("0.00")
_ACTIVE = ("active", "suspended")
NOT_ACTIVE = ("retired", "deceased", "resigned")

KINDS = {
    "unknown": _("Unknown matricule"),
    "wrong_amount": _("Wrong amount"),
    "missing": _("Missing from the file"),
    "not_active": _("Retired or deceased member in the file"),
    "other_administration": _("Member of another administration"),
}


@dataclass(frozen=True)
class Difference:
    kind: str
    line: int | None
    matricule: str
    member_id: int | None
    fund: str
    expected: Decimal | None
    withheld: Decimal | None
    status: str = ""

    @property
    def gap(self) -> Decimal:
        return (self.withheld or _ZERO) - (self.expected or _ZERO)

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])


@dataclass(frozen=True)
class KindTotal:
    kind: str
    label: str
    count: int
    expected: Decimal
    withheld: Decimal

    @property
    def gap(self) -> Decimal:
        return self.withheld - self.expected


def payroll_files(*, user: Any) -> QuerySet[PayrollFile]:
    if not user.has_perm(VIEW):
        raise PermissionDenied
    return PayrollFile.objects.select_related("administration", "uploaded_by", "job").order_by("-uploaded_at", "-id")


def payroll_file_get(*, user: Any, pk: int) -> PayrollFile:
    return payroll_files(user=user).get(pk=pk)


_WITHHELD = F("complementary") + F("death_fund") + F("amo_employee") + F("amo_employer")


def _lines(file: PayrollFile, kind: str, fund: str | None = None) -> QuerySet[PayrollLine]:
    qs = PayrollLine.objects.filter(file=file)
    if kind == "unknown":
        return qs.filter(member__isnull=True)
    if kind == "not_active":
        return qs.filter(member_status__in=NOT_ACTIVE)
    if kind == "other_administration":
        return qs.filter(member__isnull=False).exclude(member_administration_id=file.administration_id)
    if kind == "wrong_amount":
        funds = [fund] if fund else list(FUND_COLUMNS)
        wrong = Q()
        for f in funds:
            wrong |= ~Q(**{f: F(f"expected_{f}")})
        return qs.filter(member_status__in=_ACTIVE).filter(wrong)
    raise ValueError(kind)


def _missing_expected(file: PayrollFile) -> Iterator[tuple[int, str, Quote]]:
    """Members missing from the file and what the schedule expects on their recorded salary."""
    rules = schedule_rules(month=file.period, status="active")
    for pk, matricule, salary in missing_members(file).values_list("pk", "matricule", "base_salary").iterator(2000):
        yield pk, matricule, quote_from_rules(rules, to_centimes(salary or _ZERO))


def reconciliation_totals(*, file: PayrollFile, fund: str | None = None) -> list[KindTotal]:
    """Count, expected and withheld of each kind of difference (a few aggregate queries)."""
    out = []
    for kind in ("unknown", "not_active", "other_administration"):
        agg = _lines(file, kind).aggregate(n=Count("id"), withheld=Sum(_WITHHELD))
        out.append(KindTotal(kind, str(KINDS[kind]), agg["n"] or 0, _ZERO, agg["withheld"] or _ZERO))
    funds = [fund] if fund else list(FUND_COLUMNS)
    count, expected, withheld = 0, _ZERO, _ZERO
    base = PayrollLine.objects.filter(file=file, member_status__in=_ACTIVE)
    for f in funds:
        agg = base.exclude(**{f: F(f"expected_{f}")}).aggregate(n=Count("id"), e=Sum(f"expected_{f}"), w=Sum(f))
        count, expected, withheld = (
            count + (agg["n"] or 0),
            expected + (agg["e"] or _ZERO),
            withheld + (agg["w"] or _ZERO),
        )
    out.append(KindTotal("wrong_amount", str(KINDS["wrong_amount"]), count, expected, withheld))
    n, owed = 0, _ZERO
    for _pk, _matricule, quote in _missing_expected(file):
        n += 1
        owed += sum((getattr(quote, f) for f in funds), _ZERO)
    out.append(KindTotal("missing", str(KINDS["missing"]), n, owed, _ZERO))
    return out


def reconciliation_differences(
    *, file: PayrollFile, kind: str | None = None, fund: str | None = None
) -> Iterator[Difference]:
    """Every difference of the file, kind after kind, streamed (for the page and the exports)."""
    kinds = [kind] if kind else list(KINDS)
    funds = [fund] if fund else list(FUND_COLUMNS)
    for k in kinds:
        if k == "missing":
            for pk, matricule, quote in _missing_expected(file):
                for f in funds:
                    yield Difference(k, None, matricule, pk, f, getattr(quote, f), None, "active")
            continue
        for ln in _lines(file, k, fund).order_by("line").iterator(2000):
            if k == "wrong_amount":
                for f in funds:
                    exp, got = getattr(ln, f"expected_{f}"), getattr(ln, f)
                    if exp != got:
                        yield Difference(k, ln.line, ln.matricule, ln.member_id, f, exp, got, ln.member_status)
            else:
                total = sum((getattr(ln, f) for f in funds), _ZERO)
                yield Difference(k, ln.line, ln.matricule, ln.member_id, "", None, total, ln.member_status)


def member_names(member_ids: set[int]) -> dict[int, Beneficiary]:
    """The members' own person rows (names in both scripts), one query."""
    rows = Beneficiary.objects.filter(member_id__in=member_ids, relation=Relation.SELF)
    return {b.member_id: b for b in rows}
