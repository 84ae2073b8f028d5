"""The file page's actions: verbs from the transition table, adjudication by the engine only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from claims.models import ClaimStatus, ClaimTransition
from claims.services import ClaimTransitionError, claim_transition
from claims.services.workflow import BATCH_ONLY, TRANSITIONS, VERBS, transitions_for
from claims.tests.factories import CONSULTATION, CONSULTATION_DECIDED, file_make, member_make

pytestmark = pytest.mark.django_db
S = ClaimStatus
BUTTON = re.compile(r'<button class="btn btn-outline-dark me-1" type="submit" name="to" value="(\w+)">([^<]*)</button>')


def _buttons(client: Any, pk: int, lang: str = "en") -> dict[str, str]:
    page = client.get(reverse("claims:detail", args=[pk]), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    return {to: label for to, label in BUTTON.findall(page)}


def test_it_offers_adjudicate_on_a_received_file_and_no_adjudicated_button(client_for) -> None:
    client = client_for(Role.CLAIMS_OFFICER)
    claim = file_make(member=member_make(), lines=[CONSULTATION])
    page = client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert reverse("claims:adjudicate", args=[claim.pk]) in page and ">Adjudicate</button>" in page
    buttons = _buttons(client, claim.pk)
    assert buttons == {S.INCOMPLETE: "Mark incomplete", S.CANCELLED: "Cancel the file"}
    assert ">Adjudicated<" not in page.split("<h2")[-2] and ">Rejected<" not in page


def test_it_refuses_a_forged_post_to_adjudicated_and_changes_nothing(client_for) -> None:
    client = client_for(Role.CLAIMS_OFFICER)
    claim = file_make(member=member_make(), lines=[CONSULTATION])
    url = reverse("claims:transition", args=[claim.pk])
    for forged in (S.ADJUDICATED, S.REJECTED, S.APPROVED):
        page = client.post(url, {"to": forged, "version": "1"}, follow=True).content.decode()
        claim.refresh_from_db()
        assert (claim.status, claim.version, claim.amo) == (S.RECEIVED, 1, 0), forged
    assert "Only the adjudication engine decides a received file" in page or "cannot go from" in page
    assert not ClaimTransition.objects.exists() and not AuditEvent.objects.filter(action="transition").exists()
    with pytest.raises(ClaimTransitionError) as err:
        claim_transition(actor=client.user, claim=claim, to=S.ADJUDICATED)
    assert err.value.code == "engine_only" and "Adjudicate" in str(err.value.message)


def test_it_shows_a_reception_agent_no_officer_verbs(client_for) -> None:
    client = client_for(Role.RECEPTION)
    received = file_make(member=member_make(), lines=[CONSULTATION])
    decided = file_make(
        member=member_make(), lines=[CONSULTATION], status=S.ADJUDICATED, reimbursed=CONSULTATION_DECIDED
    )
    incomplete = file_make(member=member_make(), lines=[CONSULTATION], status=S.INCOMPLETE)
    assert _buttons(client, received.pk) == {} and _buttons(client, decided.pk) == {}
    assert ">Adjudicate</button>" not in client.get(reverse("claims:detail", args=[received.pk])).content.decode()
    assert _buttons(client, incomplete.pk) == {S.RECEIVED: "Mark complete"}  # the pieces came to the counter


def test_it_labels_the_buttons_with_verbs_in_french_and_arabic(client_for) -> None:
    client = client_for(Role.CLAIMS_OFFICER)
    claim = file_make(member=member_make(), lines=[CONSULTATION], status=S.ADJUDICATED, reimbursed=CONSULTATION_DECIDED)
    fr, ar = _buttons(client, claim.pk, "fr"), _buttons(client, claim.pk, "ar")
    assert fr == {S.MEDICAL_REVIEW: "Envoyer au contrôle médical", S.APPROVED: "Accepter", S.REJECTED: "Rejeter",
                  S.RECEIVED: "Rouvrir pour liquidation"}  # fmt: skip
    assert ar == {S.MEDICAL_REVIEW: "إحالة على المراقبة الطبية", S.APPROVED: "قبول", S.REJECTED: "رفض",
                  S.RECEIVED: "إعادة الفتح للتصفية"}  # fmt: skip


def test_every_verb_is_a_table_transition_and_batch_moves_have_no_button(make_user) -> None:
    assert set(VERBS) <= set(TRANSITIONS) and not set(VERBS) & BATCH_ONLY
    assert (S.RECEIVED, S.ADJUDICATED) not in TRANSITIONS and (S.RECEIVED, S.REJECTED) not in TRANSITIONS
    accountant = make_user(Role.ACCOUNTANT)
    approved = file_make(member=member_make(), lines=[CONSULTATION], status=S.APPROVED, reimbursed=CONSULTATION_DECIDED)
    assert transitions_for(actor=accountant, claim=approved) == []
    with pytest.raises(ClaimTransitionError) as err:
        claim_transition(actor=accountant, claim=approved, to=S.IN_PAYMENT, manual=True)
    assert err.value.code == "batch_only"
    approved.refresh_from_db()
    assert approved.status == S.APPROVED
