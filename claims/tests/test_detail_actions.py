"""The claim file page offers the verbs of the transition table this user may take, and otherwise says who will."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.roles import Role
from claims.tests.factories import CONSULTATION, CONSULTATION_DECIDED, file_make, member_make

pytestmark = pytest.mark.django_db
FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}


def _page(client, claim) -> str:  # type: ignore[no-untyped-def]
    return client.get(reverse("claims:detail", args=[claim.pk]), **FR).content.decode()


def test_the_officer_sees_the_verbs_and_no_excuse(client_for) -> None:
    claim = file_make(member=member_make(), lines=[CONSULTATION], status="adjudicated", reimbursed=CONSULTATION_DECIDED)
    html = _page(client_for(Role.CLAIMS_OFFICER), claim)
    assert 'value="approved"' in html and 'value="rejected"' in html and 'id="why-no-action"' not in html


def test_approve_is_withheld_from_a_file_with_nothing_to_reimburse_and_the_page_says_why(client_for) -> None:
    claim = file_make(member=member_make(), lines=[CONSULTATION], status="adjudicated")
    html = _page(client_for(Role.CLAIMS_OFFICER), claim)
    assert 'value="approved"' not in html and 'value="rejected"' in html
    assert 'id="why-no-action"' in html


@pytest.mark.parametrize(
    ("role", "status", "words"),
    [
        (Role.RECEPTION, "adjudicated", "liquidateur"),
        (Role.CLAIMS_OFFICER, "medical_review", "médecin contrôleur"),
        (Role.AUDITOR, "approved", "lots de paiement"),
    ],
)
def test_a_user_who_may_not_act_is_told_who_will_instead_of_a_refused_button(
    client_for, role: Role, status: str, words: str
) -> None:  # fmt: skip
    claim = file_make(member=member_make(), lines=[CONSULTATION], status=status, reimbursed=CONSULTATION_DECIDED)
    html = _page(client_for(role), claim)
    assert 'name="to"' not in html and 'id="why-no-action"' in html and words in html
