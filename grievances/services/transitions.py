"""The one write path of grievance states: GRIEVANCE_TRANSITIONS and grievance_transition_apply.

Every state change (taken in review, answered, closed, withdrawn) goes through the apply function:
it locks the row, refuses a pair not in the table, checks who may make the step (a permission, the
appeals committee for an appeal's answer, the member for their own withdrawal), the four-eyes rule
of appeals (the committee member is not the reviewer), stamps who and when, writes the history row
and the audit event, and queues the member's notification, all in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from audit.services import AuditAction, audit_record
from grievances.models import Grievance, GrievanceTransition, Kind, Status
from grievances.services.errors import (
    MSG_APPEAL_COMMITTEE,
    MSG_FORBIDDEN,
    MSG_FOUR_EYES,
    MSG_NOT_ALLOWED,
    MSG_STALE,
    GrievanceError,
)
from members.outbox import notifications_enabled, notifications_enqueue
from mutuelle.types import Actor, actor_id, actor_user

ADD = "grievances.add_grievance"
ANSWER = "grievances.answer_grievance"
DECIDE = "grievances.decide_appeal"
NOTIFY_EVENT = "grievances.grievance"


@dataclass(frozen=True)
class GrievanceStep:
    """Who may make a state change and what it stamps."""

    permission: str  # for a complaint (and the staff side of a member's own step)
    appeal_permission: str | None = None  # an appeal's step needs this one instead (the committee)
    complaints_only: bool = False  # an appeal takes the committee's path (in review first)
    by_member: bool = False  # the member may make it on their own grievance
    stamp: str | None = None  # "answered" / "reviewed": <stamp>_by (and answered_at) are set
    four_eyes: bool = False  # for an appeal: not the user who reviewed it
    notify: bool = False


S = Status
GRIEVANCE_TRANSITIONS: dict[tuple[str, str], GrievanceStep] = {
    (S.FILED, S.IN_REVIEW): GrievanceStep(ANSWER, stamp="reviewed"),
    (S.FILED, S.ANSWERED): GrievanceStep(ANSWER, complaints_only=True, stamp="answered", notify=True),
    (S.IN_REVIEW, S.ANSWERED): GrievanceStep(
        ANSWER, appeal_permission=DECIDE, stamp="answered", four_eyes=True, notify=True
    ),
    (S.ANSWERED, S.CLOSED): GrievanceStep(ANSWER, by_member=True),
    (S.FILED, S.WITHDRAWN): GrievanceStep(ADD, by_member=True, notify=True),
    (S.IN_REVIEW, S.WITHDRAWN): GrievanceStep(ADD, by_member=True, notify=True),
}


def _own(actor: Actor, grievance: Grievance) -> bool:
    user = actor_user(actor)
    return user is not None and grievance.member.user_id == user.pk


def step_refusal(*, actor: Actor, grievance: Grievance, to: str) -> GrievanceError | None:
    """Why `actor` may not move `grievance` to `to` now; None when the step is allowed."""
    step = GRIEVANCE_TRANSITIONS.get((grievance.status, to))
    if step is None:
        return GrievanceError(
            MSG_NOT_ALLOWED % {"from": S(grievance.status).label, "to": S(to).label}, code="not_allowed"
        )
    appeal = grievance.kind == Kind.APPEAL
    if appeal and step.complaints_only:
        return GrievanceError(MSG_APPEAL_COMMITTEE, code="committee")
    if actor is None:
        return None  # the system (demo data)
    perm = step.appeal_permission if appeal and step.appeal_permission else step.permission
    if not actor.has_perm(perm) and not (step.by_member and _own(actor, grievance)):
        return GrievanceError(MSG_FORBIDDEN, code="forbidden")
    if appeal and step.four_eyes and grievance.reviewed_by_id is not None and grievance.reviewed_by_id == actor.pk:
        return GrievanceError(MSG_FOUR_EYES, code="four_eyes")
    return None


def allowed_targets(*, actor: Actor, grievance: Grievance) -> list[str]:
    """The states `actor` may move this grievance to now (the verbs its page shows)."""
    return [to for (frm, to) in GRIEVANCE_TRANSITIONS if frm == grievance.status
            and step_refusal(actor=actor, grievance=grievance, to=to) is None]  # fmt: skip


def grievance_transition_apply(
    *,
    actor: Actor,
    grievance: Grievance,
    to: str,
    expected_version: int | None = None,
    changes: Callable[[Grievance], dict[str, Any]] | None = None,
) -> Grievance:
    """The step inside the caller's transaction; `changes(locked)` sets the step's own fields and
    returns them for the audit row (the answer's outcome and reason)."""
    locked = Grievance.objects.select_for_update(of=("self",)).select_related("member").get(pk=grievance.pk)
    if expected_version is not None and locked.version != expected_version:
        raise GrievanceError(MSG_STALE, code="stale")
    refusal = step_refusal(actor=actor, grievance=locked, to=to)
    if refusal is not None:
        raise refusal
    step = GRIEVANCE_TRANSITIONS[locked.status, to]
    now = timezone.now()
    frm = locked.status
    extra = changes(locked) if changes is not None else {}
    if step.stamp is not None:
        setattr(locked, f"{step.stamp}_by", actor_user(actor))
        if step.stamp == "answered":
            locked.answered_at = now
    locked.status, locked.version = to, locked.version + 1
    locked.save()
    GrievanceTransition.objects.create(
        grievance=locked, member_id=locked.member_id, from_status=frm, to_status=to, version=locked.version,
        actor_id=actor_id(actor), at=now,
    )  # fmt: skip
    audit_record(
        actor=actor, action=AuditAction.TRANSITION, obj=locked, member_id=locked.member_id,
        before={"status": frm, "version": locked.version - 1}, after={"status": to, "version": locked.version, **extra},
    )  # fmt: skip
    if step.notify:
        grievance_notify(grievance=locked)
    return locked


def grievance_notify(*, grievance: Grievance) -> None:
    """Queue the member's e-mail and SMS (grievances.notifications renders them at send time)."""
    if notifications_enabled():
        notifications_enqueue(event=NOTIFY_EVENT, member_ids=[grievance.member_id],
                              params={"grievance": str(grievance.pk)})  # fmt: skip
