"""Pure builder of a Snapshot from plain dicts/lists (DB rows or test values)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import fields
from datetime import date
from itertools import pairwise
from typing import Any

from .money import AmountError, to_centimes, to_hundredths
from .snapshot import (
    ANY,
    SETTINGS,
    ActRef,
    Dated,
    KeyLetterRef,
    MedicineRef,
    PlanRef,
    RateRef,
    Snapshot,
    SnapshotError,
)
from .types import Params

__all__ = ["snapshot_build"]


def _date(v: object, where: str, *, optional: bool = False) -> date | None:
    if v is None:
        if optional:
            return None
        raise SnapshotError(f"{where}: date required")
    if isinstance(v, date):
        return v
    if isinstance(v, str):
        try:
            return date.fromisoformat(v)
        except ValueError:
            pass
    raise SnapshotError(f"{where}: bad date {v!r}")


def _money(v: object, where: str, *, optional: bool = False) -> int | None:
    if v is None and optional:
        return None
    try:
        return to_centimes(v)
    except AmountError as e:
        raise SnapshotError(f"{where}: bad amount {v!r} ({e})") from None


def _bp(v: object, where: str) -> int:
    # Above 100 % a rate would pay more than the basis, hence more than paid.
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 10000:
        raise SnapshotError(f"{where}: rate must be an int of basis points 0..10000")
    return v


def _bounds(row: Mapping[str, Any], where: str) -> tuple[date, date | None]:
    vf = _date(row.get("valid_from", date.min), where + ".valid_from")
    vt = _date(row.get("valid_to"), where + ".valid_to", optional=True)
    assert vf is not None
    if vt is not None and vt < vf:
        raise SnapshotError(f"{where}: valid_to before valid_from")
    return vf, vt


def _group(items: Iterable[tuple[Any, Any]], what: str) -> dict[Any, tuple[Any, ...]]:
    grouped: dict[Any, list[Any]] = {}
    for key, row in items:
        grouped.setdefault(key, []).append(row)
    out: dict[Any, tuple[Any, ...]] = {}
    for key, rows in grouped.items():
        rows.sort(key=lambda r: r.valid_from)
        for prev, nxt in pairwise(rows):
            if prev.valid_to is None or prev.valid_to >= nxt.valid_from:
                raise SnapshotError(f"{what} {key!r}: overlapping validity periods")
        out[key] = tuple(reversed(rows))
    return out


def _key_letters(rows: Iterable[Mapping[str, Any]]) -> Iterable[tuple[Any, KeyLetterRef]]:
    for i, r in enumerate(rows):
        w = f"key_letters[{i}]"
        vf, vt = _bounds(r, w)
        value = _money(r["value"], w + ".value")
        assert value is not None
        sectors = [r["sector"]] if r.get("sector") else ["public", "private"]
        for sector in sectors:
            yield (r["letter"], sector), KeyLetterRef(vf, vt, value, r.get("category", "act"))


def _acts(rows: Iterable[Mapping[str, Any]]) -> Iterable[tuple[str, ActRef]]:
    for i, r in enumerate(rows):
        w = f"acts[{i}]"
        vf, vt = _bounds(r, w)
        tariff = _money(r.get("tariff"), w + ".tariff", optional=True)
        letter = r.get("key_letter")
        if (tariff is None) == (letter is None):
            raise SnapshotError(f"{w}: give exactly one of key_letter and tariff")
        fmax, fdays = r.get("frequency_max"), r.get("frequency_days")
        if (fmax is None) != (fdays is None):
            raise SnapshotError(f"{w}: frequency_max and frequency_days go together")
        yield (
            r["code"],
            ActRef(
                vf,
                vt,
                r["category"],
                letter,
                to_hundredths(r.get("coefficient", 1)),
                tariff,
                bool(r.get("needs_prior_approval", False)),
                fmax,
                fdays,
            ),
        )


def _medicines(rows: Iterable[Mapping[str, Any]]) -> Iterable[tuple[str, MedicineRef]]:
    for i, r in enumerate(rows):
        w = f"medicines[{i}]"
        vf, vt = _bounds(r, w)
        public = _money(r["public_price"], w + ".public_price")
        assert public is not None
        yield (
            r["code"],
            MedicineRef(
                vf,
                vt,
                r.get("name", ""),
                public,
                _money(r.get("reference_price"), w + ".reference_price", optional=True),
                bool(r.get("reimbursable", True)),
                bool(r.get("needs_prior_approval", False)),
            ),
        )


def _plan(rows: Iterable[Mapping[str, Any]]) -> Iterable[tuple[str, PlanRef]]:
    for i, r in enumerate(rows):
        w = f"complementary[{i}]"
        vf, vt = _bounds(r, w)
        rate, flat = r.get("rate_bp"), _money(r.get("flat"), w + ".flat", optional=True)
        if rate is not None:
            rate = _bp(rate, w + ".rate_bp")
        if (rate is None) == (flat is None):
            raise SnapshotError(f"{w}: give exactly one of rate_bp and flat")
        ceiling = _money(r.get("ceiling"), w + ".ceiling", optional=True)
        cat = r["category"]
        yield cat, PlanRef(vf, vt, rate, flat, ceiling, r.get("ceiling_key") or cat)


def _params(rows: Iterable[Mapping[str, Any]]) -> Iterable[tuple[str, Dated]]:
    names = {f.name for f in fields(Params)}
    for i, r in enumerate(rows):
        vf, vt = _bounds(r, f"parameters[{i}]")
        yield "", Dated(vf, vt, Params(**{k: v for k, v in r.items() if k in names}))


def snapshot_build(data: Mapping[str, Any]) -> Snapshot:
    """Build a Snapshot from plain data.

    Keys (all optional lists of dicts; dates as `date` or ISO text, money as
    Decimal/str/int dirhams, rates as int basis points; valid_from defaults to
    the beginning of time, valid_to to open-ended):
      key_letters: letter, sector (omitted = both), value, category
      acts: code, category, key_letter + coefficient | tariff,
            needs_prior_approval, frequency_max, frequency_days
      medicines: code, name, public_price, reference_price, reimbursable,
                 needs_prior_approval
      ald: code (or bare code strings)
      amo_rates: category ("*", "ald", "medicine", ...), setting
                 ("*", "ambulatory", "hospital_private", "hospital_public"), rate_bp
      complementary: category, rate_bp | flat (per unit), ceiling, ceiling_key
      parameters: fields of Params
    """
    for i, r in enumerate(data.get("amo_rates", ())):
        if r.get("setting", ANY) not in (*SETTINGS, ANY):
            raise SnapshotError(f"amo_rates[{i}]: unknown setting {r.get('setting')!r}")
        _bp(r.get("rate_bp"), f"amo_rates[{i}].rate_bp")
    ald_rows = [{"code": r} if isinstance(r, str) else r for r in data.get("ald", ())]
    return Snapshot(
        key_letters=_group(_key_letters(data.get("key_letters", ())), "key letter"),
        acts=_group(_acts(data.get("acts", ())), "act"),
        medicines=_group(_medicines(data.get("medicines", ())), "medicine"),
        ald=_group(
            ((r["code"], Dated(*_bounds(r, f"ald[{i}]"), True)) for i, r in enumerate(ald_rows)),
            "ALD",
        ),
        amo_rates=_group(
            (
                (
                    (r.get("category", ANY), r.get("setting", ANY)),
                    RateRef(*_bounds(r, f"amo_rates[{i}]"), int(r["rate_bp"])),
                )
                for i, r in enumerate(data.get("amo_rates", ()))
            ),
            "AMO rate",
        ),
        plan=_group(_plan(data.get("complementary", ())), "complementary plan"),
        params=_group(_params(data.get("parameters", ())), "parameters").get("", ()),
    )
