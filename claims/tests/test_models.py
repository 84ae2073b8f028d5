from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from claims.models import ClaimLine, PriorApproval
from claims.tests.factories import CONSULTATION, file_make, holder, member_make

pytestmark = pytest.mark.django_db


def test_it_refuses_amounts_that_do_not_add_up() -> None:
    claim = file_make(member=member_make(), lines=[CONSULTATION])
    line = claim.lines.get()
    for changes in (
        {"amo": Decimal("90.00"), "complementary": Decimal("20.00"), "remainder": Decimal("-10.00")},
        {"amo": Decimal("50.00"), "complementary": Decimal("10.00"), "remainder": Decimal("30.00")},
        {"paid": Decimal("-1.00"), "remainder": Decimal("-1.00")},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            ClaimLine.objects.filter(pk=line.pk).update(**changes)
    ClaimLine.objects.filter(pk=line.pk).update(amo=Decimal("64.00"), complementary=Decimal("10.00"),
                                                remainder=Decimal("26.00"))  # fmt: skip


def test_it_refuses_a_prior_approval_consumed_beyond_what_was_granted() -> None:
    member = member_make()
    approval = PriorApproval.objects.create(
        number="PA1", member=member, beneficiary=holder(member), kind="act", code="IRM", quantity_granted=1
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PriorApproval.objects.filter(pk=approval.pk).update(quantity_consumed=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        PriorApproval.objects.filter(pk=approval.pk).update(status="granted")  # a grant needs validity dates


def test_it_accepts_amounts_that_add_up_to_the_centime_whatever_the_database() -> None:
    # 190.45 - 140.35 - 40.10 is 9.999999999999972 in binary floating point, which SQLite uses.
    claim = file_make(member=member_make(), lines=[CONSULTATION])
    line = claim.lines.get()
    ClaimLine.objects.filter(pk=line.pk).update(
        paid=Decimal("190.45"), basis=Decimal("190.45"), amo=Decimal("140.35"),
        complementary=Decimal("40.10"), remainder=Decimal("10.00"),
    )  # fmt: skip
    line.refresh_from_db()
    assert line.remainder == Decimal("10.00")
    ClaimLine.objects.filter(pk=line.pk).update(amo=Decimal("150.35"), remainder=Decimal("0.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimLine.objects.filter(pk=line.pk).update(remainder=Decimal("0.01"))
