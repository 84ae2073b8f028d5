from __future__ import annotations

from decimal import Decimal

import pytest

from engine import REASONS, AmountError, apply_bp, format_centimes, reason_label, to_centimes

REQUIRED = {
    "NOT_COVERED",
    "AGE_LIMIT",
    "WAITING_PERIOD",
    "RIGHTS_SUSPENDED",
    "LATE_FILING",
    "DUPLICATE",
    "PRIOR_APPROVAL_REQUIRED",
    "UNKNOWN_CODE",
    "NOT_REIMBURSABLE",
    "CEILING_REACHED",
    "INVALID_AMOUNT",
}


def test_it_labels_every_reason_in_three_languages():
    assert REQUIRED <= set(REASONS)
    for code, r in REASONS.items():
        assert r.code == code
        labels = [reason_label(code, lang) for lang in ("ar", "fr", "en")]
        assert all(labels) and len(set(labels)) == 3
        assert any("\u0600" <= ch <= "\u06ff" for ch in labels[0])


def test_it_accepts_a_region_suffix_and_refuses_unknown_codes_or_languages():
    assert reason_label("DUPLICATE", "fr-MA") == "Doublon d'une ligne déjà acceptée"
    with pytest.raises(ValueError):
        reason_label("NOPE", "fr")
    with pytest.raises(ValueError):
        reason_label("DUPLICATE", "de")


def test_it_converts_amounts_to_centimes_exactly():
    assert to_centimes("200.00") == 20000
    assert to_centimes(Decimal("22.5")) == 2250
    assert to_centimes(80) == 8000
    assert to_centimes(0.1) == 10
    for bad, code in [
        ("12.345", "too_many_decimals"),
        ("abc", "not_a_number"),
        ("-1", "negative"),
        (True, "not_a_number"),
        ("inf", "not_a_number"),
    ]:
        with pytest.raises(AmountError, match=code):
            to_centimes(bad)


def test_it_rounds_rates_half_up():
    assert apply_bp(1235, 7000) == 865
    assert apply_bp(1234, 7000) == 864
    assert apply_bp(5, 5000) == 3
    assert format_centimes(12600) == "126.00"
    assert format_centimes(5) == "0.05"
