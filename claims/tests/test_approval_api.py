"""The provider API's prior approvals: a provider requests, a medical controller decides through the
service, the provider reads the decision (never the justification nor the doctor's note); retries
by external_ref and Idempotency-Key create nothing; another provider's number is a 404; refusals
on each field in the caller's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Provider, User
from accounts.roles import Role
from accounts.tokens import api_token_create
from audit.models import AuditEvent
from claims.models import PriorApproval
from claims.models.medical import RefusalReason
from claims.services.approvals import prior_approval_decide
from claims.tests.factories import holder, member_make
from members.models import RightsSuspension

pytestmark = pytest.mark.django_db
URL = "/api/v1/prior-approvals"
SECRET = "Lombalgie rebelle, suspicion de hernie discale"
NOTE = "Pas d'indication chirurgicale avant kinésithérapie"


@pytest.fixture
def api(make_user: Callable[..., User]) -> Callable[..., Client]:
    """A client holding the token of a new provider user, of a new clinic."""

    def make() -> Client:
        provider = Provider.objects.create(
            inpe=f"{Provider.objects.count() + 200000001}", name="Clinique Agdal", kind="clinic", sector="private"
        )
        user = make_user(Role.PROVIDER, provider_id=provider.pk)
        _token, plaintext = api_token_create(actor=None, user=user)
        client = Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
        client.provider = provider  # type: ignore[attr-defined]
        return client

    return make


def _body(card: str, ref: str = "EP-2026-0001", **extra: Any) -> dict[str, Any]:
    day = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    return {"card_number": card, "kind": "act", "code": "irm", "quantity": 1, "care_date": day,
            "external_ref": ref, "justification": SECRET, **extra}  # fmt: skip


def _post(client: Client, body: Any, **extra: Any) -> Any:
    return client.post(URL, body, content_type="application/json", **extra)


def test_it_records_a_request_the_staff_decides_and_the_provider_reads_the_refusal_reason(api, make_user) -> None:
    client = api()
    ben = holder(member_make())
    response = _post(client, _body(ben.card_number))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "requested" and body["number"].startswith("PA-") and body["code"] == "IRM"
    assert body["decided_at"] is None and body["refusal_reason"] is None
    pa = PriorApproval.objects.get()
    assert (pa.provider, pa.external_ref, pa.justification, pa.beneficiary) == (
        client.provider,
        "EP-2026-0001",
        SECRET,
        ben,
    )
    event = AuditEvent.objects.get(object_type="claims.priorapproval", action="create")
    assert SECRET not in str(event.after)  # the audit trail masks the doctors' words

    prior_approval_decide(actor=make_user(Role.MEDICAL_CONTROLLER), approval=pa, grant=False, note=NOTE,
                          reason="alternative")  # fmt: skip
    read = client.get(f"{URL}/{pa.number.lower()}", HTTP_ACCEPT_LANGUAGE="fr")
    assert read.status_code == 200
    decision = read.json()
    assert decision["status"] == "refused" and decision["status_label"] == "Refusé"
    assert decision["decided_at"] is not None and decision["refusal_reason"] == "alternative"
    with translation.override("fr"):  # a new msgid: its French arrives with the lead's .po merge
        assert decision["refusal_reason_label"] == str(RefusalReason.ALTERNATIVE.label)
    text = read.content.decode()
    assert SECRET not in text and NOTE not in text and "justification" not in text


def test_it_shows_a_grant_with_its_dates_quantity_and_amount_and_lists_by_status(api, make_user) -> None:
    client = api()
    first = _post(client, _body(holder(member_make()).card_number, "A1", quantity=3)).json()
    _post(client, _body(holder(member_make()).card_number, "A2"))
    pa = PriorApproval.objects.get(number=first["number"])
    start = timezone.localdate()
    prior_approval_decide(actor=make_user(Role.MEDICAL_CONTROLLER), approval=pa, grant=True, valid_from=start,
                          valid_to=start + dt.timedelta(days=60), quantity=2, amount="1200.50")  # fmt: skip
    granted = client.get(URL, {"status": "granted"}).json()
    assert [g["number"] for g in granted["items"]] == [pa.number]
    item = granted["items"][0]
    assert (item["quantity_requested"], item["quantity_granted"], item["amount_granted"]) == (3, 2, "1200.50")
    assert item["valid_to"] == (start + dt.timedelta(days=60)).isoformat() and item["refusal_reason"] is None
    assert client.get(URL).json()["count"] == 2
    assert client.get(URL, {"status": "requested"}).json()["count"] == 1
    assert client.get(URL, {"status": "lost"}).status_code == 422


def test_it_answers_the_first_request_again_for_the_same_external_ref_and_creates_nothing(api) -> None:
    client = api()
    card = holder(member_make()).card_number
    first = _post(client, _body(card))
    again = _post(client, _body(card, quantity=4))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["number"] == first.json()["number"] and again.json()["quantity_requested"] == 1
    assert PriorApproval.objects.count() == 1
    other_card = _post(client, _body(holder(member_make()).card_number))
    assert other_card.status_code == 409 and PriorApproval.objects.count() == 1
    # Another provider may use the same reference for its own request.
    assert _post(api(), _body(card)).status_code == 201 and PriorApproval.objects.count() == 2


def test_it_replays_the_first_answer_for_the_same_idempotency_key(api) -> None:
    client = api()
    card = holder(member_make()).card_number
    first = _post(client, _body(card, "K1"), HTTP_IDEMPOTENCY_KEY="key-1")
    again = _post(client, _body(card, "K1"), HTTP_IDEMPOTENCY_KEY="key-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true" and again.json() == first.json()
    other = _post(client, _body(card, "K2"), HTTP_IDEMPOTENCY_KEY="key-1")
    assert other.status_code == 409 and PriorApproval.objects.count() == 1


def test_it_answers_404_for_another_providers_number_as_for_an_unknown_one(api) -> None:
    mine, theirs = api(), api()
    number = _post(theirs, _body(holder(member_make()).card_number)).json()["number"]
    stolen, unknown = mine.get(f"{URL}/{number}"), mine.get(f"{URL}/PA-0000000000")
    assert stolen.status_code == unknown.status_code == 404
    assert stolen.json()["detail"] == unknown.json()["detail"]
    assert stolen.headers["Content-Type"].startswith("application/problem+json")
    assert mine.get(URL).json()["count"] == 0
    assert Client().get(URL).status_code == 401


def test_it_refuses_unknown_card_and_code_with_each_field_in_french_and_arabic(api) -> None:
    client = api()
    bad = _body("999999-99", code="NOPE")
    fr = _post(client, bad, HTTP_ACCEPT_LANGUAGE="fr")
    assert fr.status_code == 422 and fr.headers["Content-Type"].startswith("application/problem+json")
    errors = {e["field"]: e for e in fr.json()["errors"]}
    assert errors["card_number"]["code"] == "unknown_card"
    assert errors["card_number"]["message"] == "Aucun bénéficiaire n'a ce numéro de carte."
    assert errors["code"]["code"] == "unknown_code"
    ar = _post(client, bad, HTTP_ACCEPT_LANGUAGE="ar").json()
    assert {e["field"]: e["message"] for e in ar["errors"]}["card_number"] == "لا يوجد أي مستفيد بهذا الرقم للبطاقة."
    assert ar["title"] != fr.json()["title"]
    not_needed = _post(client, _body(holder(member_make()).card_number, code="CONS-G"), HTTP_ACCEPT_LANGUAGE="fr")
    assert [e["code"] for e in not_needed.json()["errors"]] == ["not_needed"]
    assert not PriorApproval.objects.exists()


def test_it_refuses_a_beneficiary_whose_rights_are_suspended(api) -> None:
    member = member_make()
    RightsSuspension.objects.create(member=member, starts_on=timezone.localdate() - dt.timedelta(days=30))
    response = _post(api(), _body(holder(member).card_number), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("card_number", "rights_suspended")
    assert error["message"] == "Droits suspendus à la date des soins"
    assert not PriorApproval.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"quantity": 10**30}, "quantity", "too_large_number"),
        ({"quantity": "2"}, "quantity", "invalid_integer"),
        ({"quantity": 0}, "quantity", "must_be_positive"),
        ({"kind": "surgery"}, "kind", "invalid_choice"),
        ({"card_number": 100001}, "card_number", "invalid_type"),
        ({"care_date": "9999-12-31"}, "care_date", "date_out_of_range"),
        ({"care_date": 20260101}, "care_date", "invalid_date"),
        ({"external_ref": "x" * 65}, "external_ref", "text_too_long"),
        ({"justification": "y" * 2001}, "justification", "text_too_long"),
        ({"externalRef": "A"}, "externalRef", "unknown_field"),
    ],
)
def test_it_refuses_hostile_fields_and_creates_nothing(api, change: dict[str, Any], field: str, code: str) -> None:
    response = _post(api(), _body(holder(member_make()).card_number, **change))
    assert response.status_code == 422, response.content
    assert {"field": field, "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in response.json()["errors"]
    ]
    assert not PriorApproval.objects.exists()


def test_it_refuses_nul_bytes_and_bodies_that_are_not_json(api) -> None:
    client = api()
    card = holder(member_make()).card_number
    nul = _post(client, '{"card_number": "' + card + '\\u0000", "kind": "act"}')
    assert nul.status_code == 400
    assert _post(client, b"not json").status_code == 400
    assert _post(client, [1, 2]).status_code == 422
    assert not PriorApproval.objects.exists()


def test_it_takes_the_refusal_reason_from_the_queue_page_and_refuses_an_unknown_one(api, client_for) -> None:
    number = _post(api(), _body(holder(member_make()).card_number)).json()["number"]
    pa = PriorApproval.objects.get(number=number)
    doctor = client_for(Role.MEDICAL_CONTROLLER)
    url = reverse("claims:approval_decide", args=[pa.pk])
    assert doctor.post(url, {f"pa{pa.pk}-decision": "refuse", f"pa{pa.pk}-reason": "lost"}).status_code == 400
    pa.refresh_from_db()
    assert pa.status == "requested"
    doctor.post(url, {f"pa{pa.pk}-decision": "refuse", f"pa{pa.pk}-reason": "quantity", f"pa{pa.pk}-note": NOTE})
    pa.refresh_from_db()
    assert (pa.status, pa.refusal_reason, pa.decision_note) == ("refused", "quantity", NOTE)


def test_it_keeps_a_refusal_reason_only_on_refused_requests_in_the_database(api) -> None:
    _post(api(), _body(holder(member_make()).card_number))
    with pytest.raises(IntegrityError), transaction.atomic():
        PriorApproval.objects.update(refusal_reason="other")
    with pytest.raises(IntegrityError), transaction.atomic():
        PriorApproval.objects.update(quantity_requested=0)
