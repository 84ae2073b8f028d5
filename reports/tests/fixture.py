"""A small mutual whose dashboard figures are worked by hand (see each test for the arithmetic).

Refresh day 2026-03-31. Files (filed on → what happened):
  F1 2026-01-05: adjudicated, approved, paid 2026-01-25 (20 days), no manual step.
  F2 2026-01-10: marked incomplete, received again, adjudicated, approved, paid 2026-02-24 (45 days).
  F3 2026-01-12: adjudicated, medical review, approved, paid 2026-03-23 (70 days).
  F4 2026-02-02: adjudicated, rejected 2026-02-03 (its line: LATE_FILING), no manual step.
  F5 2026-03-30: received (1 day old on the refresh day).
  F6 2026-01-20: adjudicated, waiting (70 days old).
  F7 2026-03-01: incomplete (30 days old).
F1–F3 each have one consultation line: paid 100.00, AMO 64.00, complementary 10.00.
The test builds the transitions directly with their dates (tests may: claims/tests/test_one_write_path).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from claims.models import ClaimFile, ClaimLine, ClaimTransition
from claims.tests.factories import CONSULTATION, CONSULTATION_DECIDED, file_make, member_make
from contributions.models import LedgerEntry, Receipt
from members.models import Member

TODAY = dt.date(2026, 3, 31)
CARE = dt.date(2026, 1, 4)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 11, 0, tzinfo=dt.UTC)


def _moves(claim: ClaimFile, steps: list[tuple[str, str, dt.date]]) -> None:
    for version, (frm, to, day) in enumerate(steps, start=2):
        row = ClaimTransition.objects.create(
            file=claim, member_id=claim.member_id, from_status=frm, to_status=to, version=version
        )
        ClaimTransition.objects.filter(pk=row.pk).update(at=_at(day))
    ClaimFile.objects.filter(pk=claim.pk).update(status=steps[-1][1], version=len(steps) + 1)


def _file(member: Member, filed: dt.date, status: str, *, decided: bool = True) -> ClaimFile:
    reimbursed = CONSULTATION_DECIDED if decided else None
    claim = file_make(member=member, lines=[{**CONSULTATION, "care_date": CARE}], filed_on=filed, status=status,
                      reimbursed=reimbursed)  # fmt: skip
    if decided:
        ClaimLine.objects.filter(file=claim).update(
            status="accepted", basis=Decimal("80.00"), amo=Decimal("64.00"), complementary=Decimal("10.00"),
            remainder=Decimal("26.00"),
        )  # fmt: skip
    return claim


def _paid(claim: ClaimFile, before: list[tuple[str, str, dt.date]], paid_on: dt.date) -> None:
    _moves(claim, [*before, ("approved", "in_payment", paid_on), ("in_payment", "paid", paid_on)])


def build() -> dict[str, ClaimFile]:
    member = member_make(joined_on=dt.date(2020, 1, 1))
    d = dt.date
    f1 = _file(member, d(2026, 1, 5), "received")
    _paid(f1, [("received", "adjudicated", d(2026, 1, 6)), ("adjudicated", "approved", d(2026, 1, 7))], d(2026, 1, 25))
    f2 = _file(member, d(2026, 1, 10), "received")
    _paid(f2, [("received", "incomplete", d(2026, 1, 11)), ("incomplete", "received", d(2026, 1, 15)),
               ("received", "adjudicated", d(2026, 1, 15)), ("adjudicated", "approved", d(2026, 1, 16))],
          d(2026, 2, 24))  # fmt: skip
    f3 = _file(member, d(2026, 1, 12), "received")
    _paid(f3, [("received", "adjudicated", d(2026, 1, 12)), ("adjudicated", "medical_review", d(2026, 1, 12)),
               ("medical_review", "approved", d(2026, 1, 20))], d(2026, 3, 23))  # fmt: skip
    f4 = _file(member, d(2026, 2, 2), "received", decided=False)
    ClaimLine.objects.filter(file=f4).update(status="rejected", reasons=["LATE_FILING"])
    _moves(f4, [("received", "adjudicated", d(2026, 2, 3)), ("adjudicated", "rejected", d(2026, 2, 3))])
    f5 = _file(member, d(2026, 3, 30), "received", decided=False)
    f6 = _file(member, d(2026, 1, 20), "received", decided=False)
    _moves(f6, [("received", "adjudicated", d(2026, 1, 21))])
    f7 = _file(member, d(2026, 3, 1), "received", decided=False)
    _moves(f7, [("received", "incomplete", d(2026, 3, 2))])
    _contributions(member)
    return {"F1": f1, "F2": f2, "F3": f3, "F4": f4, "F5": f5, "F6": f6, "F7": f7}


def _contributions(member: Member) -> None:
    """Due 50.00 complementary + 30.00 AMO (employee) each month Jan–Mar 2026; 50.00 + 30.00 paid
    for January and February by two receipts: due 240.00, collected 160.00."""
    for month in (1, 2, 3):
        LedgerEntry.objects.create(member=member, month=dt.date(2026, month, 1), kind="due", source="schedule",
                                   complementary=Decimal("50.00"), amo_employee=Decimal("30.00"))  # fmt: skip
    for month in (1, 2):
        receipt = Receipt.objects.create(number=f"R{member.pk}-{month}", member=member, channel="counter",
                                         received_on=dt.date(2026, month, 20), amount=Decimal("80.00"))  # fmt: skip
        LedgerEntry.objects.create(member=member, month=dt.date(2026, month, 1), kind="paid", source="receipt",
                                   receipt=receipt, paid_on=receipt.received_on, complementary=Decimal("50.00"),
                                   amo_employee=Decimal("30.00"))  # fmt: skip
