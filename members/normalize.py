"""Text folding for tolerant search over names in Latin and Arabic script."""

from __future__ import annotations

import re
import unicodedata

# Arabic letter variants that staff type interchangeably: hamza carriers, alef forms,
# ta marbuta and alef maqsura.
_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ي",
        "ى": "ي",
        "ة": "ه",
        "ـ": None,  # tatweel
    }
)
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def search_fold(text: str) -> str:
    """Lower-case, drop accents and Arabic short vowels, unify letter variants, keep words."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch) or "\u0600" <= ch <= "\u06ff")
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_FOLD).casefold()
    return " ".join(_NON_WORD.sub(" ", text).split())


def search_document(*parts: str) -> str:
    """The stored search column: folded words wrapped in spaces so ' word' matches a word prefix."""
    return f" {search_fold(' '.join(p for p in parts if p))} "


def card_number_normalise(value: str) -> str:
    """A card number as typed (" 100001-01 ", "100001 -01") in its stored form: no spaces, upper case."""
    return "".join((value or "").split()).upper()
