"""Rows for the payments tests, written straight to the tables (the registry is not under test here)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from accounts.models import Provider
from claims.models import Channel, ClaimFile, ClaimStatus
from members.models import Administration, Beneficiary, Member
from members.rib import rib_key
from payments.models import ProviderAccount

_seq = itertools.count(1)


def rib_make(n: int, bank: str = "011") -> str:
    first22 = f"{bank}780{n:016d}"
    return first22 + rib_key(first22)


def member_make(*, rib: str | None = None, user: Any = None, first_name: str = "Fatima") -> Member:
    n = next(_seq)
    admin, _ = Administration.objects.get_or_create(code="MEF", defaults={"name_fr": "Finances", "name_ar": "المالية"})
    member = Member.objects.create(
        membership_number=f"{700000 + n}",
        matricule=f"{800000 + n}",
        cin=f"PA{100000 + n}",
        administration=admin,
        joined_on=dt.date(2015, 1, 1),
        marital_status="married",
        status_since=dt.date(2015, 1, 1),
        rib=rib_make(n) if rib is None else rib,
        user=user,
        address="12 rue Atlas",
        city="Rabat",
    )
    Beneficiary.objects.create(
        member=member,
        relation="self",
        rank=0,
        card_number=f"{700000 + n}-00",
        last_name="Bennani",
        first_name=first_name,
        last_name_ar="بناني",
        first_name_ar="فاطمة",
        birth_date=dt.date(1980, 1, 1),
        sex="F",
    )
    return member


def provider_make(*, rib: str | None = "") -> Provider:
    n = next(_seq)
    provider = Provider.objects.create(
        inpe=f"{300000000 + n}", name=f"Clinique Atlas {n}", kind="clinic", sector="private"
    )
    if rib is not None:
        ProviderAccount.objects.create(provider=provider, rib=rib or rib_make(n, bank="022"))
    return provider


def claim_make(
    member: Member,
    *,
    amo: str,
    complementary: str,
    status: str = ClaimStatus.APPROVED,
    provider: Provider | None = None,
) -> ClaimFile:
    n = next(_seq)
    amo_d, comp_d = Decimal(amo), Decimal(complementary)
    remainder = Decimal("10.00")
    return ClaimFile.objects.create(
        number=f"RC{n:08d}",
        member=member,
        beneficiary=member.beneficiaries.get(rank=0),
        filed_on=dt.date(2025, 3, 1),
        channel=Channel.PROVIDER if provider else Channel.COUNTER,
        provider=provider,
        status=status,
        paid=amo_d + comp_d + remainder,
        basis=amo_d + comp_d,
        amo=amo_d,
        complementary=comp_d,
        remainder=remainder,
    )
