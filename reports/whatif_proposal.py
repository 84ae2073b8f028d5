"""A what-if proposal: typed changes to the dated referentials, validated, laid over their data in memory.

The format (docs/whatif.md)::

    {"name": "Consultation 15 DH", "effective_from": "2026-01-01",
     "changes": [{"type": "complementary", "category": "consultation", "flat": "15.00"},
                 {"type": "complementary", "category": "medicine", "rate_percent": "25"},
                 {"type": "complementary", "category": "optics", "ceiling": "1500.00"},
                 {"type": "key_letter", "letter": "C", "value": "90.00"},
                 {"type": "act_tariff", "code": "SEANCE-KINE", "tariff": "60.00"},
                 {"type": "amo_rate", "category": "medicine", "setting": "*", "rate_percent": "75"}]}

Each change replaces, from `effective_from` (default: the first day of the period replayed), the
rows of its key: a row running across that day is cut the day before, later rows give way. A
complementary change keeps what it does not name of the row in force that day (a new ceiling keeps
the rate). The overlay works on `referentials.engine_data` (plain data, inclusive ends) and never
touches the database.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from mutuelle.errors import DomainError
from referentials.choices import RateCategory, Sector, Setting

MAX_CHANGES = 50
TYPES = ("complementary", "key_letter", "act_tariff", "amo_rate")
_FIELDS = {
    "complementary": {"type", "category", "flat", "rate_percent", "ceiling", "ceiling_key"},
    "key_letter": {"type", "letter", "sector", "value"},
    "act_tariff": {"type", "code", "tariff", "coefficient"},
    "amo_rate": {"type", "category", "setting", "rate_percent"},
}
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Problem:
    where: str  # "changes[0].flat"
    message: Any  # lazy, translated where shown

    def text(self) -> str:
        return f"{self.where}: {self.message}" if self.where else str(self.message)


class ProposalError(DomainError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(_("The proposal is not valid."))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Change:
    type: str
    key: str  # category, letter or act code
    sector: str = ""  # key_letter: "" = both sectors
    setting: str = "*"  # amo_rate
    flat: Decimal | None = None
    rate_bp: int | None = None
    ceiling: Decimal | None = None
    ceiling_given: bool = False  # "ceiling": null removes it; absent keeps it
    ceiling_key: str | None = None
    value: Decimal | None = None  # key letter value, act tariff
    coefficient: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Proposal:
    name: str
    effective_from: date | None
    changes: tuple[Change, ...]
    raw: dict[str, Any]  # the validated JSON, stored with the run


def _money(v: Any, where: str, problems: list[Problem], *, allow_zero: bool = True) -> Decimal | None:
    if isinstance(v, bool) or not isinstance(v, int | str | float):
        problems.append(Problem(where, _('an amount is a number such as "15.00".')))
        return None
    try:
        d = Decimal(str(v).strip())
    except InvalidOperation:
        problems.append(Problem(where, _('an amount is a number such as "15.00".')))
        return None
    if not d.is_finite() or d < 0 or (d == 0 and not allow_zero) or d > Decimal("1000000"):
        problems.append(Problem(where, _("the amount must be between 0 and 1,000,000 dirhams.")))
        return None
    if d != d.quantize(Decimal("0.01")):
        problems.append(Problem(where, _("at most two decimals (centimes).")))
        return None
    return d.quantize(Decimal("0.01"))


def _percent(v: Any, where: str, problems: list[Problem]) -> int | None:
    d = _money(v, where, problems)
    if d is None:
        return None
    if d > 100:
        problems.append(Problem(where, _("a rate is a percentage between 0 and 100.")))
        return None
    return int(d * 100)


def _text(v: Any, where: str, problems: list[Problem], choices: tuple[str, ...] | None = None) -> str | None:
    if not isinstance(v, str) or not v.strip() or len(v) > 32:
        problems.append(Problem(where, _("a code is required.")))
        return None
    v = v.strip()
    if choices is not None and v not in choices:
        problems.append(Problem(where, _("unknown value; one of: %(choices)s.") % {"choices": ", ".join(choices)}))
        return None
    return v


def _change(i: int, raw: Any, known: KnownCodes, problems: list[Problem]) -> Change | None:
    at = f"changes[{i}]"
    if not isinstance(raw, dict):
        problems.append(Problem(at, _('each change is an object with a "type".')))
        return None
    kind = raw.get("type")
    if kind not in TYPES:
        problems.append(Problem(f"{at}.type", _("unknown type; one of: %(choices)s.") % {"choices": ", ".join(TYPES)}))
        return None
    extra = sorted(set(raw) - _FIELDS[kind])
    if extra:
        problems.append(Problem(at, _("unknown fields: %(fields)s.") % {"fields": ", ".join(extra)}))
    before = len(problems)
    if kind == "complementary":
        category = _text(raw.get("category"), f"{at}.category", problems, tuple(RateCategory.values))
        flat = _money(raw["flat"], f"{at}.flat", problems) if "flat" in raw else None
        rate = _percent(raw["rate_percent"], f"{at}.rate_percent", problems) if "rate_percent" in raw else None
        if "flat" in raw and "rate_percent" in raw:
            problems.append(Problem(at, _("give a flat sum or a rate, not both.")))
        ceiling = None
        if raw.get("ceiling") is not None:
            ceiling = _money(raw["ceiling"], f"{at}.ceiling", problems, allow_zero=False)
        key = raw.get("ceiling_key")
        if key is not None and not (isinstance(key, str) and 0 < len(key) <= 20):
            problems.append(Problem(f"{at}.ceiling_key", _("a code is required.")))
        if not {"flat", "rate_percent", "ceiling", "ceiling_key"} & set(raw):
            problems.append(Problem(at, _("say what changes: flat, rate_percent, ceiling or ceiling_key.")))
        if len(problems) > before or category is None:
            return None
        return Change(kind, category, flat=flat, rate_bp=rate, ceiling=ceiling, ceiling_given="ceiling" in raw,
                      ceiling_key=key)  # fmt: skip
    if kind == "key_letter":
        letter = _text(raw.get("letter"), f"{at}.letter", problems)
        if letter is not None and letter not in known.letters:
            problems.append(Problem(f"{at}.letter", _("no such key letter in the referentials.")))
        sector = raw.get("sector", "")
        if sector != "":
            sector = _text(sector, f"{at}.sector", problems, tuple(Sector.values)) or ""
        value = _money(raw.get("value"), f"{at}.value", problems, allow_zero=False)
        if len(problems) > before or letter is None:
            return None
        return Change(kind, letter, sector=sector, value=value)
    if kind == "act_tariff":
        code = _text(raw.get("code"), f"{at}.code", problems)
        flat_act = known.acts.get(code or "")
        if code is not None and flat_act is None:
            problems.append(Problem(f"{at}.code", _("no such act in the referentials.")))
        tariff = _money(raw["tariff"], f"{at}.tariff", problems, allow_zero=False) if "tariff" in raw else None
        coef = (
            _money(raw["coefficient"], f"{at}.coefficient", problems, allow_zero=False)
            if "coefficient" in raw
            else None
        )
        if ("tariff" in raw) == ("coefficient" in raw):
            problems.append(Problem(at, _("give the act's new tariff or its new coefficient.")))
        elif flat_act is not None and ("tariff" in raw) != flat_act:
            msg = (
                _('this act is priced by a flat tariff: give "tariff".')
                if flat_act
                else _('this act is priced by its key letter: give "coefficient".')
            )
            problems.append(Problem(at, msg))
        if len(problems) > before or code is None:
            return None
        return Change(kind, code, value=tariff, coefficient=coef)
    category = _text(raw.get("category"), f"{at}.category", problems, tuple(RateCategory.values))
    setting = _text(raw.get("setting", "*"), f"{at}.setting", problems, tuple(Setting.values))
    rate = _percent(raw.get("rate_percent"), f"{at}.rate_percent", problems)
    if len(problems) > before or category is None or setting is None:
        return None
    return Change(kind, category, setting=setting, rate_bp=rate)


@dataclass(frozen=True, slots=True)
class KnownCodes:
    letters: frozenset[str]
    acts: dict[str, bool]  # act code -> priced by a flat tariff


def known_codes(data: dict[str, Any]) -> KnownCodes:
    """The letters and acts of the referentials' data (engine_data), for validation."""
    return KnownCodes(
        letters=frozenset(r["letter"] for r in data.get("key_letters", [])),
        acts={r["code"]: r.get("tariff") is not None for r in data.get("acts", [])},
    )


