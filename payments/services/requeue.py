"""Rejected payments back to payment once the payee's account is corrected."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from audit.services import AuditAction, audit_record
from claims.models import ClaimStatus
from claims.services.transitions import Reason
from members.rib import rib_is_valid
from mutuelle.types import Actor
from payments.models import Payment, PaymentState, ProviderAccount
from payments.services.common import claims_move, require_perm
from payments.services.errors import MSG_REQUEUE_RIB, MSG_REQUEUE_STATE, PaymentError


def _current_rib(payment: Payment) -> str:
    if payment.member_id is not None:
        return payment.member.rib if payment.member else ""
    account = ProviderAccount.objects.filter(provider=payment.provider).first()
    return account.rib if account else ""


def payment_requeue_apply(*, actor: Actor, payment: Payment) -> Payment:
    """Inside the caller's transaction: claims back to "approved" for the next batch."""
    locked = Payment.objects.select_for_update(of=("self",)).select_related("member").get(pk=payment.pk)
    if locked.state != PaymentState.REJECTED or locked.requeued_at is not None:
        raise PaymentError(MSG_REQUEUE_STATE, code="state")
    rib = _current_rib(locked)
    if not rib_is_valid(rib) or rib == locked.rib:
        raise PaymentError(MSG_REQUEUE_RIB, code="rib")
    claim_ids = list(locked.claim_links.values_list("claim_id", flat=True))
    ref = locked.end_to_end_id
    claims_move(actor=actor, claim_ids=claim_ids, to=ClaimStatus.APPROVED, reason=Reason("requeue", {"payment": ref}))
    locked.requeued_at = timezone.now()
    locked.save(update_fields=["requeued_at"])
    audit_record(
        actor=actor,
        action=AuditAction.REQUEUED,
        obj=locked,
        member_id=locked.member_id,
        before={"rib": locked.rib},
        after={"rib": rib, "claims": claim_ids},
    )
    return locked


def payment_requeue(*, actor: Actor, payment: Payment) -> Payment:
    require_perm(actor, "payments.prepare_paymentbatch")
    with transaction.atomic(durable=True):
        return payment_requeue_apply(actor=actor, payment=payment)


def payments_requeue_corrected(*, actor: Actor) -> int:
    """Every rejected payment whose payee now has another valid RIB; how many were re-queued."""
    count = 0
    # A source's payment (payments.sources) is not re-queued: its item is payable again once its RIB changes.
    waiting = Payment.objects.filter(state=PaymentState.REJECTED, requeued_at__isnull=True, source="")
    waiting = waiting.select_related("member")
    for payment in waiting:
        rib = _current_rib(payment)
        if rib_is_valid(rib) and rib != payment.rib:
            payment_requeue_apply(actor=actor, payment=payment)
            count += 1
    return count
