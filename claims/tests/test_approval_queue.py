"""The medical controllers' prior-approval queue: labelled fields, the member linked, the justification
for medical roles with each read logged, and a grant without dates refused on the field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from claims.models import PriorApproval
from claims.services.approvals import prior_approval_request
from claims.tests.factories import holder, member_make

pytestmark = pytest.mark.django_db
QUEUE = reverse("claims:approval_queue")
FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}


def _request(make_user) -> PriorApproval:  # type: ignore[no-untyped-def]
    member = member_make()
    return prior_approval_request(
        actor=make_user(Role.RECEPTION), beneficiary=holder(member), kind="act", code="IRM",
        justification="Lombalgie rebelle, suspicion de hernie",
    )  # fmt: skip


def test_it_shows_the_card_the_member_linked_the_date_and_the_justification_with_the_read_logged(
    client_for, make_user
) -> None:  # fmt: skip
    pa = _request(make_user)
    doctor = client_for(Role.MEDICAL_CONTROLLER)
    html = doctor.get(QUEUE, **FR).content.decode()
    assert f'<bdi class="code">{pa.beneficiary.card_number}</bdi>' in html
    assert reverse("members:detail", args=[pa.member_id]) in html
    assert timezone.localdate(pa.requested_at).isoformat() in html and "Lombalgie rebelle" in html
    for label in (
        "Valable à partir du",
        "Valable jusqu&#x27;au",
        "Quantité accordée",
        "Montant accordé (MAD)",
        "Note au dossier",
    ):
        assert f">{label}</label>" in html
    event = AuditEvent.objects.get(action="view_medical", object_type="claims.priorapproval")
    assert (event.object_id, event.member_id, event.actor_id) == (str(pa.pk), pa.member_id, doctor.user.pk)


def test_it_refuses_a_grant_without_dates_with_the_message_on_each_field(client_for, make_user) -> None:
    pa = _request(make_user)
    doctor = client_for(Role.MEDICAL_CONTROLLER)
    url = reverse("claims:approval_decide", args=[pa.pk])
    response = doctor.post(url, {f"pa{pa.pk}-decision": "grant", f"pa{pa.pk}-quantity": "1"}, **FR)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Indiquez le premier jour de validité pour donner l’accord." in html
    assert "Indiquez le dernier jour de validité pour donner l’accord." in html
    pa.refresh_from_db()
    assert pa.status == "requested"
    response = doctor.post(url, {
        f"pa{pa.pk}-decision": "grant", f"pa{pa.pk}-valid_from": "2026-01-10", f"pa{pa.pk}-valid_to": "2026-01-01",
        f"pa{pa.pk}-quantity": "1",
    }, **FR)  # fmt: skip
    assert response.status_code == 400 and "ne peut pas précéder le premier" in response.content.decode()
    response = doctor.post(url, {
        f"pa{pa.pk}-decision": "grant", f"pa{pa.pk}-valid_from": "2026-01-01", f"pa{pa.pk}-valid_to": "2026-03-31",
        f"pa{pa.pk}-quantity": "1", f"pa{pa.pk}-amount": "2000.00",
    })  # fmt: skip
    pa.refresh_from_db()
    assert response.status_code == 302 and pa.status == "granted"
    assert (pa.valid_from, pa.valid_to, pa.quantity_granted) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31), 1)


def test_a_refusal_needs_no_dates(client_for, make_user) -> None:
    pa = _request(make_user)
    doctor = client_for(Role.MEDICAL_CONTROLLER)
    doctor.post(reverse("claims:approval_decide", args=[pa.pk]), {f"pa{pa.pk}-decision": "refuse"})
    pa.refresh_from_db()
    assert pa.status == "refused"


@pytest.mark.parametrize("role", [Role.CLAIMS_OFFICER, Role.AUDITOR, Role.RECEPTION])
def test_other_roles_get_no_queue(client_for, make_user, role: Role) -> None:
    _request(make_user)
    assert client_for(role).get(QUEUE).status_code == 403
    assert not AuditEvent.objects.filter(action="view_medical").exists()
