"""Test data for grievances: a member with a decided claim file, filed and adjudicated by the claims
services against the seeded referentials (CONS-G: C 80.00; COURONNE: 1,000.00 flat, prior approval)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from claims.models import ClaimFile, ClaimStatus
from claims.services.adjudication import claim_adjudicate
from claims.services.intake import LineInput, claim_create
from claims.services.workflow import claim_transition
from claims.tests.factories import holder, member_make
from grievances.models import GrievanceCategory
from members.models import Member
from payments.tests.factories import rib_make

CARE = dt.date(2026, 10, 1)
FILED = dt.date(2026, 10, 10)
# A Wednesday: due dates below are worked from it (5 working days: Wednesday 2026-12-09).
NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


def category(code: str) -> GrievanceCategory:
    return GrievanceCategory.objects.get(code=code)


def member_with_rib(*, user: Any = None) -> Member:
    member = member_make(user=user)
    member.rib = rib_make(member.pk)
    member.save(update_fields=["rib"])
    return member


def decided_file(*, officer: Any, member: Member, approve: bool = True) -> ClaimFile:
    """A consultation (accepted: 64.00 + 10.00) and a crown without prior approval (rejected)."""
    lines = [
        LineInput(kind="act", code="CONS-G", care_date=CARE, paid=Decimal("100.00")),
        LineInput(kind="act", code="COURONNE", care_date=CARE, paid=Decimal("1200.00")),
    ]
    claim = claim_create(actor=officer, beneficiary=holder(member), filed_on=FILED, channel="counter", lines=lines)
    claim = claim_adjudicate(actor=officer, claim=claim)
    if approve:
        claim = claim_transition(actor=officer, claim=claim, to=ClaimStatus.APPROVED)
    return claim
