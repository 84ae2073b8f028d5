"""Referentials as effective-dated rows, looked up by the date of care.

`build.snapshot_build` turns plain dicts/lists (DB rows from the referentials app, or
explicit values in tests) into a `Snapshot` whose lookups are dict hits followed
by a scan of the few dated rows of one key (newest first).
Validity bounds are inclusive: a row applies from valid_from to valid_to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

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


def _on(rows: tuple[_R, ...] | None, d: date) -> _R | None:
    if rows:
        for row in rows:  # newest first
            if row.valid_from <= d:
                vt = row.valid_to
                return row if vt is None or d <= vt else None
    return None


@dataclass(frozen=True, slots=True)
class Snapshot:
    key_letters: dict[tuple[str, str], tuple[KeyLetterRef, ...]]
    acts: dict[str, tuple[ActRef, ...]]
    medicines: dict[str, tuple[MedicineRef, ...]]
    ald: dict[str, tuple[Dated, ...]]
    amo_rates: dict[tuple[str, str], tuple[RateRef, ...]]
    plan: dict[str, tuple[PlanRef, ...]]
    params: tuple[Dated, ...]

    def key_letter(self, letter: str, sector: str, d: date) -> KeyLetterRef | None:
        return _on(self.key_letters.get((letter, sector)), d)

    def act(self, code: str, d: date) -> ActRef | None:
        return _on(self.acts.get(code), d)

    def medicine(self, code: str, d: date) -> MedicineRef | None:
        return _on(self.medicines.get(code), d)

    def ald_listed(self, code: str, d: date) -> bool:
        return _on(self.ald.get(code), d) is not None

    def amo_rate(self, category: str, setting: str, d: date) -> int | None:
        """Most specific row wins: (category, setting), (category, *), (*, setting), (*, *)."""
        rates = self.amo_rates
        for key in ((category, setting), (category, ANY), (ANY, setting), (ANY, ANY)):
            rows = rates.get(key)
            if rows is not None:
                row = _on(rows, d)
                if row is not None:
                    return row.rate_bp
        return None

    def plan_for(self, category: str, d: date) -> PlanRef | None:
        return _on(self.plan.get(category), d)

    def params_on(self, d: date) -> Params:
        row = _on(self.params, d)
        return row.value if row is not None else _DEFAULT_PARAMS


_DEFAULT_PARAMS = Params()
