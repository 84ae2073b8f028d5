"""The batch preview counts what a batch of allowances and advances would pay (payments.preview)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from allowances.models import AdvanceState
from allowances.services.advances import advance_create, advance_decide
from allowances.tests.factories import family_make
from payments.models import BatchKind
from payments.preview import batch_preview
from payments.services import payment_batch_prepare

pytestmark = pytest.mark.django_db


def test_it_previews_an_approved_advance_in_its_fund_and_the_batch_pays_that(agents: dict[str, Any]) -> None:
    member = family_make(status="active")
    advance = advance_create(actor=agents["reception"], member=member, quote_reference="DEVIS-1",
                             quote_amount=Decimal("24000.00"), amount=Decimal("8000.00"), rib=member.rib)  # fmt: skip
    assert batch_preview(kind=BatchKind.ALLOWANCE_TRANSFER).empty  # not approved yet: nothing payable
    advance_decide(actor=agents["approver"], advance=advance, to=AdvanceState.APPROVED)
    preview = batch_preview(kind=BatchKind.ALLOWANCE_TRANSFER)
    assert preview.counted and (preview.payments, preview.total) == (1, Decimal("8000.00"))
    funds = [(f.fund, f.amount) for f in preview.funds]
    assert funds == [("advances", Decimal("8000.00")), ("solidarity", Decimal("0.00"))]
    batch = payment_batch_prepare(actor=agents["approver"], kind=BatchKind.ALLOWANCE_TRANSFER)
    assert (batch.payment_count, batch.total) == (1, Decimal("8000.00"))
