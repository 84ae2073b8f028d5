"""Billing: attended sessions become one claim file of the centre per child and month, once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from care.models import CareBill, Session
from care.services_billing import BillingError, care_bills_month
from care.services_sessions import attendance_record, sessions_generate
from care.tests.test_sessions import MONDAY, published
from care.tests.test_week_builders import coordinator_of
from claims.models import Channel, ClaimFile

pytestmark = pytest.mark.django_db
FILED = dt.date(2026, 1, 6)


def december_recorded(children: int = 2):  # type: ignore[no-untyped-def]
    built, tt = published(children=children)
    user = coordinator_of(built.centre)
    sessions_generate(actor=user, centre=built.centre, first=MONDAY, last=MONDAY + dt.timedelta(days=4))
    for i, s in enumerate(Session.objects.filter(timetable=tt).order_by("pk")):
        if i == 0:
            attendance_record(actor=user, session=s, state="absent", reason="illness", today=FILED)
        else:
            attendance_record(actor=user, session=s, state="present", today=FILED)
    return built, user


def test_it_bills_each_child_once_a_month_as_a_claim_of_the_centre() -> None:
    built, user = december_recorded(children=2)
    result = care_bills_month(actor=user, centre=built.centre, month=dt.date(2025, 12, 1), filed_on=FILED)
    # 2 children × (2 speech + 1 physiotherapy) = 6 sessions, one absent: 5 attended, all billable acts
    assert len(result.billed) == 2 and result.not_billable == 0
    bills = list(CareBill.objects.order_by("pk"))
    assert sum(b.session_count for b in bills) == 5
    for bill in bills:
        claim = ClaimFile.objects.get(pk=bill.claim_id)
        assert claim.provider_id == built.centre.provider_id and claim.channel == Channel.PROVIDER
        assert claim.lines.count() == bill.session_count
        # SEANCE-ORTHO and SEANCE-KINE are 50.00 DH a session (DESIGN.md): 3 sessions = 150.00, 2 = 100.00
        assert bill.amount == Decimal("50.00") * bill.session_count
        assert claim.status != "received"
        assert bill.family_contribution == claim.remainder
        assert bill.amo == claim.amo and bill.amo + bill.complementary + bill.family_contribution == bill.amount
    again = care_bills_month(actor=user, centre=built.centre, month=dt.date(2025, 12, 1), filed_on=FILED)
    assert again.billed == [] and again.already == 2
    assert CareBill.objects.count() == 2 and ClaimFile.objects.filter(provider=built.centre.provider).count() == 2


def test_it_works_out_the_basic_insurance_share_of_a_speech_session() -> None:
    built, user = december_recorded(children=1)
    care_bills_month(actor=user, centre=built.centre, month=dt.date(2025, 12, 1), filed_on=FILED)
    bill = CareBill.objects.get()
    # The child's first session (speech, Monday) was absent: 1 speech + 1 physiotherapy attended = 100.00 DH.
    # AMO pays 80 % of the 50.00 DH tariff in ambulatory care: 40.00 a session, 80.00 for two.
    assert bill.session_count == 2 and bill.amount == Decimal("100.00")
    assert bill.amo == Decimal("80.00")


def test_it_refuses_a_second_bill_for_the_same_child_and_month_in_the_database() -> None:
    built, user = december_recorded(children=1)
    care_bills_month(actor=user, centre=built.centre, month=dt.date(2025, 12, 1), filed_on=FILED)
    bill = CareBill.objects.get()
    other = ClaimFile.objects.exclude(pk=bill.claim_id).first() or bill.claim
    with pytest.raises(IntegrityError), transaction.atomic():
        CareBill.objects.create(centre=bill.centre, enrolment=bill.enrolment, member_id=bill.member_id,
                                month=bill.month, claim=other, session_count=1, amount=Decimal("1.00"))  # fmt: skip


def test_it_refuses_a_month_with_attendance_still_to_record() -> None:
    built, _tt = published(children=1)
    user = coordinator_of(built.centre)
    sessions_generate(actor=user, centre=built.centre, first=MONDAY, last=MONDAY + dt.timedelta(days=4))
    with pytest.raises(BillingError):
        care_bills_month(actor=user, centre=built.centre, month=dt.date(2025, 12, 1), filed_on=FILED)
    with pytest.raises(BillingError):  # December is not over on 31 December
        care_bills_month(actor=user, centre=built.centre, month=dt.date(2025, 12, 1), filed_on=dt.date(2025, 12, 31))
    assert not CareBill.objects.exists()


def test_it_refuses_billing_to_a_therapist() -> None:
    built, _user = december_recorded(children=1)
    with pytest.raises(BillingError):
        care_bills_month(actor=built.users["T1"], centre=built.centre, month=dt.date(2025, 12, 1), filed_on=FILED)


def test_it_keeps_the_attendance_of_a_billed_session() -> None:
    from care.services_sessions import SessionError

    built, user = december_recorded(children=1)
    care_bills_month(actor=user, centre=built.centre, month=dt.date(2025, 12, 1), filed_on=FILED)
    billed = Session.objects.filter(bill__isnull=False).first()
    assert billed is not None
    with pytest.raises(SessionError):
        attendance_record(actor=user, session=billed, state="absent", reason="illness", today=FILED)
