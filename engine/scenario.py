"""The simulator's JSON: a claim file in, a decision out.  Pure, no Django.

`scenario_parse` reports every bad field at once, as (field path, message code)
pairs, so the form can flag them all; message codes are stable identifiers the
UI translates.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from .money import AmountError, format_centimes, to_centimes, to_hundredths
from .reasons import reason_label
from .snapshot import Snapshot
from .types import (
    FILED_BY,
    LINE_KINDS,
    MEMBER_STATUSES,
    PROVIDER_KINDS,
    RELATIONS,
    SECTORS,
    BeneficiaryFacts,
    ClaimFile,
    ClaimLine,
    FileDecision,
    LineDecision,
    Provider,
    Suspension,
)

__all__ = ["ScenarioError", "decision_to_json", "scenario_parse"]

_MISSING = object()


class ScenarioError(ValueError):
    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{p}: {m}" for p, m in errors))
        self.errors = errors


class _Reader:
    """Collects errors instead of stopping at the first one."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def err(self, path: str, code: str) -> None:
        self.errors.append((path, code))

    def obj(self, data: object, key: str, path: str) -> Mapping[str, Any]:
        v = data.get(key, _MISSING) if isinstance(data, Mapping) else _MISSING
        if v is _MISSING or v is None:
            self.err(path, "required")
            return {}
        if not isinstance(v, Mapping):
            self.err(path, "invalid_type")
            return {}
        return v

    def date(self, data: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> date | None:
        v = data.get(key)
        if v is None:
            if required:
                self.err(path, "required")
            return None
        if isinstance(v, str):
            try:
                return date.fromisoformat(v) if len(v) == 10 else _bad_date()
            except ValueError:
                pass
        self.err(path, "invalid_date")
        return None

    def choice(
        self, data: Mapping[str, Any], key: str, path: str, choices: tuple[str, ...], default: str | None = None
    ) -> str:
        v = data.get(key, default)
        if v is None:
            self.err(path, "required")
            return ""
        if v not in choices:
            self.err(path, "invalid_choice")
            return ""
        return str(v)

    def text(self, data: Mapping[str, Any], key: str, path: str, default: str | None) -> str | None:
        v = data.get(key, default)
        if v is None or isinstance(v, str):
            return v
        self.err(path, "invalid_type")
        return default

    def boolean(self, data: Mapping[str, Any], key: str, path: str) -> bool:
        v = data.get(key, False)
        if v is None:
            return False
        if not isinstance(v, bool):
            self.err(path, "invalid_boolean")
            return False
        return v

    def amount(self, data: Mapping[str, Any], key: str, path: str, *, required: bool) -> int | None:
        v = data.get(key)
        if v is None:
            if required:
                self.err(path, "required")
            return None
        try:
            return to_centimes(v)
        except AmountError as e:
            self.err(path, str(e))
            return None

    def positive_int(self, data: Mapping[str, Any], key: str, path: str, default: int) -> int:
        v = data.get(key, default)
        if isinstance(v, bool) or not isinstance(v, int):
            self.err(path, "invalid_integer")
            return default
        if v <= 0:
            self.err(path, "must_be_positive")
            return default
        return v

    def coefficient(self, data: Mapping[str, Any], path: str) -> int:
        v = data.get("coefficient", 1)
        try:
            h = to_hundredths(v)
        except AmountError as e:
            self.err(path, str(e))
            return 100
        if h <= 0:
            self.err(path, "must_be_positive")
            return 100
        return h


def _bad_date() -> date:
    raise ValueError


def _beneficiary(r: _Reader, b: Mapping[str, Any]) -> BeneficiaryFacts:
    p = "beneficiary."
    ald = b.get("ald") or []
    if not isinstance(ald, list) or not all(isinstance(c, str) for c in ald):
        r.err(p + "ald", "invalid_type")
        ald = []
    return BeneficiaryFacts(
        beneficiary_id=r.text(b, "beneficiary_id", p + "beneficiary_id", "SIM") or "SIM",
        relation=r.choice(b, "relation", p + "relation", RELATIONS),
        birth_date=r.date(b, "birth_date", p + "birth_date") or date.min,
        member_joined=r.date(b, "member_joined", p + "member_joined") or date.min,
        member_status=r.choice(b, "member_status", p + "member_status", MEMBER_STATUSES, "active"),
        from_other_amo=r.boolean(b, "from_other_amo", p + "from_other_amo"),
        student_until=r.date(b, "student_until", p + "student_until", required=False),
        disabled=r.boolean(b, "disabled", p + "disabled"),
        ald=tuple(ald),
        suspensions=_suspensions(r, b),
        member_died_on=r.date(b, "member_died_on", p + "member_died_on", required=False),
    )


def _suspensions(r: _Reader, b: Mapping[str, Any]) -> tuple[Suspension, ...]:
    """`suspensions: [{"from": date, "until": date or null}]` (until exclusive: the day rights are
    restored), and the older single `rights_suspended_from` (a suspension still running)."""
    out: list[Suspension] = []
    single = r.date(b, "rights_suspended_from", "beneficiary.rights_suspended_from", required=False)
    if single is not None:
        out.append(Suspension(single, None))
    raw = b.get("suspensions") or []
    if not isinstance(raw, list):
        r.err("beneficiary.suspensions", "invalid_type")
        return tuple(out)
    for i, item in enumerate(raw):
        p = f"beneficiary.suspensions[{i}]."
        if not isinstance(item, Mapping):
            r.err(f"beneficiary.suspensions[{i}]", "invalid_type")
            continue
        start = r.date(item, "from", p + "from")
        until = r.date(item, "until", p + "until", required=False)
        if start is None:
            continue
        if until is not None and until <= start:
            r.err(p + "until", "invalid_date")
            continue
        out.append(Suspension(start, until))
    return tuple(sorted(out, key=lambda s: s.start))


def _line(r: _Reader, i: int, raw: object) -> ClaimLine | None:
    p = f"lines[{i}]."
    if not isinstance(raw, Mapping):
        r.err(f"lines[{i}]", "invalid_type")
        return None
    return ClaimLine(
        ref=r.text(raw, "ref", p + "ref", f"L{i + 1}") or f"L{i + 1}",
        kind=r.choice(raw, "kind", p + "kind", LINE_KINDS),
        date=r.date(raw, "date", p + "date") or date.min,
        paid=r.amount(raw, "paid", p + "paid", required=True) or 0,
        code=r.text(raw, "code", p + "code", "") or "",
        coefficient_x100=r.coefficient(raw, p + "coefficient"),
        quantity=r.positive_int(raw, "quantity", p + "quantity", 1),
        unit_price=r.amount(raw, "unit_price", p + "unit_price", required=False),
        reference_unit_price=r.amount(raw, "reference_unit_price", p + "reference_unit_price", required=False),
        ald=r.text(raw, "ald", p + "ald", None),
        prior_approval=r.text(raw, "prior_approval", p + "prior_approval", None),
        treatment_end=r.date(raw, "treatment_end", p + "treatment_end", required=False),
        inpatient=r.boolean(raw, "inpatient", p + "inpatient"),
    )


def scenario_parse(data: dict[str, Any], snapshot: Snapshot) -> ClaimFile:
    """Parse the simulator JSON into a ClaimFile or raise ScenarioError(errors).

    Codes unknown to `snapshot` are not parse errors: they reach the engine and
    come back as UNKNOWN_CODE decisions, which is what the simulator must show.
    """
    del snapshot  # see docstring; kept in the signature for callers' stability
    r = _Reader()
    if not isinstance(data, Mapping):
        raise ScenarioError([("", "invalid_type")])
    provider = r.obj(data, "provider", "provider")
    beneficiary = r.obj(data, "beneficiary", "beneficiary")
    raw_lines = data.get("lines")
    lines: list[ClaimLine] = []
    if not isinstance(raw_lines, list) or not raw_lines:
        r.err("lines", "required")
    else:
        for i, raw in enumerate(raw_lines):
            line = _line(r, i, raw)
            if line is not None:
                lines.append(line)
    file = ClaimFile(
        ref=r.text(data, "ref", "ref", "SIM") or "SIM",
        beneficiary=_beneficiary(r, beneficiary),
        filed_on=r.date(data, "filed_on", "filed_on") or date.min,
        filed_by=r.choice(data, "filed_by", "filed_by", FILED_BY),
        provider=Provider(
            sector=r.choice(provider, "sector", "provider.sector", SECTORS),
            kind=r.choice(provider, "kind", "provider.kind", PROVIDER_KINDS),
            inpe=r.text(provider, "inpe", "provider.inpe", None) or None,
        ),
        lines=tuple(lines),
    )
    if r.errors:
        raise ScenarioError(r.errors)
    return file


def _line_json(d: LineDecision, lang: str) -> dict[str, Any]:
    return {
        "ref": d.ref,
        "status": d.status,
        "paid": format_centimes(d.paid),
        "basis": format_centimes(d.basis),
        "amo": format_centimes(d.amo),
        "complementary": format_centimes(d.complementary),
        "remainder": format_centimes(d.remainder),
        "reasons": [{"code": c, "label": reason_label(c, lang)} for c in d.reasons],
        "trace": list(d.trace),
    }


def decision_to_json(file_decision: FileDecision, lang: str = "fr") -> dict[str, Any]:
    """JSON-ready dict: amounts as text with two decimals, reasons labelled in `lang`."""
    fd = file_decision
    return {
        "ref": fd.ref,
        "status": fd.status,
        "lines": [_line_json(d, lang) for d in fd.lines],
        "totals": {
            "paid": format_centimes(fd.paid),
            "basis": format_centimes(fd.basis),
            "amo": format_centimes(fd.amo),
            "complementary": format_centimes(fd.complementary),
            "remainder": format_centimes(fd.remainder),
        },
    }
