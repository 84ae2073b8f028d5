"""The arrears an allowance withholds are paid into the member's contributions ledger by its approval,
in the same transaction: the balance is zero and a suspension for those months is lifted from that day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from allowances.services.decisions import allowance_request_approve, allowance_request_check
from allowances.services.requests import ShareInput, allowance_request_create, allowance_shares_set
from allowances.tests.conftest import arrears_make
from allowances.tests.factories import death_type, documents_complete, family_make, rib_make
from contributions.models import ArrearsNotice, LedgerEntry, Receipt, ReceiptChannel, RightsState
from contributions.selectors import member_balance
from contributions.services_rights import rights_review_run
from jobs.services import job_work
from members.models import Member, RightsSuspension

pytestmark = pytest.mark.django_db
JAN, FEB, MAR = (dt.date(2026, m, 1) for m in (1, 2, 3))


def _checked(agents: dict[str, Any], member: Any) -> Any:
    request = allowance_request_create(actor=agents["reception"], member=member, type=death_type(),
                                       event_date=dt.date(2026, 6, 15), claimant_name="Khadija Alaoui")  # fmt: skip
    payees = [ShareInput(s.relation, s.name, s.name_ar, rib_make(700 + i), s.parts, s.beneficiary_id, s.birth_date)
              for i, s in enumerate(request.shares.order_by("rank"))]  # fmt: skip
    allowance_shares_set(actor=agents["reception"], request=request, payees=payees)
    documents_complete(actor=agents["reception"], request=request)
    return allowance_request_check(actor=agents["checker"], request=request)


def test_it_pays_the_deducted_arrears_into_the_ledger_and_lifts_the_suspension(agents: dict[str, Any]) -> None:
    member = family_make(children=0, status="active")  # reviewed while alive (the dead are not suspended)
    # Three months unpaid at 36.00 (21.00 complementary + 15.00 death fund): noticed on 5 April,
    # suspended from 5 May (30 days' grace).
    arrears_make(member, months=[JAN, FEB, MAR], amount="36.00")
    rights_review_run(actor=None, as_of=dt.date(2026, 4, 5))
    rights_review_run(actor=None, as_of=dt.date(2026, 5, 10))
    suspension = RightsSuspension.objects.get(member=member)
    assert (suspension.starts_on, suspension.ends_on) == (dt.date(2026, 5, 5), None)
    Member.objects.filter(pk=member.pk).update(status="deceased")  # then died on 15 June
    request = _checked(agents, member)
    # 50,000.00 - 3 x 36.00 = 50,000.00 - 108.00 = 49,892.00 to the spouse.
    assert (request.deductions, request.net) == (Decimal("108.00"), Decimal("49892.00"))
    allowance_request_approve(actor=agents["approver"], request=request)
    today = timezone.localdate()
    receipt = Receipt.objects.get(member=member)
    assert (receipt.channel, receipt.reference, receipt.amount, receipt.received_on) == (
        ReceiptChannel.ALLOWANCE, request.number, Decimal("108.00"), today)  # fmt: skip
    paid = LedgerEntry.objects.filter(member=member, kind="paid").order_by("month")
    assert [(e.month, e.complementary, e.death_fund, e.paid_on) for e in paid] == [
        (m, Decimal("21.00"), Decimal("15.00"), today) for m in (JAN, FEB, MAR)]  # fmt: skip
    assert member_balance(member_id=member.pk, as_of=today) == Decimal("0.00")
    # The approval queued the rights review (as any payment does): restored from the payment's day.
    job_work(worker="test", kinds=["contributions.rights_review"])
    suspension.refresh_from_db()
    assert suspension.ends_on == today
    assert ArrearsNotice.objects.get(member=member).state == RightsState.RESTORED


def test_it_pays_the_oldest_months_first_and_a_month_already_paid_since_takes_nothing(agents: dict[str, Any]) -> None:
    member = family_make(children=0)
    arrears_make(member, months=[JAN, FEB, MAR], amount="36.00")
    request = _checked(agents, member)  # 108.00 withheld
    # February paid at the counter between the check and the approval: January and March take 72.00,
    # the 36.00 left is a credit on the last of those months (March), never lost.
    LedgerEntry.objects.create(member=member, month=FEB, kind="paid", source="receipt", complementary=Decimal("21.00"),
                               death_fund=Decimal("15.00"), paid_on=dt.date(2026, 7, 1),
                               receipt=Receipt.objects.create(number="R2026-900001", member=member, channel="counter",
                                                              received_on=dt.date(2026, 7, 1),
                                                              amount=Decimal("36.00")))  # fmt: skip
    allowance_request_approve(actor=agents["approver"], request=request)
    receipt = Receipt.objects.get(channel=ReceiptChannel.ALLOWANCE)
    rows = receipt.entries.order_by("month").values_list("month", "complementary", "death_fund")
    assert list(rows) == [(JAN, Decimal("21.00"), Decimal("15.00")), (MAR, Decimal("57.00"), Decimal("15.00"))]
    assert receipt.amount == Decimal("108.00")
