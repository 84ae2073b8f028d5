"""Referentials as effective-dated rows, looked up by the date of care.

`build.snapshot_build` turns plain dicts/lists (DB rows from the referentials app, or
explicit values in tests) into a `Snapshot` whose lookups are dict hits followed
by a scan of the few dated rows of one key (newest first).
Validity bounds are inclusive: a row applies from valid_from to valid_to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from .trace import Trace
from .types import Params

__all__ = [
    "ActRef",
    "Dated",
    "KeyLetterRef",
    "MedicineRef",
    "PlanRef",
    "RateRef",
    "Snapshot",
    "SnapshotError",
    "row_on",
]

SETTINGS: tuple[str, ...] = ("ambulatory", "hospital_private", "hospital_public")
ALD_CATEGORY = "ald"  # rate rows with this category apply to recognised ALD lines
ANY = "*"


class SnapshotError(ValueError):
    """A referential row that cannot be used; message names the row."""


@dataclass(frozen=True, slots=True)
class KeyLetterRef:
    valid_from: date
    valid_to: date | None
    value: int  # centimes per unit of coefficient
    category: str  # category of an act coded by the bare letter


@dataclass(frozen=True, slots=True)
class ActRef:
    valid_from: date
    valid_to: date | None
    category: str
    key_letter: str | None  # TNR = coefficient × letter value ...
    coefficient_x100: int
    tariff: int | None  # ... or a flat tariff per unit (session, day of stay)
    needs_prior_approval: bool
    frequency_max: int | None  # at most N units per beneficiary ...
    frequency_days: int | None  # ... within D days


@dataclass(frozen=True, slots=True)
class MedicineRef:
    valid_from: date
    valid_to: date | None
    name: str
    public_price: int
    reference_price: int | None  # generic price; the basis when it exists
    reimbursable: bool
    needs_prior_approval: bool


@dataclass(frozen=True, slots=True)
class RateRef:
    valid_from: date
    valid_to: date | None
    rate_bp: int


@dataclass(frozen=True, slots=True)
class PlanRef:
    """Complementary cover of one category: a percentage or a flat sum per unit."""

    valid_from: date
    valid_to: date | None
    rate_bp: int | None
    flat: int | None
    ceiling: int | None  # centimes per beneficiary per calendar year
    ceiling_key: str  # categories sharing a key share one ceiling


@dataclass(frozen=True, slots=True)
class Dated:
    valid_from: date
    valid_to: date | None
    value: Any


_R = TypeVar("_R", KeyLetterRef, ActRef, MedicineRef, RateRef, PlanRef, Dated)


def row_on(rows: tuple[_R, ...] | None, d: date) -> _R | None:
    """The row of `rows` (newest first, not overlapping) valid on `d`, or None."""
    if not rows:
        return None
    row = rows[0]  # the current row answers almost every lookup
    if row.valid_from > d:
        for row in rows[1:]:
            if row.valid_from <= d:
                break
        else:
            return None
    vt = row.valid_to
    return row if vt is None or d <= vt else None


@dataclass(frozen=True, slots=True)
class DayView:
    """The small referentials resolved for one date of care.

    Built once per date and kept by the Snapshot: a claim line then costs plain
    dict hits instead of dated scans and rate fallbacks (the engine's hot path).
    """

    letters: dict[tuple[str, str], KeyLetterRef]
    # (category, setting) -> (rate in bp or None, trace entry); fallbacks applied
    rates: dict[tuple[str, str], tuple[int | None, Trace]]
    plan: dict[str, tuple[PlanRef, Trace]]  # category -> (plan row, trace entry)
    ald: frozenset[str]
    params: Params


@dataclass(frozen=True, slots=True)
class Snapshot:
    key_letters: dict[tuple[str, str], tuple[KeyLetterRef, ...]]
    acts: dict[str, tuple[ActRef, ...]]
    medicines: dict[str, tuple[MedicineRef, ...]]
    ald: dict[str, tuple[Dated, ...]]
    amo_rates: dict[tuple[str, str], tuple[RateRef, ...]]
    plan: dict[str, tuple[PlanRef, ...]]
    params: tuple[Dated, ...]
    # Memo of day views; derived data, so it takes no part in equality.
    days: dict[date, DayView] = field(default_factory=dict, compare=False, repr=False)

    def day(self, d: date) -> DayView:
        view = self.days.get(d)
        if view is None:
            view = self.days[d] = self._day(d)
        return view

    def _day(self, d: date) -> DayView:
        letters = {k: r for k, rows in self.key_letters.items() if (r := row_on(rows, d)) is not None}
        plan = {k: p for k, rows in self.plan.items() if (p := row_on(rows, d)) is not None}
        categories = {ALD_CATEGORY, "medicine", "stay", ANY}
        categories.update(r.category for r in letters.values())
        categories.update(rows[0].category for rows in self.acts.values())
        categories.update(plan)
        categories.update(c for c, _ in self.amo_rates)
        rates = {(c, s): self.amo_rate_traced(c, s, d) for c in categories for s in SETTINGS}
        ald = frozenset(k for k, rows in self.ald.items() if row_on(rows, d) is not None)
        plans = {c: (p, _plan_text(c, p)) for c, p in plan.items()}
        return DayView(letters, rates, plans, ald, self.params_on(d))

    def amo_rate_traced(self, category: str, setting: str, d: date) -> tuple[int | None, Trace]:
        rate = self.amo_rate(category, setting, d)
        if rate is None:
            return None, Trace("amo.none", category=category, setting=setting)
        what = "ald" if category == ALD_CATEGORY else "medicine" if category == "medicine" else setting
        return rate, Trace("amo.rate", rate=rate, basis=what)

    def key_letter(self, letter: str, sector: str, d: date) -> KeyLetterRef | None:
        return row_on(self.key_letters.get((letter, sector)), d)

    def act(self, code: str, d: date) -> ActRef | None:
        return row_on(self.acts.get(code), d)

    def medicine(self, code: str, d: date) -> MedicineRef | None:
        return row_on(self.medicines.get(code), d)

    def ald_listed(self, code: str, d: date) -> bool:
        return row_on(self.ald.get(code), d) is not None

    def amo_rate(self, category: str, setting: str, d: date) -> int | None:
        """Most specific row wins: (category, setting), (category, *), (*, setting), (*, *)."""
        rates = self.amo_rates
        for key in ((category, setting), (category, ANY), (ANY, setting), (ANY, ANY)):
            rows = rates.get(key)
            if rows is not None:
                row = row_on(rows, d)
                if row is not None:
                    return row.rate_bp
        return None

    def plan_for(self, category: str, d: date) -> PlanRef | None:
        return row_on(self.plan.get(category), d)

    def params_on(self, d: date) -> Params:
        row = row_on(self.params, d)
        return row.value if row is not None else _DEFAULT_PARAMS


_DEFAULT_PARAMS = Params()


def _plan_text(category: str, plan: PlanRef) -> Trace:
    if plan.rate_bp is not None:
        return Trace("complementary.rate", rate=plan.rate_bp, category=category)
    return Trace("complementary.flat", amount=plan.flat or 0, category=category)
