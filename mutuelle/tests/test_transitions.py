"""The generic applier (mutuelle.transitions) on a real model: payment batches, with a table of the test's own.

The table is not the payments' (BATCH_TRANSITIONS, tested in payments/tests/test_batch_states.py):
it exercises each kind of step the applier knows, so what is checked here is the applier itself.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditAction, AuditEvent
from mutuelle.errors import DomainError
from mutuelle.transitions import (
    Machine,
    Moved,
    Refusal,
    Refused,
    Step,
    transition_allowed,
    transition_apply,
    transition_targets,
)
from payments.models import BatchKind, BatchState, PaymentBatch

pytestmark = pytest.mark.django_db
_seq = itertools.count(1)
S = BatchState
VALIDATE = "payments.validate_paymentbatch"
PREPARE = "payments.prepare_paymentbatch"


class Refusing(DomainError):
    def __init__(self, refused: Refused[PaymentBatch, Step]) -> None:
        super().__init__(refused.kind.value)
        self.kind = refused.kind


TABLE: dict[tuple[str, str], Step] = {
    (S.PREPARED, S.VALIDATED): Step(VALIDATE, AuditAction.VALIDATED, stamp="validated", four_eyes="prepared_by_id"),
    (S.PREPARED, S.CANCELLED): Step(PREPARE, AuditAction.CANCELLED, dated="cancelled_at", event="told"),
    (S.PREPARING, S.PREPARED): Step(PREPARE, AuditAction.PREPARED, only="job"),
    (S.VALIDATED, S.CANCELLED): Step(None, AuditAction.CANCELLED),  # a system step: no permission
}


def _machine(**hooks: Any) -> Machine[PaymentBatch, Step]:
    return Machine(model=PaymentBatch, table=TABLE, refuse=Refusing, system_allowed=False, **hooks)


def _batch(state: str, preparer: Any, validator: Any = None) -> PaymentBatch:
    """A batch in `state`; a validated one needs its validator (a database constraint)."""
    return PaymentBatch.objects.create(
        number=f"TRX{next(_seq):05d}", kind=BatchKind.MEMBER_TRANSFER, state=state, execution_date=dt.date(2025, 4, 1),
        debtor_name="Mutuelle", debtor_iban="MA64011519000001205000534921", prepared_by=preparer,
        validated_by=validator if state == S.VALIDATED else None, created_at=timezone.now(),
    )  # fmt: skip


def _row(batch: PaymentBatch) -> dict[str, Any]:
    return PaymentBatch.objects.filter(pk=batch.pk).values().get()


def _events(batch: PaymentBatch) -> int:
    return AuditEvent.objects.filter(object_type="payments.paymentbatch", object_id=str(batch.pk)).count()


@pytest.fixture
def people(make_user: Any) -> tuple[Any, Any, Any]:
    """(preparer, validator, auditor): two accountants and someone holding neither permission."""
    return (make_user(Role.ACCOUNTANT, username="prep"), make_user(Role.ACCOUNTANT, username="valid"),
            make_user(Role.AUDITOR))  # fmt: skip


def _refused(machine: Machine[PaymentBatch, Step], kind: Refusal, batch: PaymentBatch, **call: Any) -> None:
    """The call is refused with `kind`, and the row and the audit trail are as they were."""
    before, events = _row(batch), _events(batch)
    with pytest.raises(Refusing) as exc:
        transition_apply(machine, row=batch, **call)
    assert exc.value.kind == kind
    assert _row(batch) == before and _events(batch) == events


def test_it_refuses_a_pair_the_table_does_not_list_and_writes_nothing(people: tuple[Any, Any, Any]) -> None:
    preparer, validator, _ = people
    batch = _batch(S.PREPARED, preparer)
    _refused(_machine(), Refusal.NOT_ALLOWED, batch, actor=validator, to=S.CONFIRMED)
    _refused(_machine(), Refusal.NOT_ALLOWED, batch, actor=validator, to=S.PREPARED)  # staying put is no step


def test_it_refuses_a_step_to_whoever_lacks_its_permission(people: tuple[Any, Any, Any]) -> None:
    preparer, _, auditor = people
    batch = _batch(S.PREPARED, preparer)
    _refused(_machine(), Refusal.FORBIDDEN, batch, actor=auditor, to=S.VALIDATED)
    _refused(_machine(), Refusal.FORBIDDEN, batch, actor=None, to=S.VALIDATED)  # the system: not with this table
    # Another way to be allowed (care: the child's parent) is the machine's hook, asked after the permission.
    lenient = _machine(allowed_else=lambda actor, row, step: actor.pk == auditor.pk)
    assert transition_allowed(lenient, actor=auditor, row=batch, to=S.VALIDATED)
    assert transition_apply(lenient, actor=auditor, row=batch, to=S.VALIDATED).state == S.VALIDATED


def test_it_lets_the_system_make_the_steps_when_the_table_allows_it(people: tuple[Any, Any, Any]) -> None:
    preparer, validator, auditor = people
    batch = _batch(S.VALIDATED, preparer, validator)
    assert transition_apply(_machine(), actor=auditor, row=batch, to=S.CANCELLED).state == S.CANCELLED  # no permission
    other = _batch(S.PREPARED, preparer)
    system = Machine(model=PaymentBatch, table=TABLE, refuse=Refusing)  # system_allowed by default
    assert transition_apply(system, actor=None, row=other, to=S.CANCELLED).cancelled_at is not None


def test_it_refuses_four_eyes_to_the_person_its_field_names(people: tuple[Any, Any, Any]) -> None:
    preparer, validator, _ = people
    batch = _batch(S.PREPARED, preparer)
    _refused(_machine(), Refusal.FOUR_EYES, batch, actor=preparer, to=S.VALIDATED)
    assert not transition_allowed(_machine(), actor=preparer, row=batch, to=S.VALIDATED)
    assert set(transition_targets(_machine(), actor=preparer, row=batch)) == {S.CANCELLED}
    assert set(transition_targets(_machine(), actor=validator, row=batch)) == {S.VALIDATED, S.CANCELLED}


def test_it_stamps_who_and_when_and_writes_one_audit_row(people: tuple[Any, Any, Any]) -> None:
    preparer, validator, _ = people
    batch = _batch(S.PREPARED, preparer)
    start = timezone.now()
    done = transition_apply(_machine(), actor=validator, row=batch, to=S.VALIDATED, note="checked twice")
    row = _row(batch)
    assert done.state == row["state"] == S.VALIDATED
    assert row["validated_by_id"] == validator.pk and row["validated_at"] >= start
    assert row["cancelled_at"] is None  # no other stamp
    event = AuditEvent.objects.get(object_type="payments.paymentbatch", object_id=str(batch.pk))
    assert event.action == AuditAction.VALIDATED and event.actor_id == validator.pk and event.note == "checked twice"
    assert event.before["state"] == S.PREPARED and event.after["state"] == S.VALIDATED
    assert event.before["validated_by_id"] is None and event.after["validated_by_id"] == validator.pk


def test_it_writes_a_date_only_stamp_and_queues_the_steps_notification(people: tuple[Any, Any, Any]) -> None:
    preparer, validator, _ = people
    told: list[tuple[int, str, str]] = []
    recorded: list[Moved[PaymentBatch, Step]] = []
    machine = _machine(notify=lambda moved, event: told.append((moved.row.pk, moved.frm, event)),
                       record=recorded.append)  # fmt: skip
    batch = _batch(S.PREPARED, preparer)
    done = transition_apply(machine, actor=validator, row=batch, to=S.CANCELLED)
    assert done.cancelled_at is not None and _row(batch)["cancelled_at"] == done.cancelled_at
    assert _row(batch)["validated_by_id"] is None
    assert told == [(batch.pk, S.PREPARED, "told")]
    assert [(m.frm, m.to, m.actor) for m in recorded] == [(S.PREPARED, S.CANCELLED, validator)]


def test_it_keeps_a_callers_step_for_that_caller(people: tuple[Any, Any, Any]) -> None:
    preparer, validator, _ = people
    batch = _batch(S.PREPARING, preparer)
    _refused(_machine(), Refusal.NOT_ALLOWED, batch, actor=preparer, to=S.PREPARED)  # a person: not the job's step
    _refused(_machine(), Refusal.NOT_ALLOWED, batch, actor=preparer, to=S.PREPARED, by="bank")
    assert transition_apply(_machine(), actor=preparer, row=batch, to=S.PREPARED, by="job").state == S.PREPARED
    # exact_by: a caller that says what it is may make only its own steps.
    other = _batch(S.PREPARED, preparer)
    _refused(_machine(exact_by=True), Refusal.NOT_ALLOWED, other, actor=validator, to=S.VALIDATED, by="job")
    assert transition_apply(_machine(), actor=validator, row=other, to=S.VALIDATED, by="job").state == S.VALIDATED


def test_it_refuses_a_stale_version_and_moves_it_with_every_step(people: tuple[Any, Any, Any]) -> None:
    preparer, validator, _ = people
    machine = _machine(version="payment_count")  # a counter column stands for the model's version here
    batch = _batch(S.PREPARED, preparer)
    _refused(machine, Refusal.STALE, batch, actor=validator, to=S.VALIDATED, version=7)
    done = transition_apply(machine, actor=validator, row=batch, to=S.VALIDATED, version=0)
    assert done.payment_count == _row(batch)["payment_count"] == 1


def test_it_saves_the_callers_changes_and_audits_its_extra_state(people: tuple[Any, Any, Any]) -> None:
    preparer, validator, _ = people

    def _changes(row: PaymentBatch) -> list[str]:
        row.xml_sha256 = "ab" * 32
        return ["xml_sha256"]

    batch = _batch(S.PREPARED, preparer)
    transition_apply(_machine(), actor=validator, row=batch, to=S.VALIDATED, changes=_changes,
                     audit_extra=lambda row: {"why": "test"})  # fmt: skip
    assert _row(batch)["xml_sha256"] == "ab" * 32
    event = AuditEvent.objects.get(object_type="payments.paymentbatch", object_id=str(batch.pk))
    assert event.after["xml_sha256"] == "ab" * 32 and event.after["why"] == "test"


def test_it_writes_nothing_when_a_hook_fails_after_the_save(people: tuple[Any, Any, Any]) -> None:
    from django.db import transaction

    preparer, validator, _ = people

    def _fails(moved: Moved[PaymentBatch, Step], event: str) -> None:
        raise RuntimeError("the outbox is down")

    batch = _batch(S.PREPARED, preparer)
    before = _row(batch)
    with transaction.atomic():  # the caller's transaction goes on: the applier's savepoint is rolled back
        with pytest.raises(RuntimeError):
            transition_apply(_machine(notify=_fails), actor=validator, row=batch, to=S.CANCELLED)
        assert _row(batch) == before and _events(batch) == 0


@pytest.mark.parametrize(("start", "to"), list(itertools.product([S.PREPARING, S.PREPARED, S.VALIDATED], repeat=2)))
def test_it_applies_exactly_what_transition_allowed_says(people: tuple[Any, Any, Any], start: str, to: str) -> None:
    """For every pair and every actor, the applier agrees with the check the pages use."""
    preparer, validator, auditor = people
    for actor in (preparer, validator, auditor, None):
        batch = _batch(start, preparer, validator)
        if transition_allowed(_machine(), actor=actor, row=batch, to=to):
            assert transition_apply(_machine(), actor=actor, row=batch, to=to).state == to == _row(batch)["state"]
            assert _events(batch) == 1
        else:
            before = _row(batch)
            with pytest.raises(Refusing):
                transition_apply(_machine(), actor=actor, row=batch, to=to)
            assert _row(batch) == before and _events(batch) == 0
