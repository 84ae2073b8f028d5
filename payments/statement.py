"""The payment of a claim file as its statement shows it (registered in claims by payments.apps)."""

from __future__ import annotations

from typing import Any

from claims.models import ClaimFile
from claims.selectors_documents import METHOD_POSTAL, METHOD_PROVIDER, METHOD_TRANSFER, StatementPayment
from payments.models import BatchKind, PaymentClaim, PaymentState

_METHODS: dict[str, Any] = {
    BatchKind.MEMBER_TRANSFER: METHOD_TRANSFER,
    BatchKind.PROVIDER_TRANSFER: METHOD_PROVIDER,
    BatchKind.POSTAL_ORDER: METHOD_POSTAL,
}


def claim_statement_payment(claim: ClaimFile) -> StatementPayment | None:
    """The file's live payment (one query), or None while it is in no batch."""
    link = PaymentClaim.objects.filter(claim=claim, live=True).select_related("payment__batch").first()
    if link is None:
        return None
    payment, batch = link.payment, link.payment.batch
    by_transfer = batch.kind == BatchKind.MEMBER_TRANSFER
    return StatementPayment(
        method=_METHODS.get(batch.kind, METHOD_TRANSFER),
        account=payment.rib[-4:] if by_transfer and payment.rib else "",
        on=payment.paid_on or batch.execution_date,
        done=payment.state == PaymentState.PAID,
        reference=batch.number,
    )