def proposal_parse(raw: Any, *, known: KnownCodes) -> Proposal:
    """The proposal, or ProposalError listing every problem found (nothing is applied)."""
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        raise ProposalError([Problem("", _('The proposal is a JSON object with a list of "changes".'))])
    extra = sorted(set(raw) - {"name", "effective_from", "changes"})
    if extra:
        problems.append(Problem("", _("unknown fields: %(fields)s.") % {"fields": ", ".join(extra)}))
    name = raw.get("name", "")
    if not isinstance(name, str) or len(name) > 120:
        problems.append(Problem("name", _("a name of at most 120 characters.")))
        name = ""
    effective: date | None = None
    if raw.get("effective_from") is not None:
        try:
            effective = date.fromisoformat(str(raw["effective_from"]))
        except ValueError:
            problems.append(Problem("effective_from", _("a date such as 2026-01-01.")))
    changes_raw = raw.get("changes")
    if not isinstance(changes_raw, list) or not changes_raw:
        problems.append(Problem("changes", _("give at least one change.")))
        changes_raw = []
    elif len(changes_raw) > MAX_CHANGES:
        problems.append(Problem("changes", _("at most %(n)s changes.") % {"n": MAX_CHANGES}))
        changes_raw = []
    changes = [c for i, r in enumerate(changes_raw) if (c := _change(i, r, known, problems)) is not None]
    keys = [(c.type, c.key, c.sector, c.setting) for c in changes]
    if len(set(keys)) != len(keys):
        problems.append(Problem("changes", _("the same rule is changed twice.")))
    if problems:
        raise ProposalError(problems)
    return Proposal(name=name, effective_from=effective, changes=tuple(changes), raw=raw)


