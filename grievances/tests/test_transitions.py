"""The transition table: what it refuses, and that a refusal writes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from grievances.models import AnswerReason, Channel, Grievance, GrievanceTransition, Kind, Outcome, Status
from grievances.services import (
    Answer,
    Contested,
    GrievanceError,
    allowed_targets,
    grievance_answer,
    grievance_close,
    grievance_file,
    grievance_review_start,
    grievance_withdraw,
)
from grievances.tests.factories import NOW, category, decided_file, member_with_rib

pytestmark = pytest.mark.django_db
NO = Answer(Outcome.REJECTED, AnswerReason.RULES_APPLIED, "The rules in force were applied.")


def _complaint(actor: Any, member: Any) -> Grievance:
    return grievance_file(actor=actor, member=member, kind=Kind.COMPLAINT, category=category("reception"),
                          channel=Channel.COUNTER, text="Long wait.", now=NOW)  # fmt: skip


def _refused(code: str, call: Any, **kw: Any) -> None:
    before = (GrievanceTransition.objects.count(), AuditEvent.objects.count())
    with pytest.raises(GrievanceError) as exc:
        call(**kw)
    assert exc.value.code == code
    assert (GrievanceTransition.objects.count(), AuditEvent.objects.count()) == before


def test_it_refuses_moves_the_table_does_not_list(make_user: Any) -> None:
    officer = make_user(Role.CLAIMS_OFFICER)
    g = _complaint(officer, member_with_rib())
    _refused("not_allowed", grievance_close, actor=officer, grievance=g)  # filed -> closed
    g = grievance_withdraw(actor=officer, grievance=g)
    for call in (grievance_review_start, grievance_close, grievance_withdraw):
        _refused("not_allowed", call, actor=officer, grievance=g)  # withdrawn is final
    _refused("not_allowed", grievance_answer, actor=officer, grievance=g, answer=NO)


def test_it_answers_a_complaint_and_lets_the_member_close_it(make_user: Any) -> None:
    officer = make_user(Role.CLAIMS_OFFICER)
    member = member_with_rib(user=make_user(Role.MEMBER))
    g = _complaint(officer, member)
    _refused("forbidden", grievance_review_start, actor=member.user, grievance=g)
    _refused("forbidden", grievance_answer, actor=make_user(Role.RECEPTION), grievance=g, answer=NO)
    g = grievance_answer(actor=officer, grievance=g, answer=NO)  # a complaint may be answered at once
    assert (g.status, g.outcome, g.answered_by_id, g.version) == (Status.ANSWERED, "rejected", officer.pk, 2)
    assert allowed_targets(actor=member.user, grievance=g) == [Status.CLOSED]
    g = grievance_close(actor=member.user, grievance=g)
    assert list(g.transitions.values_list("from_status", "to_status")) == [
        ("filed", "answered"),
        ("answered", "closed"),
    ]


def test_it_sends_an_appeal_through_the_committee(make_user: Any) -> None:
    officer, committee, reception = (
        make_user(Role.CLAIMS_OFFICER),
        make_user(Role.CLAIMS_OFFICER),
        make_user(Role.RECEPTION),
    )
    member = member_with_rib()
    crown = decided_file(officer=officer, member=member).lines.get(position=1)
    g = grievance_file(actor=reception, member=member, kind=Kind.APPEAL, category=category("claim-decision"),
                       channel=Channel.COUNTER, text="Appeal.", contested=Contested(claim_line=crown),
                       now=NOW)  # fmt: skip
    _refused("committee", grievance_answer, actor=committee, grievance=g, answer=NO)  # not straight from filed
    _refused("forbidden", grievance_review_start, actor=reception, grievance=g)
    g = grievance_review_start(actor=officer, grievance=g)
    _refused("forbidden", grievance_answer, actor=reception, grievance=g, answer=NO)
    _refused("four_eyes", grievance_answer, actor=officer, grievance=g, answer=NO)
    g = grievance_answer(actor=committee, grievance=g, answer=NO)
    assert (g.status, g.reviewed_by_id, g.answered_by_id, g.revision_file_id) == (
        Status.ANSWERED, officer.pk, committee.pk, None)  # fmt: skip


def test_it_refuses_a_stale_version(make_user: Any) -> None:
    officer = make_user(Role.CLAIMS_OFFICER)
    g = _complaint(officer, member_with_rib())
    stale = g.version
    grievance_review_start(actor=officer, grievance=g)
    _refused("stale", grievance_answer, actor=officer, grievance=g, answer=NO, expected_version=stale)
