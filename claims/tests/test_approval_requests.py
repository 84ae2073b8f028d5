"""Prior-approval requests taken by staff from the member's file; who may ask, what is shown."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.roles import Role
from claims.models import PriorApproval
from claims.services.approvals import ApprovalError, prior_approval_request
from claims.tests.factories import holder, member_make

pytestmark = pytest.mark.django_db


def test_it_takes_a_request_at_the_counter_and_hides_the_justification_from_non_medical_staff(
    client_for, make_user, client
) -> None:
    member = member_make()
    reception = client_for(Role.RECEPTION)
    url = reverse("claims:approval_request", args=[member.pk])
    assert reception.get(url).status_code == 200
    data = {"beneficiary": holder(member).pk, "kind": "stay", "code": "jour-rea", "justification": "Post-op"}
    response = reception.post(url, data)
    assert response.status_code == 302 and response.url == reverse("members:detail", args=[member.pk])
    pa = PriorApproval.objects.get(member=member)
    assert (pa.kind, pa.code, pa.status, pa.requested_by_id) == ("stay", "JOUR-REA", "requested", reception.user.pk)
    page = reception.get(response.url).content.decode()
    assert pa.number in page and "Post-op" not in page
    client.force_login(make_user(Role.MEDICAL_CONTROLLER))
    assert "Post-op" in client.get(response.url).content.decode()


def test_it_keeps_the_form_and_saves_nothing_on_a_code_needing_no_approval(client_for) -> None:
    member = member_make()
    officer = client_for(Role.CLAIMS_OFFICER)
    response = officer.post(
        reverse("claims:approval_request", args=[member.pk]),
        {"beneficiary": holder(member).pk, "kind": "act", "code": "CONS-G"},
    )
    assert response.status_code == 400 and "does not need a prior approval" in response.content.decode()
    assert not PriorApproval.objects.exists()


@pytest.mark.parametrize("role", [Role.ACCOUNTANT, Role.MEMBER, Role.AUDITOR])
def test_it_denies_the_request_form_to_roles_that_do_not_take_requests(client_for, role: Role) -> None:
    member = member_make()
    response = client_for(role).post(
        reverse("claims:approval_request", args=[member.pk]),
        {"beneficiary": holder(member).pk, "kind": "act", "code": "IRM"},
    )
    assert response.status_code == 403
    assert not PriorApproval.objects.exists()


def test_a_member_cannot_request_for_someone_outside_their_file(make_user) -> None:
    user = make_user(Role.MEMBER)
    member_make(user=user)
    stranger = holder(member_make())
    with pytest.raises(ApprovalError):
        prior_approval_request(actor=user, beneficiary=stranger, kind="act", code="IRM")
    assert not PriorApproval.objects.exists()
