"""Applications to a centre's programme: filing, assessment, decision, offers, enrolment, leaving.

Every state change of an application goes through `application_transition_apply`, which checks the
pair against APPLICATION_TRANSITIONS (the permission, whether the child's parent may make it, the
notification), records it in the audit trail and queues the family's notification, all in the
caller's transaction. The public services below are each one durable transaction; the waiting list
and its offers are in care.services_waiting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.services import audit_record, model_snapshot
from care.models import (
    Application,
    ApplicationState,
    Enrolment,
    EnrolmentState,
    LeaveReason,
    Programme,
    RefusalReason,
)
from care.selectors_centres import (
    care_medical_allowed,
    leaving_date,
    places_free,
)
from members.outbox import notifications_enabled, notifications_enqueue
from mutuelle import transitions
from mutuelle.errors import DomainError
from mutuelle.types import Actor


class CareError(DomainError):
    def __init__(self, message: Any, *, code: str = "") -> None:
        super().__init__(message)
        self.code = code


MSG_FORBIDDEN = _("You are not allowed to do this.")
MSG_STATE = _("This application cannot go from “%(from)s” to “%(to)s”.")
MSG_NO_PLACE = _("No place is free in this programme: put the child on the waiting list.")
MSG_QUEUE = _("Children are waiting for this programme: a place goes to the first of the waiting list.")
MSG_REASON = _("Give the reason of the refusal.")
MSG_LEAVE_REASON = _("Give the reason for leaving.")
MSG_APPOINTMENT = _("The assessment appointment must be in the future.")

CHANGE = "care.change_application"
DECIDE = "care.decide_application"
DECIDED = "decided"  # stamps decided_by / decided_at


@dataclass(frozen=True)
class Step(transitions.Step):
    """What an application state change needs and does: `event` is the family's notification
    (members.outbox), `stamp="decided"` a decision (decided_by / decided_at)."""

    family: bool = False  # the child's parent (the member's login) may also make it


A = ApplicationState
# Every state change of an application; a pair not listed is refused. Therapists (CHANGE) schedule
# and record assessments; the coordinator (DECIDE) decides, answers offers for the family and
# closes. The system (actor None: the daily run, an offer made when a place frees) may make any
# listed step.
APPLICATION_TRANSITIONS: dict[tuple[str, str], Step] = {
    (A.FILED, A.ASSESSMENT_SCHEDULED): Step(CHANGE, event="care.assessment"),
    (A.ASSESSMENT_SCHEDULED, A.ASSESSMENT_SCHEDULED): Step(CHANGE, event="care.assessment"),  # moved
    (A.ASSESSMENT_SCHEDULED, A.ASSESSED): Step(CHANGE),
    (A.FILED, A.REFUSED): Step(DECIDE, event="care.refused", stamp=DECIDED),
    (A.ASSESSED, A.REFUSED): Step(DECIDE, event="care.refused", stamp=DECIDED),
    (A.ASSESSED, A.WAITING): Step(DECIDE, event="care.waiting", stamp=DECIDED),
    (A.ASSESSED, A.ENROLLED): Step(DECIDE, event="care.admitted", stamp=DECIDED),
    (A.WAITING, A.OFFERED): Step(DECIDE, event="care.offered"),
    (A.OFFERED, A.ENROLLED): Step(DECIDE, family=True, event="care.admitted"),
    (A.OFFERED, A.CLOSED): Step(DECIDE, family=True, event="care.closed"),  # declined or not answered
    (A.FILED, A.CLOSED): Step(DECIDE, family=True),  # withdrawn
    (A.ASSESSMENT_SCHEDULED, A.CLOSED): Step(DECIDE, family=True),
    (A.ASSESSED, A.CLOSED): Step(DECIDE, family=True),
    (A.WAITING, A.CLOSED): Step(DECIDE, family=True),
    (A.ENROLLED, A.LEFT): Step("care.change_enrolment", event="care.left"),
}


def is_family(actor: Actor, application: Application) -> bool:
    """Is the actor the login of the member whose child this is?"""
    member = getattr(actor, "member", None) if actor is not None else None
    return member is not None and application.member_id is not None and member.pk == application.member_id


def _family_step(actor: Actor, application: Application, step: Step) -> bool:
    return step.family and is_family(actor, application)


def _refuse(refused: transitions.Refused[Application, Step]) -> CareError:
    if refused.kind == transitions.Refusal.NOT_ALLOWED:
        return CareError(MSG_STATE % {"from": A(refused.row.state).label, "to": A(refused.to).label}, code="state")
    return CareError(MSG_FORBIDDEN, code="forbidden")


def _notify(moved: transitions.Moved[Application, Step], event: str) -> None:
    app = moved.row
    if app.member_id is not None and notifications_enabled():
        notifications_enqueue(event=event, member_ids=[app.member_id], params={"application": str(app.pk)})


# The system (actor None: the daily run, an offer made when a place frees) may make any listed step.
APPLICATIONS = transitions.Machine(
    model=Application, table=APPLICATION_TRANSITIONS, refuse=_refuse, member="member_id",
    allowed_else=_family_step, notify=_notify,
)  # fmt: skip


def step_allowed(actor: Actor, application: Application, to: str) -> bool:
    return transitions.transition_allowed(APPLICATIONS, actor=actor, row=application, to=to)


def application_moves(*, actor: Actor, application: Application) -> set[str]:
    """The target states this actor may move the application to now (the page's verbs)."""
    return set(transitions.transition_targets(APPLICATIONS, actor=actor, row=application))


def application_transition_apply(
    *, actor: Actor, application: Application, to: str, note: str = "", changes: dict[str, Any] | None = None
) -> Application:
    """Move the application to `to` (locked, checked, audited, notified) in the caller's transaction.

    `changes` are other fields set in the same step (the appointment, the refusal reason...).
    """

    def _set(app: Application) -> list[str]:
        for name, value in (changes or {}).items():
            setattr(app, name, value)
        return list(changes or {})

    return transitions.transition_apply(APPLICATIONS, actor=actor, row=application, to=to, note=note, changes=_set)


def application_assessment_schedule(*, actor: Actor, application: Application, at: dt.datetime) -> Application:
    if at <= timezone.now():
        raise CareError(MSG_APPOINTMENT, code="appointment")
    with transaction.atomic(durable=True):
        return application_transition_apply(
            actor=actor, application=application, to=A.ASSESSMENT_SCHEDULED, changes={"assessment_at": at}
        )


def application_assess(*, actor: Actor, application: Application, note: str = "") -> Application:
    """The assessment took place; its note (medical) is kept only from a medical role."""
    changes = {"assessment_note": note.strip()} if note.strip() and care_medical_allowed(actor) else {}
    with transaction.atomic(durable=True):
        return application_transition_apply(actor=actor, application=application, to=A.ASSESSED, changes=changes)


def application_admit(*, actor: Actor, application: Application, starts_on: dt.date | None = None) -> Enrolment:
    """Admit an assessed child straight to a free place (only when nobody is waiting)."""
    with transaction.atomic(durable=True):
        programme = Programme.objects.select_for_update().get(pk=application.programme_id)
        if Application.objects.filter(programme=programme, state=A.WAITING).exists():
            raise CareError(MSG_QUEUE, code="queue")
        if places_free(programme=programme) <= 0:
            raise CareError(MSG_NO_PLACE, code="no_place")
        app = application_transition_apply(actor=actor, application=application, to=A.ENROLLED)
        return enrolment_open(actor=actor, application=app, starts_on=starts_on or timezone.localdate())


def enrolment_open(*, actor: Actor, application: Application, starts_on: dt.date) -> Enrolment:
    """The enrolment row of an application just moved to ENROLLED (in the caller's transaction)."""
    enrolment = Enrolment.objects.create(
        application=application,
        beneficiary_id=application.beneficiary_id,
        member_id=application.member_id,
        programme_id=application.programme_id,
        starts_on=starts_on,
        leaves_on=leaving_date(birth_date=application.birth_date, programme=application.programme),
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=enrolment,
        member_id=enrolment.member_id,
        after=model_snapshot(enrolment),
    )
    return enrolment


def application_wait(*, actor: Actor, application: Application) -> Application:
    """Put an assessed child on the waiting list; a place already free is offered at once."""
    from care.services_waiting import places_fill

    with transaction.atomic(durable=True):
        app = application_transition_apply(
            actor=actor, application=application, to=A.WAITING, changes={"waiting_since": timezone.now()}
        )
        places_fill(programme=app.programme, on=timezone.localdate())
    return app


def application_refuse(*, actor: Actor, application: Application, reason: str) -> Application:
    if reason not in RefusalReason.values:
        raise CareError(MSG_REASON, code="reason")
    with transaction.atomic(durable=True):
        return application_transition_apply(
            actor=actor, application=application, to=A.REFUSED, changes={"refusal_reason": reason}, note=reason
        )


def application_withdraw(*, actor: Actor, application: Application) -> Application:
    with transaction.atomic(durable=True):
        return application_transition_apply(actor=actor, application=application, to=A.CLOSED, note="withdrawn")


def enrolment_leave(
    *, actor: Actor, enrolment: Enrolment, reason: str, on: dt.date | None = None, fill: bool = True
) -> Enrolment:
    """A child leaves its programme; the place freed goes to the first of the waiting list."""
    if reason not in LeaveReason.values:
        raise CareError(MSG_LEAVE_REASON, code="reason")
    with transaction.atomic(durable=True):
        return enrolment_close(
            actor=actor, enrolment=enrolment, reason=reason, on=on or timezone.localdate(), fill=fill
        )


def enrolment_close(*, actor: Actor, enrolment: Enrolment, reason: str, on: dt.date, fill: bool = True) -> Enrolment:
    """enrolment_leave in the caller's transaction (the daily run closes the age-outs with it)."""
    from care.services_waiting import places_fill

    row = Enrolment.objects.select_for_update().select_related("application", "programme").get(pk=enrolment.pk)
    if row.state != EnrolmentState.ACTIVE:
        raise CareError(MSG_STATE % {"from": A.LEFT.label, "to": A.LEFT.label}, code="state")
    before = model_snapshot(row)
    application_transition_apply(actor=actor, application=row.application, to=A.LEFT, note=reason)
    row.state, row.ends_on, row.leave_reason = EnrolmentState.LEFT, on, reason
    row.save(update_fields=["state", "ends_on", "leave_reason"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=row,
        member_id=row.member_id,
        before=before,
        after=model_snapshot(row),
        note=reason,
    )
    if fill:
        places_fill(programme=row.programme, on=on)
    return row
