"""The one write path of allowance request states: REQUEST_TRANSITIONS and allowance_transition_apply.

Every state change of a request (the request page's verbs, payment batches, bank returns) goes
through `allowance_transition_apply`: it locks the request, refuses a pair not in the table (or a
batch's step asked by a person), checks the permission and the four-eyes rule, stamps who and
when, runs the step's `changes`, writes the history row and the audit event, and queues the
family's notification, all in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from allowances.models import AllowanceRequest, AllowanceTransition, RequestState
from allowances.services.errors import (
    MSG_FORBIDDEN,
    MSG_FOUR_EYES,
    MSG_NOT_ALLOWED,
    MSG_STALE,
    AllowanceError,
    actor_user,
)
from audit.services import AuditAction, audit_record, model_snapshot
from mutuelle.types import Actor

FILE = "allowances.file_allowancerequest"
CHECK = "allowances.check_allowancerequest"
APPROVE = "allowances.approve_allowancerequest"
NOTIFY_EVENT = "allowances.request"


@dataclass(frozen=True)
class RequestStep:
    """What a request state change needs: who may make it and what it stamps."""

    permission: str | None  # None: a batch's step (the payment services checked the accountant)
    stamp: str | None = None  # "checked" / "approved": <stamp>_by and <stamp>_at are set
    four_eyes: bool = False  # the agent who checked the request may not make it
    by_batch: bool = False  # made by payment batches and bank returns only
    notify: bool = False  # the family hears of it (members.outbox)


S = RequestState
# Every state change of an allowance request; a pair not listed here is refused.
REQUEST_TRANSITIONS: dict[tuple[str, str], RequestStep] = {
    (S.RECEIVED, S.INCOMPLETE): RequestStep(FILE, notify=True),
    (S.INCOMPLETE, S.RECEIVED): RequestStep(FILE),
    (S.RECEIVED, S.CHECKED): RequestStep(CHECK, stamp="checked"),
    (S.CHECKED, S.RECEIVED): RequestStep(APPROVE),  # sent back to the checker
    (S.CHECKED, S.APPROVED): RequestStep(APPROVE, stamp="approved", four_eyes=True, notify=True),
    (S.RECEIVED, S.REFUSED): RequestStep(APPROVE, four_eyes=True, notify=True),
    (S.INCOMPLETE, S.REFUSED): RequestStep(APPROVE, four_eyes=True, notify=True),
    (S.CHECKED, S.REFUSED): RequestStep(APPROVE, four_eyes=True, notify=True),
    (S.RECEIVED, S.CANCELLED): RequestStep(FILE),
    (S.INCOMPLETE, S.CANCELLED): RequestStep(FILE),
    (S.CHECKED, S.CANCELLED): RequestStep(FILE),
    (S.APPROVED, S.IN_PAYMENT): RequestStep(None, by_batch=True),
    (S.IN_PAYMENT, S.PAID): RequestStep(None, by_batch=True, notify=True),
    (S.IN_PAYMENT, S.APPROVED): RequestStep(None, by_batch=True),
}


def allowed_targets(*, actor: Actor, request: AllowanceRequest) -> list[str]:
    """The states a person may move this request to now (the verbs the page shows)."""
    targets = []
    for (frm, to), step in REQUEST_TRANSITIONS.items():
        if frm != request.state or step.by_batch or actor is None or not actor.has_perm(step.permission or ""):
            continue
        if step.four_eyes and request.checked_by_id is not None and request.checked_by_id == actor.pk:
            continue
        targets.append(to)
    return targets


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
    locked = AllowanceRequest.objects.select_for_update().get(pk=request.pk)
    if version is not None and locked.version != version:
        raise AllowanceError(MSG_STALE, code="stale")
    step = REQUEST_TRANSITIONS.get((locked.state, to))
    if step is None or step.by_batch != by_batch:
        raise AllowanceError(
            MSG_NOT_ALLOWED % {"from": RequestState(locked.state).label, "to": RequestState(to).label},
            code="not_allowed",
        )
    if step.permission is not None and (actor is None or not actor.has_perm(step.permission)):
        raise AllowanceError(MSG_FORBIDDEN, code="forbidden")
    if step.four_eyes and actor is not None and locked.checked_by_id == actor.pk:
        raise AllowanceError(MSG_FOUR_EYES, code="four_eyes")
    before = model_snapshot(locked)
    frm, now = locked.state, timezone.now()
    fields = ["state", "version"]
    locked.state, locked.version = to, locked.version + 1
    if step.stamp:
        setattr(locked, f"{step.stamp}_by", actor_user(actor))
        setattr(locked, f"{step.stamp}_at", now)
        fields += [f"{step.stamp}_by", f"{step.stamp}_at"]
    if changes is not None:
        fields += changes(locked)
    locked.save(update_fields=fields)
    AllowanceTransition.objects.create(
        request=locked, member_id=locked.member_id, frm=frm, to=to, at=now, note=note[:300],
        actor=actor_user(actor),
    )  # fmt: skip
    audit_record(
        actor=actor, action=AuditAction.TRANSITION, obj=locked, member_id=locked.member_id, before=before,
        after=model_snapshot(locked), note=note,
    )  # fmt: skip
    if step.notify:
        request_notify(request=locked)
    return locked


def request_notify(*, request: AllowanceRequest) -> None:
    """The family's e-mail and SMS, written when the worker sends it (allowances.notifications)."""
    from members.outbox import notifications_enqueue

    notifications_enqueue(event=NOTIFY_EVENT, member_ids=[request.member_id], params={"request": str(request.pk)})
