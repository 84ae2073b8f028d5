"""Importing the bank's answer: payments paid or rejected; the same file twice changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import AuditAction, audit_record, model_snapshot
from claims.services.transitions import Reason
from payments.bankfiles import ReturnFileError, ReturnStatus, camt054_parse, checksum_sha256, return_csv_parse
from payments.bankfiles.returns import RowError, return_is_xml
from payments.models import Payment, PaymentState, ReturnImport
from payments.services.common import payments_mark_paid, payments_mark_rejected, require_perm
from payments.services.errors import (
    MSG_RETURN_AMOUNT,
    MSG_RETURN_CONFLICT,
    MSG_RETURN_INVALID,
    MSG_RETURN_NOT_SENT,
    MSG_RETURN_UNKNOWN,
    PaymentError,
)
from payments.services.settle import batches_settle_if_answered


def _parse(data: bytes) -> tuple[str, list[Any]]:
    # A UTF-16 XML file goes to the XML parser too, where its DOCTYPE (if any) is refused.
    if return_is_xml(data):
        return ReturnImport.Format.CAMT054, camt054_parse(data)
    return ReturnImport.Format.CSV, return_csv_parse(data)


class ReturnOutcome(NamedTuple):
    """What an import did: the import row (the earlier one when `again`), and the batches it settled."""

    record: ReturnImport
    again: bool  # this very file (same SHA-256) was imported before: nothing changed
    settled: list[str]  # numbers of the batches whose payments all have their answer now


def payment_return_import(*, actor: Any, data: bytes, file_name: str) -> ReturnImport:
    """Mark each listed payment paid or rejected; every row or none (see payment_return_import_outcome)."""
    return payment_return_import_outcome(actor=actor, data=data, file_name=file_name).record


def payment_return_import_outcome(*, actor: Any, data: bytes, file_name: str) -> ReturnOutcome:
    """Mark each listed payment paid or rejected; every row or none. A batch none of whose payments
    awaits an answer any more is settled in the same transaction.

    A file already imported (same SHA-256) returns the earlier import with `again` and changes
    nothing; a line that repeats what an earlier file said counts as "already known".
    """
    require_perm(actor, "payments.import_paymentreturn")
    digest = checksum_sha256(data)
    existing = ReturnImport.objects.filter(sha256=digest).first()
    if existing is not None:
        return ReturnOutcome(existing, again=True, settled=[])
    try:
        fmt, lines = _parse(data)
    except ReturnFileError as exc:
        raise PaymentError(MSG_RETURN_INVALID, code="invalid", details=exc.errors) from None
    try:
        with transaction.atomic(durable=True):
            record = ReturnImport.objects.create(
                sha256=digest, file_name=file_name[:200], format=fmt, imported_by=actor, lines=len(lines)
            )
            batch_ids = _apply(actor=actor, record=record, lines=lines)
            audit_record(actor=actor, action=AuditAction.IMPORTED, obj=record, after=model_snapshot(record))
            settled = batches_settle_if_answered(actor=actor, batch_ids=batch_ids)
    except IntegrityError:
        # The same file imported at the same moment by someone else: theirs stands.
        return ReturnOutcome(ReturnImport.objects.get(sha256=digest), again=True, settled=[])
    return ReturnOutcome(record, again=False, settled=[b.number for b in settled])


def _apply(*, actor: Any, record: ReturnImport, lines: list[Any]) -> set[int]:
    """The lines applied; the ids of the batches of the payments they name."""
    refs = [line.end_to_end_id for line in lines]
    payments = {
        p.end_to_end_id: p
        for p in Payment.objects.select_for_update(of=("self",)).filter(end_to_end_id__in=refs).order_by("pk")
    }
    errors: list[RowError] = []
    paid: list[Payment] = []
    rejected: list[tuple[Payment, str]] = []
    today = timezone.localdate()
    by_day: dict[dt.date, list[Payment]] = {}
    for line in lines:
        payment = payments.get(line.end_to_end_id)
        target = PaymentState.PAID if line.status == ReturnStatus.PAID else PaymentState.REJECTED
        if payment is None:
            errors.append(RowError(line.line, "end_to_end_id", MSG_RETURN_UNKNOWN))
        elif payment.state == target:
            record.unchanged += 1
        elif payment.state != PaymentState.EXPORTED:
            code = "status" if payment.state != PaymentState.PENDING else "end_to_end_id"
            message = (
                MSG_RETURN_NOT_SENT
                if payment.state == PaymentState.PENDING
                else MSG_RETURN_CONFLICT % {"state": PaymentState(payment.state).label}
            )
            errors.append(RowError(line.line, code, message))
        elif line.amount is not None and line.amount != payment.amount:
            errors.append(RowError(line.line, "amount", MSG_RETURN_AMOUNT % {"amount": payment.amount}))
        elif target == PaymentState.PAID:
            paid.append(payment)
            by_day.setdefault(line.value_date or today, []).append(payment)
        else:
            rejected.append((payment, line.reason_code))
    if errors:
        raise PaymentError(MSG_RETURN_INVALID, code="invalid", details=errors)
    for day, group in sorted(by_day.items()):
        payments_mark_paid(
            actor=actor, payments=group, on=day, reason=Reason("bank_return", {"file": record.file_name})
        )
    payments_mark_rejected(actor=actor, payments=rejected)
    record.paid, record.rejected = len(paid), len(rejected)
    record.save(update_fields=["paid", "rejected", "unchanged"])
    return {p.batch_id for p in payments.values()}
