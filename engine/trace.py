"""Trace entries: what rule produced a line's figures, as a code and its parameters.

The engine says *which* rule applied with which values; the words are the reader's
(claims.trace renders an entry in Arabic, French or English). An entry is a dict
``{"code": ..., "params": {...}}`` so that it is stored and sent as JSON as it is;
parameters are text or integers (amounts in centimes, rates in basis points,
coefficients in hundredths), never floats.

Entries recur on most lines (the same tariff, the same AMO rate), so they are built
once and shared: a Trace is immutable and hashable, which lets the engine and the
bulk writer memoise them like the strings they replace.
"""

from __future__ import annotations

from typing import Any, NoReturn

__all__ = ["TRACE_CODES", "TRACE_INTS", "TRACE_PARAMS", "Trace", "trace_packed", "trace_unpacked"]


def _read_only(self: Trace, *args: Any, **kwargs: Any) -> NoReturn:
    raise TypeError("a trace entry is immutable")


class Trace(dict[str, Any]):
    """``Trace("amo.rate", rate=8000, basis="ambulatory")`` == ``{"code": "amo.rate", "params": {...}}``."""

    __slots__ = ("_hash",)

    def __init__(self, code: str, /, **params: str | int) -> None:
        dict.__init__(self, code=code, params=params)
        self._hash = hash((code, *params.items()))

    def __hash__(self) -> int:  # type: ignore[override]
        return self._hash

    def __reduce__(self) -> tuple[Any, ...]:
        # copy and pickle rebuild the entry through __init__ (the dict protocol would set items).
        return (_trace_new, (self["code"], self["params"]))

    @property
    def code(self) -> str:
        return str(self["code"])

    @property
    def params(self) -> dict[str, str | int]:
        return dict(self["params"])

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _read_only  # type: ignore[assignment]


def _trace_new(code: str, params: dict[str, str | int]) -> Trace:
    return Trace(code, **params)


# The stored form. A line's trace is written with every decision (1.5 million files a year, 3 to 6
# lines each), and its size decides the bulk adjudication's speed: a decided line must fit in the
# free space its page keeps (claims migration 0004's fillfactor) for PostgreSQL to update it in
# place (a HOT update, no index touched). As JSON objects with their keys an entry doubled the
# line; as a list [code, value, ...] it still took 196 bytes of JSONB for a common line's three
# entries (each element has its own header, each number is a `numeric`), against 107 for the
# English texts it replaced, and a third of the lines' updates stopped being HOT (bulk
# adjudication 12-34 % slower). So an entry is stored as one string, its code then its values in
# the order below, separated by "|" ("amo.rate|8000|ambulatory": 114 bytes for the same three),
# and read back as a Trace by trace_unpacked, the parameters named in TRACE_INTS as integers.
# An entry that does not fit that form (a value of another type, a "|" inside a text) is stored as
# the list, and one whose parameters are not exactly its code's as the object; both read back too.
TRACE_PARAMS: dict[str, tuple[str, ...]] = {
    "tariff.act": ("code", "amount", "qty"),
    "tariff.act_letter": ("code", "letter", "coef", "sector", "value", "qty"),  # priced by its key letter
    "tariff.letter": ("letter", "sector", "value", "coef", "qty"),
    "tariff.no_letter_value": ("letter", "sector"),
    "unknown.act": ("code",),
    "unknown.medicine": ("code",),
    "unknown.stay": ("code",),
    "unknown.kind": ("kind",),
    "medicine.generic": ("code", "unit", "qty"),
    "medicine.public": ("code", "unit", "qty"),
    "medicine.no_price": (),
    "stay.no_code": (),
    "amo.rate": ("rate", "basis"),  # basis: ambulatory | hospital_public | hospital_private | medicine | ald
    "amo.ald": ("rate", "ald"),
    "amo.none": ("category", "setting"),
    "ald.not_recognised": ("ald",),
    "ald.not_listed": ("ald",),
    "complementary.rate": ("rate", "category"),
    "complementary.flat": ("amount", "category"),
    "ceiling": ("key", "year", "ceiling", "used"),
    "late_filing": ("day", "limit"),
    "prior_approval": ("ref",),
    "frequency": ("code", "done", "days", "max"),
    "cover.ok": (),
    "cover.before_birth": (),
    "cover.resigned": (),
    "cover.after_death": (),
    "cover.unknown_status": ("status",),
    "cover.suspended": (),
    "cover.suspended_from": ("date",),
    "cover.child_over": ("age",),
    "cover.student_over": ("age",),
    "cover.unknown_relation": ("relation",),
    "cover.waiting": ("date",),
    "cover.not_member": (),
    "cover.ended": ("date",),  # dates in ISO form
}

# The parameters that are integers (centimes, basis points, hundredths, counts, days, years); every
# other parameter is text. One name has one type whatever the code.
TRACE_INTS: frozenset[str] = frozenset(
    {"amount", "qty", "coef", "value", "unit", "rate", "ceiling", "used", "year", "day", "limit", "done", "days",
     "max", "age"}
)  # fmt: skip
SEP = "|"

# Every code the engine (and the members app's cover refusals) writes: claims.trace has one
# template per code, and a test checks that both lists are the same.
TRACE_CODES: frozenset[str] = frozenset(TRACE_PARAMS)


def _fits(name: str, value: Any) -> bool:
    """Can `value` be written in the string form and read back the same?"""
    if name in TRACE_INTS:
        return type(value) is int
    return type(value) is str and SEP not in value


def trace_packed(entry: Any) -> Any:
    """`entry` as it is stored: "code|value|..." for a Trace whose parameters are its code's."""
    if not isinstance(entry, dict):
        return entry
    names = TRACE_PARAMS.get(entry.get("code"))  # type: ignore[arg-type]
    params = entry.get("params") or {}
    if names is None or len(names) != len(params) or any(n not in params for n in names):
        return entry
    values = [params[n] for n in names]
    if all(_fits(n, v) for n, v in zip(names, values, strict=True)):
        return SEP.join([entry["code"], *map(str, values)])
    return [entry["code"], *values]


def trace_unpacked(value: Any) -> Any:
    """A stored entry read back: a Trace from the packed string or list; an object or an old row's
    words as they are (an English text never parses: its first word is not a code)."""
    if isinstance(value, str):
        parts = value.split(SEP)
        names = TRACE_PARAMS.get(parts[0])
        if names is None or len(names) != len(parts) - 1:
            return value
        try:
            params = {n: int(p) if n in TRACE_INTS else p for n, p in zip(names, parts[1:], strict=True)}
        except ValueError:
            return value
        return Trace(parts[0], **params)
    if isinstance(value, list) and value and isinstance(value[0], str):
        names = TRACE_PARAMS.get(value[0])
        if names is not None and len(names) == len(value) - 1:
            return Trace(value[0], **dict(zip(names, value[1:], strict=True)))
    return value
