"""Test referentials (the published reference values) and small builders."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from engine import (
    BeneficiaryFacts,
    ClaimFile,
    ClaimLine,
    Provider,
    Snapshot,
    snapshot_build,
)

CARE = date(2026, 3, 1)


def reference_data() -> dict[str, Any]:
    since = "2020-01-01"
    return {
        "key_letters": [
            {"letter": "C", "value": "80.00", "category": "consultation", "valid_from": since},
            {"letter": "Cs", "value": "150.00", "category": "consultation", "valid_from": since},
            {"letter": "CNPSY", "value": "190.00", "category": "consultation", "valid_from": since},
            {"letter": "V", "value": "120.00", "category": "visit", "valid_from": since},
            {"letter": "Vs", "value": "190.00", "category": "visit", "valid_from": since},
            {"letter": "Z", "value": "10.00", "category": "imaging", "valid_from": since},
            {"letter": "K", "value": "22.50", "category": "surgery", "valid_from": since},
        ],
        "acts": [
            {"code": "KINE", "category": "physiotherapy", "tariff": "50.00", "valid_from": since},
            {"code": "ORTHOPHONIE", "category": "speech_therapy", "tariff": "50.00", "valid_from": since},
            {
                "code": "IRM",
                "category": "imaging",
                "key_letter": "Z",
                "coefficient": 250,
                "needs_prior_approval": True,
                "valid_from": since,
            },
            {
                "code": "APPENDICECTOMIE",
                "category": "surgery",
                "key_letter": "K",
                "coefficient": 50,
                "valid_from": since,
            },
            {"code": "VERRES", "category": "optics", "tariff": "400.00", "valid_from": since},
            {"code": "NFS", "category": "lab", "tariff": "60.00", "valid_from": since},
            {"code": "COURONNE", "category": "prosthesis", "tariff": "1000.00", "valid_from": since},
            {
                "code": "DETARTRAGE",
                "category": "dental",
                "tariff": "100.00",
                "frequency_max": 1,
                "frequency_days": 180,
                "valid_from": since,
            },
            {"code": "JOUR-CLINIQUE", "category": "stay", "tariff": "500.00", "valid_from": since},
        ],
        "medicines": [
            {"code": "GENERIQUE", "name": "Paracetamol 500 mg (generic)", "public_price": "50.00"},
            {
                "code": "MARQUE",
                "name": "Paracetamol 500 mg (brand)",
                "public_price": "20.00",
                "reference_price": "12.00",
            },
            {"code": "COSMETIQUE", "name": "Cream", "public_price": "90.00", "reimbursable": False},
            {"code": "BIOTHERAPIE", "name": "Biotherapy", "public_price": "3000.00", "needs_prior_approval": True},
        ],
        "ald": ["ALD12", "ALD07"],
        "amo_rates": [
            {"category": "*", "setting": "ambulatory", "rate_bp": 8000, "valid_from": since},
            {"category": "*", "setting": "hospital_private", "rate_bp": 9000, "valid_from": since},
            {"category": "*", "setting": "hospital_public", "rate_bp": 10000, "valid_from": since},
            {"category": "medicine", "setting": "*", "rate_bp": 7000, "valid_from": since},
            {"category": "ald", "setting": "*", "rate_bp": 10000, "valid_from": since},
        ],
        "complementary": [
            {"category": "medicine", "rate_bp": 2000, "valid_from": since},
            {"category": "optics", "rate_bp": 2000, "ceiling": "1500.00", "valid_from": since},
            {"category": "lab", "rate_bp": 2000, "valid_from": since},
            {"category": "prosthesis", "rate_bp": 2000, "ceiling": "3000.00", "valid_from": since},
            {"category": "surgery", "rate_bp": 2000, "valid_from": since},
            {"category": "consultation", "flat": "10.00", "valid_from": since},
        ],
        "parameters": [
            {
                "member_filing_days": 60,
                "provider_filing_days": 90,
                "waiting_months": 3,
                "child_age_limit": 21,
                "student_age_limit": 26,
                "valid_from": since,
            },
        ],
    }


def reference_snapshot() -> Snapshot:
    return snapshot_build(reference_data())


SNAPSHOT = reference_snapshot()


def facts(**kw: Any) -> BeneficiaryFacts:
    base = BeneficiaryFacts(
        beneficiary_id="B1",
        relation="self",
        birth_date=date(1980, 5, 1),
        member_joined=date(2015, 1, 1),
    )
    return replace(base, **kw)


def line(**kw: Any) -> ClaimLine:
    base = ClaimLine(ref="L1", kind="act", date=CARE, paid=20000, code="C")
    return replace(base, **kw)


def claim(*lines: ClaimLine, **kw: Any) -> ClaimFile:
    provider = kw.pop("provider", Provider(sector="private", kind="doctor", inpe="123456789"))
    base = ClaimFile(
        ref=kw.pop("ref", "F1"),
        beneficiary=kw.pop("beneficiary", facts()),
        filed_on=kw.pop("filed_on", date(2026, 3, 10)),
        filed_by=kw.pop("filed_by", "member"),
        provider=provider,
        lines=lines or (line(),),
    )
    return replace(base, **kw)


def amounts(d: Any) -> tuple[int, int, int, int]:
    return (d.basis, d.amo, d.complementary, d.remainder)
