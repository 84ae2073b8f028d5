"""Preparation's part of the withholding (payments.withholding): the chunk's members' advances withheld, and
a batch left with nothing for the bank released. Inside the preparation's transactions."""

from __future__ import annotations

from typing import Any

from claims.models import ClaimStatus
from claims.services.transitions import Reason
from payments.models import Payment, PaymentBatch, PaymentClaim, PaymentState
from payments.services.common import claims_move
from payments.withholding import withhold_chunk


def withhold_payments(*, batch: PaymentBatch, field: str, low: int, high: int) -> None:
    """What the chunk's members still owe on advances out of these reimbursements (payments.withholding);
    one step after either path has written its rows, so both withhold the same. A provider is paid in full."""
    if field == "member_id":
        chunk = Payment.objects.filter(batch_id=batch.pk, member_id__gt=low, member_id__lte=high)
        withhold_chunk(batch_id=batch.pk, payment_ids=chunk.values("pk"))


def withheld_only_release(*, actor: Any, batch: PaymentBatch) -> None:
    """A batch whose every payment is 0.00 (advances took each reimbursement) has no bank file to send:
    its payments die and their files go back to "approved", to be withheld again, and settled at
    export, in the next batch that pays someone (the batch itself ends cancelled, as an empty one)."""
    links = PaymentClaim.objects.filter(payment__batch=batch, live=True)
    claim_ids = list(links.values_list("claim_id", flat=True))
    links.update(live=False)
    batch.payments.update(state=PaymentState.CANCELLED)
    claims_move(actor=actor, claim_ids=claim_ids, to=ClaimStatus.APPROVED,
                reason=Reason("batch_cancelled", {"number": batch.number}))  # fmt: skip
