"""Helpers shared by the payment services (run inside the callers' transactions)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from audit.services import AuditAction, AuditRow, audit_events_write
from claims.models import ClaimStatus
from claims.services.transitions import By, ClaimTransitionError, Reason, claims_transition_to
from mutuelle.types import actor_id
from payments.models import Fund, FundEntry, Payment, PaymentClaim, PaymentState
from payments.services.errors import MSG_FORBIDDEN, PaymentError
from payments.services.source_batches import source_fund_entries, sources_paid, sources_released
from payments.withholding import withheld_fund_entries, withholdings_paid


def require_perm(actor: Any, perm: str) -> None:
    if actor is None or not actor.has_perm(perm):
        raise PaymentError(MSG_FORBIDDEN, code="forbidden")


def claims_move(*, actor: Any, claim_ids: list[int], to: str, reason: Reason) -> None:
    """The claims to `to` through the claims' transition service, all at once (locked, recorded,
    audited, notified); those already there are left as they are. `reason` is a code and its
    parameters (claims.models.files.TRANSITION_REASONS), shown in the reader's language."""
    try:
        claims_transition_to(actor=actor, claim_ids=claim_ids, to=to, by=By.BATCH, reason=reason)
    except ClaimTransitionError as exc:
        raise PaymentError(exc.message, code=exc.code) from exc


def payments_mark_paid(
    *,
    actor: Any,
    payments: list[Payment],
    on: dt.date,
    reason: Reason,
) -> None:
    """Payments paid: state, fund ledger entries (AMO and complementary apart), claims paid, audit."""
    if not payments:
        return
    ids = [p.pk for p in payments]
    Payment.objects.filter(pk__in=ids).update(state=PaymentState.PAID, paid_on=on)
    entries = []
    for p in payments:
        for fund, amount in ((Fund.AMO, p.amo), (Fund.COMPLEMENTARY, p.complementary)):
            if amount > 0:
                entries.append(FundEntry(fund=fund, booked_on=on, amount=amount, payment=p, member_id=p.member_id))
    entries += source_fund_entries(payments, on)
    entries += withheld_fund_entries(payment_ids=ids, on=on)
    FundEntry.objects.bulk_create(entries, batch_size=2000)
    claim_ids = list(PaymentClaim.objects.filter(payment_id__in=ids).values_list("claim_id", flat=True))
    claims_move(actor=actor, claim_ids=claim_ids, to=ClaimStatus.PAID, reason=reason)
    sources_paid(actor=actor, payments=payments, on=on)
    withholdings_paid(actor=actor, payment_ids=ids, on=on)
    audit_events_write(
        action=AuditAction.PAID,
        rows=(
            AuditRow(
                "payments.payment", str(p.pk), p.member_id, {"state": p.state}, {"state": "paid", "paid_on": str(on)}
            )
            for p in payments
        ),
        actor_id=actor_id(actor),
        at=timezone.now(),
    )


def payments_withheld_in_full_settle(*, actor: Any, batch: Any) -> None:
    """At export, the payments whose whole reimbursement repaid advances (net 0.00, not in the bank
    file) are paid by that withholding: their claims paid, the repayments recorded (caller's transaction)."""
    settled = list(Payment.objects.filter(batch=batch, state=PaymentState.PENDING, amount=0, withheld__gt=0))
    payments_mark_paid(
        actor=actor, payments=settled, on=timezone.localdate(), reason=Reason("batch", {"number": batch.number})
    )


def payments_mark_rejected(*, actor: Any, payments: list[tuple[Payment, str]]) -> None:
    """Payments the bank refused: no longer live, so their claims can be paid again later."""
    if not payments:
        return
    now = timezone.now()
    for payment, code in payments:
        Payment.objects.filter(pk=payment.pk).update(state=PaymentState.REJECTED, reject_reason=code, rejected_at=now)
    PaymentClaim.objects.filter(payment_id__in=[p.pk for p, _ in payments]).update(live=False)
    sources_released(actor=actor, rows=[(p.pk, p.source) for p, _ in payments])
    audit_events_write(
        action=AuditAction.REJECTED,
        rows=(
            AuditRow(
                "payments.payment", str(p.pk), p.member_id, {"state": p.state}, {"state": "rejected", "reason": code}
            )
            for p, code in payments
        ),
        actor_id=actor_id(actor),
        at=now,
    )
