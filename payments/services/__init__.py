"""Every write of the payments app (HackSoft style: keyword-only, one transaction each)."""

from __future__ import annotations

from payments.services.batches import (
    batch_file,
    payment_batch_cancel,
    payment_batch_confirm,
    payment_batch_export,
    payment_batch_settle_chunk,
    payment_batch_validate,
)
from payments.services.errors import PaymentError
from payments.services.prepare import (
    payable_claims,
    payment_batch_finish,
    payment_batch_prepare,
    payment_batch_prepare_chunk,
    payment_batch_prepare_enqueue,
    payment_batch_prepare_run,
    payment_batch_start,
)
from payments.services.requeue import payment_requeue, payments_requeue_corrected
from payments.services.returns import payment_return_import

__all__ = [
    "PaymentError",
    "batch_file",
    "payable_claims",
    "payment_batch_cancel",
    "payment_batch_confirm",
    "payment_batch_export",
    "payment_batch_finish",
    "payment_batch_prepare",
    "payment_batch_prepare_chunk",
    "payment_batch_prepare_enqueue",
    "payment_batch_prepare_run",
    "payment_batch_settle_chunk",
    "payment_batch_start",
    "payment_batch_validate",
    "payment_requeue",
    "payment_return_import",
    "payments_requeue_corrected",
]
