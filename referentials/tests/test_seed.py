from __future__ import annotations

from decimal import Decimal

import pytest

from referentials.models import (
    Act,
    AldCondition,
    AmoRate,
    ComplementaryRule,
    KeyLetter,
    Medicine,
    Parameter,
)

pytestmark = pytest.mark.django_db


def test_it_seeds_the_public_key_letters_for_both_sectors() -> None:
    values = {(k.letter, k.sector): k.value for k in KeyLetter.objects.all()}
    expected = {"C": "80", "Cs": "150", "V": "120", "Vs": "190", "CNPSY": "190", "Z": "10", "K": "22.50"}
    for letter, value in expected.items():
        for sector in ("public", "private"):
            assert values[(letter, sector)] == Decimal(value)


def test_it_seeds_the_lists_of_acts_medicines_and_ald() -> None:
    assert AldCondition.objects.count() == 41
    assert Act.objects.count() >= 40
    assert Medicine.objects.count() >= 60
    assert Medicine.objects.filter(reimbursable=False).exists()
    assert Medicine.objects.filter(needs_prior_approval=True).exists()
    assert Act.objects.get(code="SEANCE-KINE").tariff == Decimal("50.00")
    assert Act.objects.get(code="SEANCE-ORTHO").tariff == Decimal("50.00")
    branded = Medicine.objects.get(name="Augmentin 1 g")
    generic = Medicine.objects.get(name="Amoxiclav Cooper 1 g")
    assert branded.reference_price == generic.public_price == Decimal("82.50")


def test_it_seeds_rates_plan_parameters_allowances_and_contributions() -> None:
    rates = {(r.category, r.setting): r.rate_bp for r in AmoRate.objects.all()}
    assert rates == {
        ("*", "ambulatory"): 8000,
        ("*", "hospital_private"): 9000,
        ("*", "hospital_public"): 10000,
        ("medicine", "*"): 7000,
        ("ald", "*"): 10000,
    }
    optics = ComplementaryRule.objects.get(category="optics")
    assert (optics.rate_bp, optics.yearly_ceiling) == (2000, Decimal("1500.00"))
    assert ComplementaryRule.objects.get(category="consultation").flat_amount == Decimal("10.00")
    assert {p.name: p.value for p in Parameter.objects.all()} == {
        "member_filing_days": 60,
        "provider_filing_days": 90,
        "waiting_period_months": 3,
        "child_age_limit": 21,
        "student_age_limit": 26,
        "arrears_notice_months": 3,
        "suspension_grace_days": 30,
    }
