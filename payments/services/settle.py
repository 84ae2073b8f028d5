"""A batch is settled once every payment in it has the bank's (or the post office's) answer.

Run inside the callers' transactions: a return import (payments.services.returns) and the postal
orders' settlement job check the batches they touched, so the batch list tells at a glance which
batches still wait for the bank. The step is the system's (job_only in BATCH_TRANSITIONS): no one
presses a button for it, and it is audited like every other batch state change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from payments.models import BatchState, PaymentBatch, PaymentState
from payments.services.batches import batch_transition_apply

# A payment still waiting for an answer: sent to the bank (or not yet sent, in a batch being exported).
AWAITING = (PaymentState.PENDING, PaymentState.EXPORTED)
SETTLEABLE = (BatchState.EXPORTED, BatchState.CONFIRMED)


def batches_settle_if_answered(*, actor: Any, batch_ids: Iterable[int]) -> list[PaymentBatch]:
    """Settle those of the batches (exported or confirmed) none of whose payments awaits an answer;
    the batches settled. One query for the candidates, one for those still waiting."""
    ids = set(batch_ids)
    candidates = list(PaymentBatch.objects.filter(pk__in=ids, state__in=SETTLEABLE).order_by("pk"))
    if not candidates:
        return []
    waiting = set(
        PaymentBatch.objects.filter(pk__in=[b.pk for b in candidates], payments__state__in=AWAITING)
        .values_list("pk", flat=True)
        .distinct()
    )
    return [
        batch_transition_apply(actor=actor, batch=b, to=BatchState.SETTLED, by_job=True)
        for b in candidates
        if b.pk not in waiting
    ]
