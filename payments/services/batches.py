"""Validating (four eyes), exporting, confirming and cancelling a payment batch."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import AuditAction, audit_record, model_snapshot
from claims.models import ClaimStatus
from claims.services.transitions import Reason
from mutuelle import transitions
from payments.bankfiles import (
    Debtor,
    Transfer,
    TransferOrder,
    checksum_sha256,
    pain001_xml,
    postal_order_csv,
    transfer_csv,
)
from payments.models import BatchKind, BatchState, Payment, PaymentBatch, PaymentClaim, PaymentState
from payments.services.common import (
    claims_move,
    payments_mark_paid,
    payments_withheld_in_full_settle,
    require_perm,
)
from payments.services.errors import (
    MSG_ALREADY_CONFIRMED,
    MSG_BYTES_CHANGED,
    MSG_FORBIDDEN,
    MSG_FOUR_EYES,
    MSG_NO_XML,
    MSG_STATE,
    PaymentError,
)
from payments.services.source_batches import sources_released

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FORMATS = ("xml", "csv")
SETTLE_CHUNK = 500
MSG_EXPORT_FIRST = _("This file was not exported yet: press its button on the batch page to export it.")


def _state_error(batch: PaymentBatch) -> PaymentError:
    return PaymentError(MSG_STATE % {"state": BatchState(batch.state).label}, code="state")


JOB = "job"  # made by the preparation job only: a person cannot cancel a batch being prepared
PREPARER = "prepared_by_id"  # four eyes: the preparer may not make the step
CANCELLED_AT = "cancelled_at"


@dataclass(frozen=True)
class BatchStep(transitions.Step):
    """What a batch state change needs: who may make it, how it is audited, whom it stamps
    ("validated": validated_by and validated_at are set)."""

    again: StrOrPromise | None = None  # the message when the batch is already in the target state

    @property
    def job_only(self) -> bool:
        return self.only == JOB


S = BatchState
# Every state change of a payment batch; a pair not listed here is refused. Preparation
# (payments/services/prepare.py) moves "preparing" to "prepared", or to "cancelled" when nothing was payable.
BATCH_TRANSITIONS: dict[tuple[str, str], BatchStep] = {
    (S.PREPARING, S.PREPARED): BatchStep("payments.prepare_paymentbatch", AuditAction.PREPARED, only=JOB),
    (S.PREPARING, S.CANCELLED): BatchStep(
        "payments.prepare_paymentbatch", AuditAction.CANCELLED, only=JOB, dated=CANCELLED_AT
    ),
    (S.PREPARED, S.VALIDATED): BatchStep(
        "payments.validate_paymentbatch", AuditAction.VALIDATED, stamp="validated", four_eyes=PREPARER
    ),
    (S.VALIDATED, S.EXPORTED): BatchStep("payments.export_paymentbatch", AuditAction.EXPORTED, stamp="exported"),
    (S.EXPORTED, S.CONFIRMED): BatchStep(
        "payments.validate_paymentbatch", AuditAction.CONFIRMED, stamp="confirmed", again=MSG_ALREADY_CONFIRMED
    ),
    # Settled once every payment has the bank's answer (payments.services.settle, after a return import or
    # the postal orders' settlement): the system's step, never a button.
    (S.EXPORTED, S.SETTLED): BatchStep("payments.import_paymentreturn", AuditAction.TRANSITION, only=JOB),
    (S.CONFIRMED, S.SETTLED): BatchStep("payments.import_paymentreturn", AuditAction.TRANSITION, only=JOB),
    (S.PREPARED, S.CANCELLED): BatchStep("payments.prepare_paymentbatch", AuditAction.CANCELLED, dated=CANCELLED_AT),
    (S.VALIDATED, S.CANCELLED): BatchStep("payments.prepare_paymentbatch", AuditAction.CANCELLED, dated=CANCELLED_AT),
}


def _refuse(refused: transitions.Refused[PaymentBatch, BatchStep]) -> PaymentError:
    if refused.kind == transitions.Refusal.FORBIDDEN:
        return PaymentError(MSG_FORBIDDEN, code="forbidden")
    if refused.kind == transitions.Refusal.FOUR_EYES:
        return PaymentError(MSG_FOUR_EYES, code="four_eyes")
    to = refused.to
    again = next((s.again for (_from, target), s in BATCH_TRANSITIONS.items() if target == to and s.again), None)
    if again and refused.row.state == to:
        return PaymentError(again, code=f"already_{to}")
    return _state_error(refused.row)


# Every step needs an accountant's permission, the job's too (it acts for the accountant who started it).
BATCHES = transitions.Machine(model=PaymentBatch, table=BATCH_TRANSITIONS, refuse=_refuse, system_allowed=False)


def batch_transition_apply(
    *,
    actor: Any,
    batch: PaymentBatch,
    to: str,
    note: str = "",
    changes: Callable[[PaymentBatch], list[str]] | None = None,
    by_job: bool = False,
) -> PaymentBatch:
    """Move `batch` to `to` inside the caller's transaction, as BATCH_TRANSITIONS allows; the locked batch.

    The project's one applier (mutuelle.transitions) on BATCHES: it locks the row, refuses a pair
    not in the table (or a job's step asked outside the job), checks the step's permission and
    four-eyes rule, stamps who and when, runs `changes` on the locked batch (it returns the other
    fields it set), saves and writes the audit event. A refusal raises PaymentError and writes nothing.
    """
    return transitions.transition_apply(BATCHES, actor=actor, row=batch, to=to, note=note, changes=changes,
                                        by=JOB if by_job else None)  # fmt: skip


def payment_batch_validate(*, actor: Any, batch: PaymentBatch) -> PaymentBatch:
    """The second accountant's approval; the preparer cannot validate their own batch."""
    require_perm(actor, "payments.validate_paymentbatch")
    with transaction.atomic(durable=True):
        return batch_transition_apply(actor=actor, batch=batch, to=BatchState.VALIDATED)


def batch_file(batch: PaymentBatch, fmt: str) -> bytes:
    """The bank file of a batch, rebuilt from what was stored at preparation (same bytes every time)."""
    if batch.kind == BatchKind.POSTAL_ORDER:
        if fmt != "csv":
            raise PaymentError(MSG_NO_XML, code="no_xml")
        rows = [
            (ref, name, number or "", ", ".join(x for x in (address, city) if x), amount, remittance)
            for ref, name, number, address, city, amount, remittance in batch.payments.filter(amount__gt=0)
            .order_by("pk")
            .values_list(
                "end_to_end_id",
                "payee_name",
                "member__membership_number",
                "member__address",
                "member__city",
                "amount",
                "remittance",
            )
        ]
        return postal_order_csv(rows, message_id=batch.number)
    transfers = tuple(
        Transfer(end_to_end_id=ref, amount=amount, creditor_name=name, creditor_iban=iban, remittance=remittance)
        for ref, amount, name, iban, remittance in batch.payments.filter(amount__gt=0)
        .order_by("pk")
        .values_list("end_to_end_id", "amount", "payee_name", "iban", "remittance")
    )
    order = TransferOrder(
        message_id=batch.number,
        created_at=batch.prepared_at or batch.created_at,
        execution_date=batch.execution_date,
        debtor=Debtor(name=batch.debtor_name, iban=batch.debtor_iban, bic=batch.debtor_bic),
        transfers=transfers,
    )
    return pain001_xml(order) if fmt == "xml" else transfer_csv(order)


def payment_batch_export(*, actor: Any, batch: PaymentBatch, fmt: str = "xml") -> bytes:
    """The file for the bank; the first export moves the batch and its payments to "exported".

    Exporting again gives the same bytes; the checksum of each format is recorded.
    """
    require_perm(actor, "payments.export_paymentbatch")
    if fmt not in FORMATS:
        raise PaymentError(MSG_NO_XML, code="format")
    with transaction.atomic(durable=True):
        return export_apply(actor=actor, batch=batch, fmt=fmt)


def payment_batch_file(*, actor: Any, batch: PaymentBatch, fmt: str) -> bytes:
    """A file already exported, again (a GET): writes nothing, not even an audit event.

    Only a format whose checksum the export recorded is given, and only with those bytes; the
    first export of a format is a POST (payment_batch_export), which moves the batch.
    """
    require_perm(actor, "payments.export_paymentbatch")
    if fmt not in FORMATS:
        raise PaymentError(MSG_NO_XML, code="format")
    stored = batch.xml_sha256 if fmt == "xml" else batch.csv_sha256
    if batch.state not in (BatchState.EXPORTED, BatchState.CONFIRMED, BatchState.SETTLED) or not stored:
        raise PaymentError(MSG_EXPORT_FIRST, code="not_exported")
    data = batch_file(batch, fmt)
    if checksum_sha256(data) != stored:
        raise PaymentError(MSG_BYTES_CHANGED, code="changed")
    return data


def export_apply(*, actor: Any, batch: PaymentBatch, fmt: str) -> bytes:
    """The export inside the caller's transaction (the job runs it in the worker's)."""
    locked = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.state not in (BatchState.VALIDATED, BatchState.EXPORTED, BatchState.CONFIRMED, BatchState.SETTLED):
        raise _state_error(locked)
    data = batch_file(locked, fmt)
    digest = checksum_sha256(data)
    field = "xml_sha256" if fmt == "xml" else "csv_sha256"
    stored = getattr(locked, field)
    if stored and stored != digest:
        raise PaymentError(MSG_BYTES_CHANGED, code="changed")
    note = f"{fmt} sha256={digest}"
    if locked.state != BatchState.VALIDATED:  # a second format, or the same again: no state change
        before = model_snapshot(locked)
        setattr(locked, field, digest)
        locked.save(update_fields=[field])
        audit_record(
            actor=actor, action=AuditAction.EXPORTED, obj=locked, before=before, after=model_snapshot(locked), note=note
        )
        return data

    def _exported(batch: PaymentBatch) -> list[str]:
        setattr(batch, field, digest)
        payments_withheld_in_full_settle(actor=actor, batch=batch)  # net 0.00: not for the bank
        batch.payments.filter(state=PaymentState.PENDING).update(state=PaymentState.EXPORTED)
        return [field]

    batch_transition_apply(actor=actor, batch=locked, to=BatchState.EXPORTED, note=note, changes=_exported)
    return data


def payment_batch_confirm(*, actor: Any, batch: PaymentBatch) -> PaymentBatch:
    """The bank (or the post office) took the file. Confirming twice is refused.

    For postal orders the payments are paid by handing over the list: they are settled in
    chunks (`payment_batch_settle_chunk`, run by the job "payments.settle").
    """
    require_perm(actor, "payments.validate_paymentbatch")
    with transaction.atomic(durable=True):
        return batch_transition_apply(actor=actor, batch=batch, to=BatchState.CONFIRMED)


def payment_batch_confirm_enqueue(*, actor: Any, batch: PaymentBatch) -> tuple[PaymentBatch, Any]:
    """Confirm, and for postal orders queue the job that settles them, in one transaction (a
    confirmed postal batch always has its settlement queued): (batch, the job or None)."""
    from jobs.services import job_enqueue

    require_perm(actor, "payments.validate_paymentbatch")
    with transaction.atomic(durable=True):
        locked = batch_transition_apply(actor=actor, batch=batch, to=BatchState.CONFIRMED)
        if locked.kind != BatchKind.POSTAL_ORDER:
            return locked, None
        job = job_enqueue(
            kind="payments.settle",
            params={"batch_id": locked.pk, "actor_id": getattr(actor, "pk", None)},
            dedupe_key=f"payments.settle:{locked.pk}",
        )
    return locked, job


def payment_batch_settle_chunk(*, actor: Any, batch: PaymentBatch, size: int = SETTLE_CHUNK) -> bool:
    """Postal orders of a confirmed batch paid, `size` at a time (caller's transaction); True when done."""
    if batch.kind != BatchKind.POSTAL_ORDER or batch.state != BatchState.CONFIRMED:
        return True
    chunk = list(
        Payment.objects.select_for_update().filter(batch=batch, state=PaymentState.EXPORTED).order_by("pk")[:size]
    )
    on = timezone.localdate(batch.confirmed_at)
    payments_mark_paid(
        actor=actor,
        payments=chunk,
        on=on,
        reason=Reason("postal_order", {"number": batch.number}),
    )
    return len(chunk) < size


def payment_batch_cancel(*, actor: Any, batch: PaymentBatch) -> PaymentBatch:
    """Cancel a batch not yet exported: its payments die and its claims go back to "approved"."""
    require_perm(actor, "payments.prepare_paymentbatch")

    def _cancelled(locked: PaymentBatch) -> list[str]:
        claim_ids = list(PaymentClaim.objects.filter(payment__batch=locked).values_list("claim_id", flat=True))
        PaymentClaim.objects.filter(payment__batch=locked).update(live=False)
        sources = list(locked.payments.exclude(source="").values_list("pk", "source"))
        locked.payments.update(state=PaymentState.CANCELLED)
        sources_released(actor=actor, rows=sources)
        reason = Reason("batch_cancelled", {"number": locked.number})
        claims_move(actor=actor, claim_ids=claim_ids, to=ClaimStatus.APPROVED, reason=reason)
        return []

    with transaction.atomic(durable=True):
        return batch_transition_apply(actor=actor, batch=batch, to=BatchState.CANCELLED, changes=_cancelled)
