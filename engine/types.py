"""Input facts and output decisions of the engine (plain frozen dataclasses).

All money is integer centimes; coefficients are integer hundredths (150 = 1.5).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from .trace import Trace

__all__ = [
    "FILED_BY",
    "LINE_KINDS",
    "MEMBER_STATUSES",
    "PROVIDER_KINDS",
    "RELATIONS",
    "SECTORS",
    "STATUSES",
    "BeneficiaryFacts",
    "ClaimFile",
    "ClaimLine",
    "FileDecision",
    "LineDecision",
    "Params",
    "Provider",
    "Suspension",
]

RELATIONS: tuple[str, ...] = ("self", "spouse", "child")
MEMBER_STATUSES: tuple[str, ...] = ("active", "retired", "deceased", "suspended", "resigned")
LINE_KINDS: tuple[str, ...] = ("act", "medicine", "stay")
SECTORS: tuple[str, ...] = ("public", "private")
PROVIDER_KINDS: tuple[str, ...] = ("doctor", "pharmacy", "lab", "clinic", "hospital")
FILED_BY: tuple[str, ...] = ("member", "provider")
STATUSES: tuple[str, ...] = ("accepted", "reduced", "rejected")


@dataclass(frozen=True, slots=True)
class Params:
    """Scalar rules of the scheme; dated in the Snapshot like every referential."""

    member_filing_days: int = 60
    provider_filing_days: int = 90
    waiting_months: int = 3
    child_age_limit: int = 21
    student_age_limit: int = 26


class Suspension(NamedTuple):
    """Rights suspended for unpaid contributions on [start, end): `end` is the day rights are
    restored (exclusive), None while the suspension lasts. Care inside stays refused after it ends."""

    start: dt.date
    end: dt.date | None = None


@dataclass(frozen=True, slots=True)
class BeneficiaryFacts:
    """What the members app knows about a beneficiary, as needed for coverage."""

    beneficiary_id: str
    relation: str  # self | spouse | child
    birth_date: dt.date
    member_joined: dt.date
    member_status: str = "active"
    from_other_amo: bool = False
    student_until: dt.date | None = None  # school certificate valid until (inclusive)
    disabled: bool = False
    ald: tuple[str, ...] = ()  # recognised ALD condition codes
    # Every suspension of the member's rights, past ones included (sorted by start, disjoint).
    suspensions: tuple[Suspension, ...] = ()
    # Needed to tell care before the member's death (covered) from care after it.
    member_died_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Provider:
    sector: str  # public | private
    kind: str  # doctor | pharmacy | lab | clinic | hospital
    inpe: str | None = None


@dataclass(frozen=True, slots=True)
class ClaimLine:
    ref: str
    kind: str  # act | medicine | stay
    date: dt.date  # date of care
    paid: int  # centimes
    code: str = ""  # key letter, act code or medicine code ("" = none)
    # Hundredths, used when code is a key letter; an act code from the
    # referential carries its own coefficient, which wins.
    coefficient_x100: int = 100
    quantity: int = 1
    unit_price: int | None = None  # medicine without a code: public unit price
    reference_unit_price: int | None = None  # ... and its generic price if any
    ald: str | None = None
    prior_approval: str | None = None
    treatment_end: dt.date | None = None  # end of a continuous treatment (deadline)
    # An act performed during a hospital stay is paid at the hospital rate;
    # stay lines always are.
    inpatient: bool = False


@dataclass(frozen=True, slots=True)
class ClaimFile:
    ref: str
    beneficiary: BeneficiaryFacts
    filed_on: dt.date
    filed_by: str  # member | provider
    provider: Provider
    lines: tuple[ClaimLine, ...]


@dataclass(frozen=True, slots=True)
class LineDecision:
    ref: str
    status: str  # accepted | reduced | rejected
    paid: int
    basis: int
    amo: int
    complementary: int
    remainder: int
    reasons: tuple[str, ...]
    trace: tuple[Trace, ...]  # which rules gave the figures; rendered by claims.trace


@dataclass(frozen=True, slots=True)
class FileDecision:
    ref: str
    lines: tuple[LineDecision, ...]
    paid: int
    basis: int
    amo: int
    complementary: int
    remainder: int

    @property
    def status(self) -> str:
        """rejected when every line is, reduced when any line is not fully accepted."""
        statuses = {d.status for d in self.lines}
        if not statuses or statuses == {"rejected"}:
            return "rejected"
        if statuses == {"accepted"}:
            return "accepted"
        return "reduced"
