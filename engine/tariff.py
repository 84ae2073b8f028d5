"""Basis of a claim line: the tariff the referentials give it, and its trace.

`resolve` turns a line into (tariff amount, category, prior approval needed,
frequency-limited act, reason, trace entry); the cap by the amount paid and
everything after it is adjudicate.py's business.
"""

from __future__ import annotations

from .reasons import INVALID_AMOUNT, NOT_REIMBURSABLE, UNKNOWN_CODE
from .snapshot import ActRef, DayView, Snapshot, row_on
from .trace import Trace
from .types import ClaimLine

__all__ = ["MEDICINE_CATEGORY", "STAY_CATEGORY", "Resolved", "resolve"]

STAY_CATEGORY = "stay"
MEDICINE_CATEGORY = "medicine"


# The same rule traces recur on most lines; build each entry once. Bounded so
# that a long-running worker cannot grow it without limit.
_TRACES: dict[tuple[object, ...], Trace] = {}
_TRACES_MAX = 500_000


def _trace(key: tuple[object, ...], trace_code: str, /, **params: str | int) -> Trace:
    """Build and remember a trace entry; callers try _TRACES.get(key) first so
    that the entry is only built on a miss."""
    entry = Trace(trace_code, **params)
    if len(_TRACES) < _TRACES_MAX:
        _TRACES[key] = entry
    return entry


# (amount before the cap by paid, or None when the basis is what was paid;
#  category; needs prior approval; act under a frequency limit; reason or None;
#  trace entry)
Resolved = tuple[int | None, str | None, bool, ActRef | None, str | None, Trace]


def _act_tariff(act: ActRef, code: str, sector: str, qty: int, day: DayView) -> Resolved:
    freq = act.frequency_max is not None and act.frequency_days is not None
    if act.tariff is not None:
        key: tuple[object, ...] = ("t", code, act.tariff, qty)
        text = _TRACES.get(key) or _trace(key, "tariff.act", code=code, amount=act.tariff, qty=qty)
        return (act.tariff * qty, act.category, act.needs_prior_approval, act if freq else None, None, text)
    letter = act.key_letter or ""
    kl = day.letters.get((letter, sector))
    if kl is None:
        return (
            None,
            act.category,
            act.needs_prior_approval,
            None,
            UNKNOWN_CODE,
            Trace("tariff.no_letter_value", letter=letter, sector=sector),
        )
    coef = act.coefficient_x100
    key = ("a", code, letter, sector, kl.value, coef, qty)
    text = _TRACES.get(key) or _trace(
        key, "tariff.act_letter", code=code, letter=letter, coef=coef, sector=sector, value=kl.value, qty=qty
    )
    return (
        (coef * kl.value * qty + 50) // 100,
        act.category,
        act.needs_prior_approval,
        act if freq else None,
        None,
        text,
    )


def _unknown(trace_code: str, /, **params: str | int) -> Resolved:
    return (None, None, False, None, UNKNOWN_CODE, Trace(trace_code, **params))


_STAY_NO_CODE = Trace("stay.no_code")


def resolve(line: ClaimLine, sector: str, snapshot: Snapshot, day: DayView) -> Resolved:
    kind, code, qty = line.kind, line.code, line.quantity
    if kind == "act":
        rows = snapshot.acts.get(code)
        act = row_on(rows, line.date) if rows is not None else None
        if act is not None:
            return _act_tariff(act, code, sector, qty, day)
        kl = day.letters.get((code, sector))
        if kl is None:
            return _unknown("unknown.act", code=code or "-")
        coef = line.coefficient_x100
        key: tuple[object, ...] = ("k", code, sector, kl.value, coef, qty)
        text = _TRACES.get(key) or _trace(
            key, "tariff.letter", letter=code, sector=sector, value=kl.value, coef=coef, qty=qty
        )
        return ((coef * kl.value * qty + 50) // 100, kl.category, False, None, None, text)
    if kind == "medicine":
        reason = None
        approval = False
        if code:
            med = row_on(snapshot.medicines.get(code), line.date)
            if med is None:
                return _unknown("unknown.medicine", code=code)
            if not med.reimbursable:
                reason = NOT_REIMBURSABLE
            approval = med.needs_prior_approval
            ref = med.reference_price
            unit, what = (ref, "generic") if ref is not None else (med.public_price, "public")
        else:
            ref = line.reference_unit_price
            price = ref if ref is not None else line.unit_price
            if price is None:
                return _unknown("medicine.no_price")
            unit, what = price, ("generic" if ref is not None else "public")
            if unit <= 0:
                reason = INVALID_AMOUNT
        mkey: tuple[object, ...] = ("m", code, what, unit, qty)
        text = _TRACES.get(mkey) or _trace(mkey, f"medicine.{what}", code=code or "-", unit=unit, qty=qty)
        return (unit * qty, MEDICINE_CATEGORY, approval, None, reason, text)
    if kind == "stay":
        if not code:
            return (None, STAY_CATEGORY, False, None, None, _STAY_NO_CODE)
        act = row_on(snapshot.acts.get(code), line.date)
        if act is None:
            return _unknown("unknown.stay", code=code)
        return _act_tariff(act, code, sector, qty, day)
    return _unknown("unknown.kind", kind=kind)
