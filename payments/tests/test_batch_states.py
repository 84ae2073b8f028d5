"""The payment batch state machine: BATCH_TRANSITIONS is the one list of allowed pairs."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from payments.models import BatchKind, BatchState, PaymentBatch
from payments.services.batches import BATCH_TRANSITIONS, batch_transition_apply
from payments.services.errors import PaymentError

pytestmark = pytest.mark.django_db
_seq = itertools.count(1)
_STAMPED = {BatchState.VALIDATED, BatchState.EXPORTED, BatchState.CONFIRMED, BatchState.SETTLED}


def _batch(state: str, preparer: Any, validator: Any) -> PaymentBatch:
    return PaymentBatch.objects.create(
        number=f"PBT{next(_seq):05d}",
        kind=BatchKind.MEMBER_TRANSFER,
        state=state,
        execution_date=dt.date(2025, 4, 1),
        debtor_name="Mutuelle",
        debtor_iban="MA64011519000001205000534921",
        prepared_by=preparer,
        validated_by=validator if state in _STAMPED else None,
        created_at=timezone.now(),
    )


def _row(batch: PaymentBatch) -> dict[str, Any]:
    return PaymentBatch.objects.filter(pk=batch.pk).values().get()


def _events(batch: PaymentBatch) -> int:
    return AuditEvent.objects.filter(object_type="payments.paymentbatch", object_id=str(batch.pk)).count()


@pytest.mark.parametrize(("start", "to"), list(itertools.product(BatchState.values, repeat=2)))
def test_it_applies_exactly_the_pairs_of_the_table_and_a_refused_pair_changes_nothing(
    accountants: tuple[Any, Any], start: str, to: str
) -> None:
    preparer, validator = accountants
    batch = _batch(start, preparer, validator)
    before = _row(batch)
    step = BATCH_TRANSITIONS.get((start, to))
    if step is None or step.job_only:
        with pytest.raises(PaymentError):
            batch_transition_apply(actor=validator, batch=batch, to=to)
        assert _row(batch) == before and _events(batch) == 0
    if step is None:
        return
    done = batch_transition_apply(actor=validator, batch=batch, to=to, by_job=step.job_only)
    assert done.state == to == _row(batch)["state"] and _events(batch) == 1
    assert AuditEvent.objects.get(object_id=str(batch.pk)).action == step.action
    if step.stamp:
        assert _row(batch)[f"{step.stamp}_by_id"] == validator.pk


def test_it_refuses_the_preparer_where_the_table_asks_for_four_eyes(accountants: tuple[Any, Any]) -> None:
    preparer, validator = accountants
    four_eyes = [pair for pair, step in BATCH_TRANSITIONS.items() if step.four_eyes]
    assert four_eyes == [(BatchState.PREPARED, BatchState.VALIDATED)]
    for start, to in four_eyes:
        batch = _batch(start, preparer, validator)
        before = _row(batch)
        with pytest.raises(PaymentError) as exc:
            batch_transition_apply(actor=preparer, batch=batch, to=to)
        assert exc.value.code == "four_eyes" and _row(batch) == before and _events(batch) == 0


def test_it_refuses_a_step_to_whoever_lacks_its_permission(make_user: Any, accountants: tuple[Any, Any]) -> None:
    preparer, validator = accountants
    auditor = make_user(Role.AUDITOR)
    for (start, to), step in BATCH_TRANSITIONS.items():
        batch = _batch(start, preparer, validator)
        before = _row(batch)
        with pytest.raises(PaymentError) as exc:
            batch_transition_apply(actor=auditor, batch=batch, to=to, by_job=step.job_only)
        assert exc.value.code == "forbidden" and _row(batch) == before and _events(batch) == 0


def test_it_audits_an_empty_batch_finished_by_its_job_as_cancelled(accountants: tuple[Any, Any]) -> None:
    """The files payable when the batch started were all taken meanwhile: the job's last step cancels it
    through the table (PREPARING -> CANCELLED), and its audit row says so (it used to say "prepared")."""
    from django.db import transaction

    from audit.models import AuditAction
    from payments.services.prepare import payment_batch_finish

    preparer, validator = accountants
    batch = _batch(BatchState.PREPARING, preparer, validator)
    with transaction.atomic():
        done = payment_batch_finish(actor=preparer, batch=batch)
    assert done.state == BatchState.CANCELLED == _row(batch)["state"] and done.cancelled_at is not None
    assert done.payment_count == 0 and done.prepared_at is None
    events = AuditEvent.objects.filter(object_type="payments.paymentbatch", object_id=str(batch.pk))
    assert list(events.values_list("action", flat=True)) == [AuditAction.CANCELLED]
    with transaction.atomic():  # a resumed job finishing again: nothing more
        assert payment_batch_finish(actor=preparer, batch=batch).state == BatchState.CANCELLED
    assert events.count() == 1
