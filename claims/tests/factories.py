"""Test data for the claims app: members, beneficiaries, files and a hand-made referential snapshot."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

import engine as e
from claims.models import Channel, ClaimFile, ClaimLine
from members.models import Administration, Beneficiary, Member, MemberStatusChange

_seq = itertools.count(1)

# Values of DESIGN.md; figures in the tests are worked by hand from these.
SNAPSHOT_DATA: dict[str, Any] = {
    "key_letters": [
        {"letter": "C", "value": "80.00", "category": "consultation"},
        {"letter": "CS", "value": "150.00", "category": "consultation"},
        {"letter": "K", "value": "22.50", "category": "surgery"},
    ],
    "acts": [
        {"code": "SURG1", "category": "surgery", "key_letter": "K", "coefficient": "50"},
        {"code": "KINE", "category": "physiotherapy", "tariff": "50.00", "frequency_max": 2, "frequency_days": 30},
        {"code": "IRM", "category": "imaging", "tariff": "2000.00", "needs_prior_approval": True},
    ],
    "medicines": [
        {"code": "MED1", "name": "Amoxicilline", "public_price": "100.00", "reference_price": "60.00"},
        {"code": "COSTLY", "name": "Biothérapie", "public_price": "2000.00"},
    ],
    "amo_rates": [
        {"category": "*", "setting": "ambulatory", "rate_bp": 8000},
        {"category": "*", "setting": "hospital_private", "rate_bp": 9000},
        {"category": "*", "setting": "hospital_public", "rate_bp": 10000},
        {"category": "medicine", "setting": "*", "rate_bp": 7000},
        {"category": "ald", "setting": "*", "rate_bp": 10000},
    ],
    "complementary": [
        {"category": "medicine", "rate_bp": 2000},
        {"category": "consultation", "flat": "10.00"},
        {"category": "surgery", "rate_bp": 2000},
    ],
}


def snapshot() -> e.Snapshot:
    return e.snapshot_build(SNAPSHOT_DATA)


def member_make(*, joined_on: date = date(2020, 1, 1), user: Any = None, email: str = "m@example.ma",
                phone: str = "0600000000") -> Member:  # fmt: skip
    n = next(_seq)
    admin, _ = Administration.objects.get_or_create(code="MEF", defaults={"name_fr": "Finances", "name_ar": "المالية"})
    member = Member.objects.create(
        membership_number=f"{100000 + n}", matricule=f"{500000 + n}", cin=f"AB{100000 + n}",
        administration=admin, joined_on=joined_on, marital_status="married", status="active",
        status_since=joined_on, user=user, email=email, phone=phone,
    )  # fmt: skip
    MemberStatusChange.objects.create(member=member, status="active", valid_from=joined_on)
    Beneficiary.objects.create(
        member=member, relation="self", rank=0, card_number=f"{100000 + n}-00", last_name="Alaoui",
        first_name=f"Karim{n}", last_name_ar="العلوي", first_name_ar="كريم", birth_date=date(1980, 5, 1), sex="M",
    )  # fmt: skip
    return member


def holder(member: Member) -> Beneficiary:
    return member.beneficiaries.get(rank=0)


def file_make(
    *, member: Member, lines: list[dict[str, Any]], filed_on: date = date(2025, 3, 20), number: str | None = None,
    channel: str = Channel.COUNTER, status: str = "received", reimbursed: tuple[str, str] | None = None,
) -> ClaimFile:  # fmt: skip
    """A file with its lines, in `status` without the engine; `reimbursed` = (AMO, complementary) of
    the file, e.g. CONSULTATION_DECIDED for a file past adjudication (an approval needs an amount)."""
    ben = holder(member)
    claim = ClaimFile.objects.create(
        number=number or f"T{next(_seq):09d}", member=member, beneficiary=ben, filed_on=filed_on, channel=channel,
        provider_sector="private", provider_kind="doctor", provider_inpe="123456789", status=status,
    )  # fmt: skip
    total = Decimal("0.00")
    for i, spec in enumerate(lines):
        spec = {"care_date": date(2025, 3, 10), **spec}
        paid = Decimal(spec.pop("paid"))
        ClaimLine.objects.create(member_id=member.pk, file=claim, position=i, paid=paid, remainder=paid, **spec)
        total += paid
    amo, compl = (Decimal(reimbursed[0]), Decimal(reimbursed[1])) if reimbursed else (Decimal(0), Decimal(0))
    ClaimFile.objects.filter(pk=claim.pk).update(
        paid=total, amo=amo, complementary=compl, remainder=total - amo - compl
    )
    claim.refresh_from_db()
    return claim


CONSULTATION = {"kind": "act", "code": "C", "paid": "100.00"}
# What the engine gives CONSULTATION (see test_adjudication): AMO 80 % of 80.00, +10.00 flat.
CONSULTATION_DECIDED = ("64.00", "10.00")
MEDICINE = {"kind": "medicine", "code": "MED1", "quantity": 2, "paid": "200.00"}