# ---------------------------------------------------------------- overlay on the engine's data


def _cut(rows: list[dict[str, Any]], same: Any, start: date) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """`rows` with those of the key `same` selects ended before `start`; and the one in force on `start`."""
    kept: list[dict[str, Any]] = []
    current = None
    for r in rows:
        if not same(r):
            kept.append(r)
            continue
        vf, vt = r.get("valid_from") or date.min, r.get("valid_to")
        if vf <= start and (vt is None or start <= vt):
            current = r
        if vf >= start:
            continue  # gives way to the proposal
        kept.append({**r, "valid_to": start - _ONE_DAY} if vt is None or vt >= start else r)
    return kept, current


def _money_text(d: Decimal | None) -> str | None:
    return None if d is None else str(d)


def proposal_overlay(data: dict[str, Any], proposal: Proposal, *, start: date) -> dict[str, Any]:
    """A copy of engine_data `data` with the proposal's rows from `proposal.effective_from or start`."""
    out = copy.deepcopy(data)
    # A letter row without a sector holds for both (engine.build): one row per sector, so that a
    # change of one sector leaves the other's value as it was.
    out["key_letters"] = [
        {**r, "sector": s}
        for r in out.get("key_letters", [])
        for s in ([r["sector"]] if r.get("sector") else Sector.values)
    ]
    for name in ("complementary", "acts", "amo_rates"):
        out.setdefault(name, [])
    day = proposal.effective_from or start
    open_row = {"valid_from": day, "valid_to": None}
    for c in proposal.changes:
        if c.type == "complementary":
            rows, current = _cut(out["complementary"], lambda r, k=c.key: r["category"] == k, day)
            row: dict[str, Any] = {"category": c.key, **(current or {}), **open_row}
            if c.flat is not None:
                row.pop("rate_bp", None)
                row["flat"] = _money_text(c.flat)
            if c.rate_bp is not None:
                row.pop("flat", None)
                row["rate_bp"] = c.rate_bp
            if c.ceiling_given:
                row["ceiling"] = _money_text(c.ceiling)
            if c.ceiling_key is not None:
                row["ceiling_key"] = c.ceiling_key
            if "flat" not in row and "rate_bp" not in row:
                row["flat"] = "0.00"  # a new category given only a ceiling pays nothing more
            out["complementary"] = [*rows, row]
        elif c.type == "key_letter":
            sectors = [c.sector] if c.sector else [s for s in Sector.values]
            for sector in sectors:
                rows, current = _cut(
                    out["key_letters"], lambda r, k=c.key, s=sector: r["letter"] == k and r["sector"] == s, day
                )
                if current is None:
                    out["key_letters"] = rows
                    continue
                out["key_letters"] = [*rows, {**current, **open_row, "sector": sector, "value": _money_text(c.value)}]
        elif c.type == "act_tariff":
            rows, current = _cut(out["acts"], lambda r, k=c.key: r["code"] == k, day)
            if current is not None:
                new = {**current, **open_row}
                if c.value is not None:
                    new["tariff"] = _money_text(c.value)
                if c.coefficient is not None:
                    new["coefficient"] = _money_text(c.coefficient)
                rows = [*rows, new]
            out["acts"] = rows
        else:
            rows, _current = _cut(
                out["amo_rates"], lambda r, k=c.key, s=c.setting: (r["category"], r["setting"]) == (k, s), day
            )
            out["amo_rates"] = [*rows, {"category": c.key, "setting": c.setting, "rate_bp": c.rate_bp, **open_row}]
    return out
