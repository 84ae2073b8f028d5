"""One spelling for the codes the engine reads: what people type is brought to the lists' form.

`ALD-12`, `ald 12` and ` Ald12 ` are all ALD12; act codes and key letters are trimmed and upper
case (`cons-g` → CONS-G); a medicine code typed with spaces, dots or dashes between its digits
(`6 118000 000004`) is its digits. The engine compares codes exactly, so a code kept as typed
would not match its row and the line would be paid without its rule (an ALD line at 70 %).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine import Snapshot

_ALD = re.compile(r"^(ALD|ALC)[\s._-]*0*(\d{1,2})$")
_SEPARATORS = re.compile(r"[\s._-]+")
_DIGITS_WITH_SEPARATORS = re.compile(r"^\d[\d\s.-]*\d$")


def ald_code_normalise(code: str) -> str:
    """The list's form ALDnn (two digits) of a typed long-term illness code; other text upper-cased
    and trimmed (it is then refused as unknown, never silently dropped)."""
    text = (code or "").strip().upper()
    found = _ALD.match(text)
    if found is None:
        return _SEPARATORS.sub("", text)
    return f"{found.group(1)}{int(found.group(2)):02d}"


def act_code_normalise(code: str, letters: Iterable[str] = ()) -> str:
    """Act codes are upper case in the referentials, inner blanks dropped; a key letter is spelt as
    in `letters` (the list writes Cs, Vs: `cs` and `CS` are Cs)."""
    text = re.sub(r"\s+", "", (code or "").strip().upper())
    return next((letter for letter in letters if letter.upper() == text), text)


def medicine_code_normalise(code: str) -> str:
    """A medicine code made of digits loses the separators typed between them; others are trimmed."""
    text = (code or "").strip()
    return re.sub(r"\D", "", text) if _DIGITS_WITH_SEPARATORS.match(text) else text


def _snapshot(snapshot: Snapshot | None) -> Snapshot:
    from referentials.selectors import referential_snapshot

    return snapshot if snapshot is not None else referential_snapshot()


def key_letters(snapshot: Snapshot | None = None) -> list[str]:
    """The key letters of the referentials, as the list spells them (from the engine's snapshot: a
    caller with many lines takes it once and passes it)."""
    return sorted({letter for letter, _sector in _snapshot(snapshot).key_letters})


def line_code_normalise(kind: str, code: str, letters: Iterable[str] | None = None) -> str:
    """A line's code in the referentials' form; `letters` (key_letters()) read when not given."""
    if kind == "medicine":
        return medicine_code_normalise(code)
    return act_code_normalise(code, key_letters() if letters is None else letters)


def ald_code_known(code: str, on: dt.date, snapshot: Snapshot | None = None) -> bool:
    """Whether `code` (normalised) is on the list of long-term illnesses in force on `on`, as the
    engine will read it (its snapshot of the dated rows, not one query per line)."""
    return _snapshot(snapshot).ald_listed(code, on)
