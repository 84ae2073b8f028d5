"""Moroccan bank account numbers: the 24-digit RIB (bank 3, city 3, account 16, key 2) and its IBAN."""

from __future__ import annotations

RIB_LENGTH = 24


def rib_key(first22: str) -> str:
    """The two-digit key that makes the whole RIB divisible by 97 (ISO 7064 MOD 97-10)."""
    return f"{97 - (int(first22) * 100) % 97:02d}"


def rib_is_valid(rib: str) -> bool:
    return len(rib) == RIB_LENGTH and rib.isascii() and rib.isdigit() and rib_key(rib[:22]) == rib[22:]


def iban_from_rib(rib: str) -> str:
    # IBAN check digits: move "MA00" to the end, letters to numbers (M=22, A=10), 98 - mod 97.
    check = 98 - int(f"{rib}221000") % 97
    return f"MA{check:02d}{rib}"
