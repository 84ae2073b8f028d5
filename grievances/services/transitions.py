"""The state tables of grievances, applied by mutuelle.transitions like every other table.

A complaint and an appeal have a table each: an appeal is answered by the appeals committee
(grievances.decide_appeal) once taken in review, never by the person who reviewed it (four eyes),
and cannot be answered straight from filed; a member may close their answered grievance or
withdraw it. The audit events keep the status and version (and the answer's outcome and reason),
never the complaint's or the answer's text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

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
from mutuelle.transitions import (
    Machine,
    Moved,
    Refusal,
    Refused,
    Step,
    transition_apply,
    transition_refusal,
    transition_targets,
)
from mutuelle.types import Actor, actor_id, actor_user

ADD = "grievances.add_grievance"
ANSWER = "grievances.answer_grievance"
DECIDE = "grievances.decide_appeal"
NOTIFY_EVENT = "grievances.grievance"
REVIEWER = "reviewed_by_id"  # four eyes: the officer who reviewed an appeal does not decide it


@dataclass(frozen=True)
class GrievanceStep(Step):
    by_member: bool = False  # the member may make it on their own grievance


S = Status
_COMMON: dict[tuple[str, str], GrievanceStep] = {
    (S.ANSWERED, S.CLOSED): GrievanceStep(ANSWER, by_member=True),
    (S.FILED, S.WITHDRAWN): GrievanceStep(ADD, by_member=True, event=NOTIFY_EVENT),
    (S.IN_REVIEW, S.WITHDRAWN): GrievanceStep(ADD, by_member=True, event=NOTIFY_EVENT),
}
COMPLAINT_TRANSITIONS: dict[tuple[str, str], GrievanceStep] = {
    (S.FILED, S.IN_REVIEW): GrievanceStep(ANSWER, stamp="reviewed"),
    (S.FILED, S.ANSWERED): GrievanceStep(ANSWER, stamp="answered", event=NOTIFY_EVENT),
    (S.IN_REVIEW, S.ANSWERED): GrievanceStep(ANSWER, stamp="answered", event=NOTIFY_EVENT),
    **_COMMON,
}
APPEAL_TRANSITIONS: dict[tuple[str, str], GrievanceStep] = {
    (S.FILED, S.IN_REVIEW): GrievanceStep(ANSWER, stamp="reviewed"),
    (S.IN_REVIEW, S.ANSWERED): GrievanceStep(DECIDE, stamp="answered", four_eyes=REVIEWER, event=NOTIFY_EVENT),
    **_COMMON,
}
# Every pair either kind may take (for reading; each kind is applied by its own table).
GRIEVANCE_TRANSITIONS: dict[tuple[str, str], GrievanceStep] = {**APPEAL_TRANSITIONS, **COMPLAINT_TRANSITIONS}


def _refuse(refused: Refused[Grievance, GrievanceStep]) -> GrievanceError:
    row = refused.row
    if refused.kind == Refusal.STALE:
        return GrievanceError(MSG_STALE, code="stale")
    if refused.kind == Refusal.FORBIDDEN:
        return GrievanceError(MSG_FORBIDDEN, code="forbidden")
    if refused.kind == Refusal.FOUR_EYES:
        return GrievanceError(MSG_FOUR_EYES, code="four_eyes")
    if row.kind == Kind.APPEAL and (row.status, refused.to) in COMPLAINT_TRANSITIONS:
        return GrievanceError(MSG_APPEAL_COMMITTEE, code="committee")
    return GrievanceError(
        MSG_NOT_ALLOWED % {"from": S(row.status).label, "to": S(refused.to).label}, code="not_allowed"
    )


def _own(actor: Actor, row: Grievance, step: GrievanceStep) -> bool:
    user = actor_user(actor)
    return step.by_member and user is not None and row.member.user_id == user.pk


def _history(moved: Moved[Grievance, GrievanceStep]) -> None:
    row = moved.row
    GrievanceTransition.objects.create(
        grievance=row, member_id=row.member_id, from_status=moved.frm, to_status=moved.to, version=row.version,
        actor_id=actor_id(moved.actor), at=moved.at,
    )  # fmt: skip


def _notify(moved: Moved[Grievance, GrievanceStep], event: str) -> None:
    grievance_notify(grievance=moved.row)


def _snapshot(row: Grievance) -> dict[str, Any]:
    return {"status": row.status, "version": row.version}


def _machine(table: Mapping[tuple[str, str], GrievanceStep]) -> Machine[Grievance, GrievanceStep]:
    return Machine(
        model=Grievance, table=table, refuse=_refuse, state_field="status", version="version", member="member_id",
        related=("member",), allowed_else=_own, record=_history, notify=_notify, snapshot=_snapshot,
    )  # fmt: skip


MACHINES = {Kind.COMPLAINT: _machine(COMPLAINT_TRANSITIONS), Kind.APPEAL: _machine(APPEAL_TRANSITIONS)}


def step_refusal(*, actor: Actor, grievance: Grievance, to: str) -> GrievanceError | None:
    """Why `actor` may not move `grievance` to `to` now; None when the step is allowed."""
    refused = transition_refusal(MACHINES[Kind(grievance.kind)], actor=actor, row=grievance, to=to)
    return None if refused is None else _refuse(refused)


def allowed_targets(*, actor: Actor, grievance: Grievance) -> list[str]:
    """The states `actor` may move this grievance to now (the verbs its page shows)."""
    return list(transition_targets(MACHINES[Kind(grievance.kind)], actor=actor, row=grievance))


def grievance_transition_apply(
    *,
    actor: Actor,
    grievance: Grievance,
    to: str,
    expected_version: int | None = None,
    changes: Callable[[Grievance], list[str]] | None = None,
    audit_extra: Mapping[str, Any] | None = None,
) -> Grievance:
    """The step inside the caller's transaction; `changes(locked)` sets the step's own fields and
    returns their names, `audit_extra` goes into the audit event (the answer's outcome and reason)."""
    return transition_apply(
        MACHINES[Kind(grievance.kind)], actor=actor, row=grievance, to=to, version=expected_version,
        changes=changes, audit_extra=(lambda _row: audit_extra) if audit_extra else None,
    )  # fmt: skip


def grievance_notify(*, grievance: Grievance) -> None:
    """Queue the member's e-mail and SMS (grievances.notifications renders them at send time)."""
    if notifications_enabled():
        notifications_enqueue(event=NOTIFY_EVENT, member_ids=[grievance.member_id],
                              params={"grievance": str(grievance.pk)})  # fmt: skip
