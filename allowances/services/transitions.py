"""The one write path of allowance request states: REQUEST_TRANSITIONS and allowance_transition_apply.

Every state change of a request (the request page's verbs, payment batches, bank returns) goes
through `allowance_transition_apply`, which is the project's one applier (mutuelle.transitions) on
REQUESTS: it locks the request, refuses a pair not in the table (or a batch's step asked by a
person), checks the permission and the four-eyes rule, stamps who and when, runs the step's
`changes`, writes the history row and the audit event, and queues the family's notification, all
in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable

from allowances.models import AllowanceRequest, AllowanceTransition, RequestState
from allowances.services.errors import (
    MSG_FORBIDDEN,
    MSG_FOUR_EYES,
    MSG_NOT_ALLOWED,
    MSG_STALE,
    AllowanceError,
)
from mutuelle.transitions import Machine, Moved, Refusal, Refused, Step, transition_apply, transition_targets
from mutuelle.types import Actor, actor_user

FILE = "allowances.file_allowancerequest"
CHECK = "allowances.check_allowancerequest"
APPROVE = "allowances.approve_allowancerequest"
NOTIFY_EVENT = "allowances.request"
BATCH = "batch"  # made by payment batches and bank returns only (the payment services checked the accountant)
DECIDE_APPEAL = "grievances.decide_appeal"  # the appeals committee (grievances.services.reopen)
CHECKER = "checked_by_id"  # four eyes: the agent who checked the request may not make the step

S = RequestState
# Every state change of an allowance request; a pair not listed here is refused. `event`: the
# family hears of it (members.outbox).
REQUEST_TRANSITIONS: dict[tuple[str, str], Step] = {
    (S.RECEIVED, S.INCOMPLETE): Step(FILE, event=NOTIFY_EVENT),
    (S.INCOMPLETE, S.RECEIVED): Step(FILE),
    (S.RECEIVED, S.CHECKED): Step(CHECK, stamp="checked"),
    (S.CHECKED, S.RECEIVED): Step(APPROVE),  # sent back to the checker
    (S.CHECKED, S.APPROVED): Step(APPROVE, stamp="approved", four_eyes=CHECKER, event=NOTIFY_EVENT),
    (S.RECEIVED, S.REFUSED): Step(APPROVE, four_eyes=CHECKER, event=NOTIFY_EVENT),
    (S.INCOMPLETE, S.REFUSED): Step(APPROVE, four_eyes=CHECKER, event=NOTIFY_EVENT),
    (S.CHECKED, S.REFUSED): Step(APPROVE, four_eyes=CHECKER, event=NOTIFY_EVENT),
    (S.REFUSED, S.RECEIVED): Step(DECIDE_APPEAL, event=NOTIFY_EVENT),  # an appeal upheld: reviewed again
    (S.RECEIVED, S.CANCELLED): Step(FILE),
    (S.INCOMPLETE, S.CANCELLED): Step(FILE),
    (S.CHECKED, S.CANCELLED): Step(FILE),
    (S.APPROVED, S.IN_PAYMENT): Step(None, only=BATCH),
    (S.IN_PAYMENT, S.PAID): Step(None, only=BATCH, event=NOTIFY_EVENT),
    (S.IN_PAYMENT, S.APPROVED): Step(None, only=BATCH),
}


def _refuse(refused: Refused[AllowanceRequest, Step]) -> AllowanceError:
    if refused.kind == Refusal.STALE:
        return AllowanceError(MSG_STALE, code="stale")
    if refused.kind == Refusal.FORBIDDEN:
        return AllowanceError(MSG_FORBIDDEN, code="forbidden")
    if refused.kind == Refusal.FOUR_EYES:
        return AllowanceError(MSG_FOUR_EYES, code="four_eyes")
    labels = {"from": RequestState(refused.row.state).label, "to": RequestState(refused.to).label}
    return AllowanceError(MSG_NOT_ALLOWED % labels, code="not_allowed")


def _history(moved: Moved[AllowanceRequest, Step]) -> None:
    request = moved.row
    AllowanceTransition.objects.create(
        request=request, member_id=request.member_id, frm=moved.frm, to=moved.to, at=moved.at, note=moved.note[:300],
        actor=actor_user(moved.actor),
    )  # fmt: skip


def _notify(moved: Moved[AllowanceRequest, Step], event: str) -> None:
    request_notify(request=moved.row)


# A person's steps are refused to the system (permission given, actor None), a batch's to a person
# (exact_by: a step without `only` is not the batch's either).
REQUESTS = Machine(
    model=AllowanceRequest, table=REQUEST_TRANSITIONS, refuse=_refuse, version="version", member="member_id",
    system_allowed=False, exact_by=True, record=_history, notify=_notify,
)  # fmt: skip


def allowed_targets(*, actor: Actor, request: AllowanceRequest) -> list[str]:
    """The states a person may move this request to now (the verbs the page shows)."""
    if actor is None:
        return []
    return list(transition_targets(REQUESTS, actor=actor, row=request))


def allowance_transition_apply(
    *,
    actor: Actor,
    request: AllowanceRequest,
    to: str,
    note: str = "",
    version: int | None = None,
    changes: Callable[[AllowanceRequest], list[str]] | None = None,
    by_batch: bool = False,
) -> AllowanceRequest:
    """Move `request` to `to` inside the caller's transaction, as REQUEST_TRANSITIONS allows; the locked row.

    `version`: the version the person saw (a request changed meanwhile is refused). `changes`
    runs on the locked row before it is saved and returns the other fields it set. A refusal
    raises AllowanceError and writes nothing.
    """
    return transition_apply(REQUESTS, actor=actor, row=request, to=to, note=note, by=BATCH if by_batch else None,
                            version=version, changes=changes)  # fmt: skip


def request_notify(*, request: AllowanceRequest) -> None:
    """The family's e-mail and SMS, written when the worker sends it (allowances.notifications)."""
    from members.outbox import notifications_enqueue

    notifications_enqueue(event=NOTIFY_EVENT, member_ids=[request.member_id], params={"request": str(request.pk)})
