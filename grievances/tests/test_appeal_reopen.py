"""An upheld appeal on an allowance refusal or a suspension of rights reopens the decision through
the owning app's services, in the answer's transaction; a rejected appeal changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from accounts.roles import Role
from allowances.models import AllowanceRequest, AllowanceTransition, RefusalReason, RequestState
from allowances.services.decisions import allowance_request_refuse
from allowances.services.requests import allowance_request_create
from allowances.tests.factories import death_type, family_make
from audit.models import AuditEvent
from grievances.models import AnswerReason, Channel, Grievance, Kind, Outcome, Status
from grievances.services import Answer, Contested, grievance_answer, grievance_file, grievance_review_start
from grievances.services.reopen import APPEAL_UPHELD
from grievances.tests.factories import NOW, category
from members.models import RightsSuspension
from members.services_rights import rights_suspension_open

pytestmark = pytest.mark.django_db

DIED = dt.date(2026, 6, 15)
SUSPENDED = dt.date(2026, 9, 1)


def _refused(make_user: Any) -> AllowanceRequest:
    request = allowance_request_create(actor=make_user(Role.RECEPTION), member=family_make(), type=death_type(),
                                       event_date=DIED, claimant_name="Khadija Alaoui")  # fmt: skip
    return allowance_request_refuse(actor=make_user(Role.ACCOUNTANT), request=request,
                                    reason=RefusalReason.DOCUMENTS_INVALID)  # fmt: skip


def _in_review(officer: Any, contested: Contested, member: Any, code: str) -> Grievance:
    appeal = grievance_file(actor=officer, member=member, kind=Kind.APPEAL, category=category(code),
                            channel=Channel.COUNTER, text="The decision is wrong.", contested=contested,
                            now=NOW)  # fmt: skip
    return grievance_review_start(actor=officer, grievance=appeal)


def _answer(committee: Any, appeal: Grievance, outcome: str) -> Grievance:
    return grievance_answer(actor=committee, grievance=appeal,
                            answer=Answer(outcome, AnswerReason.DOCUMENT_RECEIVED, "Decided."))  # fmt: skip


def test_it_sends_a_refused_allowance_back_to_review_when_the_appeal_is_upheld(make_user: Any) -> None:
    officer, committee = make_user(Role.ACCOUNTANT), make_user(Role.ACCOUNTANT)
    request = _refused(make_user)
    assert (request.state, request.refusal_reason) == (RequestState.REFUSED, RefusalReason.DOCUMENTS_INVALID)
    appeal = _in_review(officer, Contested(allowance_request=request), request.member, "allowance-decision")
    amounts = (request.gross, request.deductions, request.net)

    appeal = _answer(committee, appeal, Outcome.UPHELD)

    request.refresh_from_db()
    assert appeal.status == Status.ANSWERED
    assert (request.state, request.refusal_reason, request.checked_by_id) == (RequestState.RECEIVED, "", None)
    assert (request.gross, request.deductions, request.net) == amounts  # untouched: computed at the next check
    step = AllowanceTransition.objects.filter(request=request).latest("pk")
    assert (step.frm, step.to, step.actor_id) == (RequestState.REFUSED, RequestState.RECEIVED, committee.pk)
    assert appeal.number in step.note
    event = AuditEvent.objects.filter(object_id=str(request.pk), action="transition").latest("pk")
    assert event.before is not None and event.after is not None
    assert (event.before["state"], event.after["state"]) == ("refused", "received")


def test_it_leaves_a_refused_allowance_refused_when_the_appeal_is_rejected(make_user: Any) -> None:
    officer, committee = make_user(Role.ACCOUNTANT), make_user(Role.ACCOUNTANT)
    request = _refused(make_user)
    appeal = _in_review(officer, Contested(allowance_request=request), request.member, "allowance-decision")
    steps = AllowanceTransition.objects.filter(request=request).count()

    appeal = _answer(committee, appeal, Outcome.REJECTED)

    request.refresh_from_db()
    assert appeal.status == Status.ANSWERED and request.state == RequestState.REFUSED
    assert request.refusal_reason == RefusalReason.DOCUMENTS_INVALID
    assert AllowanceTransition.objects.filter(request=request).count() == steps


def test_it_lifts_a_suspension_from_its_second_day_when_the_appeal_is_upheld(make_user: Any) -> None:
    officer, committee = make_user(Role.ACCOUNTANT), make_user(Role.ACCOUNTANT)
    member = family_make()
    suspension = rights_suspension_open(member=member, starts_on=SUSPENDED)
    assert suspension.ends_on is None
    appeal = _in_review(officer, Contested(suspension=suspension), member, "suspension")

    appeal = _answer(committee, appeal, Outcome.UPHELD)

    suspension.refresh_from_db()
    assert appeal.status == Status.ANSWERED and suspension.ends_on == SUSPENDED + dt.timedelta(days=1)
    event = AuditEvent.objects.filter(object_id=str(suspension.pk), action="update").latest("pk")
    assert event.before is not None and event.after is not None
    assert event.note == APPEAL_UPHELD and event.after["grievance"] == appeal.number
    assert (event.before["ends_on"], event.after["ends_on"]) == (None, "2026-09-02")


def test_it_keeps_a_suspension_when_the_appeal_is_rejected(make_user: Any) -> None:
    officer, committee = make_user(Role.ACCOUNTANT), make_user(Role.ACCOUNTANT)
    member = family_make()
    suspension = rights_suspension_open(member=member, starts_on=SUSPENDED)
    appeal = _in_review(officer, Contested(suspension=suspension), member, "suspension")

    _answer(committee, appeal, Outcome.REJECTED)

    assert RightsSuspension.objects.get(pk=suspension.pk).ends_on is None
    assert not AuditEvent.objects.filter(object_id=str(suspension.pk), note=APPEAL_UPHELD).exists()
