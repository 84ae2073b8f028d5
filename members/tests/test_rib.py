from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from members.rib import iban_from_rib, rib_is_valid, rib_key
from members.validators import RIB_INVALID, validate_rib


def _mod97_by_chunks(digits: str) -> int:
    """Long division by 97 nine digits at a time, as done by hand on a calculator."""
    remainder = 0
    for start in range(0, len(digits), 9):
        chunk = digits[start : start + 9]
        remainder = int(f"{remainder}{chunk}") % 97
    return remainder


def _iban_is_valid(iban: str) -> bool:
    """ISO 13616: move the first four characters to the end, letters to 10..35, mod 97 must be 1."""
    moved = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in moved)
    return _mod97_by_chunks(digits) == 1


def test_it_computes_the_key_worked_by_hand() -> None:
    # 0...01 followed by the key: 100 mod 97 = 3, so the key is 97 - 3 = 94 and 194 = 2 x 97.
    assert rib_key("0000000000000000000001") == "94"
    assert rib_is_valid("000000000000000000000194")
    # 97 x 100 is divisible by 97: the key is 97 (never 00).
    assert rib_key("0000000000000000000097") == "97"


def test_it_computes_the_key_of_a_real_looking_rib() -> None:
    first22 = "0117800001234567890123"
    key = 97 - _mod97_by_chunks(first22 + "00")
    assert rib_key(first22) == f"{key:02d}"
    assert _mod97_by_chunks(first22 + f"{key:02d}") == 0


def test_it_derives_the_iban_worked_by_hand() -> None:
    # RIB 0...0194 then "MA00" as 221000: 194221000 mod 97 = 34, check digits 98 - 34 = 64.
    assert iban_from_rib("000000000000000000000194") == "MA64000000000000000000000194"
    assert _iban_is_valid("MA64000000000000000000000194")


@pytest.mark.parametrize("first22", ["0117800001234567890123", "2307801111111111111111", "1901234567890123456789"])
def test_it_derives_ibans_valid_by_the_iso_rule(first22: str) -> None:
    iban = iban_from_rib(first22 + rib_key(first22))
    assert iban.startswith("MA") and len(iban) == 28
    assert _iban_is_valid(iban)


def test_it_rejects_a_wrong_key_a_short_rib_and_letters() -> None:
    first22 = "0117800001234567890123"
    good = first22 + rib_key(first22)
    wrong = first22 + f"{(int(good[22:]) % 97) + 1:02d}"
    for bad in (wrong, good[:23], good[:22] + "AB"):
        assert not rib_is_valid(bad)
        with pytest.raises(ValidationError) as exc:
            validate_rib(bad)
        assert exc.value.messages == [str(RIB_INVALID)]
    validate_rib(good)
    validate_rib("")  # no bank account yet is allowed
