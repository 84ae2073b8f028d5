"""What the control signals give: plain rows with their figures (reports.controls computes them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from accounts.models import Provider
from claims.models import LineKind
from members.models import Region


@dataclass(frozen=True, slots=True)
class Found:
    """One page of a signal's list, and how many there are in all."""

    total: int
    items: list[Any]


@dataclass(frozen=True, slots=True)
class Window:
    start: date
    end: date  # inclusive; thresholds and approval pace are read on this day


@dataclass(frozen=True, slots=True)
class FileRef:
    id: int
    number: str
    provider_inpe: str


@dataclass(frozen=True, slots=True)
class DuplicateSignal:
    beneficiary_id: int
    card_number: str
    member_id: int
    kind: str
    code: str
    care_date: date
    providers: int
    files: list[FileRef]

    @property
    def kind_label(self) -> str:
        return str(LineKind(self.kind).label) if self.kind in LineKind.values else self.kind


@dataclass(frozen=True, slots=True)
class ProviderSignal:
    inpe: str
    name: str
    kind: str
    city: str
    region: str  # members.Region code, "" when the city's region is not known
    files: int
    patients: int
    lines: int
    basis_per_file: Decimal
    lines_per_patient: Decimal
    peers: int
    median_basis_per_file: Decimal
    median_lines_per_patient: Decimal
    ratio: Decimal  # the larger of the two ratios to the median
    measure: str  # "basis" | "volume": which one exceeds
    latest_file: FileRef | None

    @property
    def kind_label(self) -> str:
        return str(Provider.Kind(self.kind).label) if self.kind in Provider.Kind.values else self.kind

    @property
    def region_label(self) -> str:
        return str(Region(self.region).label) if self.region in Region.values else ""


@dataclass(frozen=True, slots=True)
class FrequencySignal:
    beneficiary_id: int
    card_number: str
    member_id: int
    count: int  # consultations inside the busiest window
    first: date
    last: date
    days: int
    allowed: int
    files: list[FileRef]


@dataclass(frozen=True, slots=True)
class ApprovalSignal:
    approval_id: int
    number: str
    beneficiary_id: int
    card_number: str
    member_id: int
    kind: str
    code: str
    valid_from: date
    valid_to: date
    granted: int
    consumed: int
    used_pct: Decimal
    elapsed_pct: Decimal
    latest_file: FileRef | None

    @property
    def kind_label(self) -> str:
        return str(LineKind(self.kind).label) if self.kind in LineKind.values else self.kind
