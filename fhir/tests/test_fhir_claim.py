"""Claim → ClaimResponse through the REST API's intake service; figures worked by hand from the
seeded referentials, as in claims/tests/test_provider_api.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Provider, User
from accounts.roles import Role
from accounts.tokens import api_token_create
from claims.models import ClaimFile, MedicalNote
from claims.tests.factories import holder, member_make
from fhir.resources.R4B.claim import Claim
from fhir.resources.R4B.claimresponse import ClaimResponse
from fhir.resources.R4B.explanationofbenefit import ExplanationOfBenefit
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.systems import ACT_SYSTEM, FHIR_JSON

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(make_user: Callable[..., User]) -> Callable[[str], Client]:
    def make(inpe: str) -> Client:
        provider = Provider.objects.create(inpe=inpe, name="Clinique", kind="clinic", sector="private", city="Rabat")
        _token, plaintext = api_token_create(actor=None, user=make_user(Role.PROVIDER, provider_id=provider.pk))
        return Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")

    return make


def _claim(card: str, ref: str = "FAC-1", code: str = "CONS-G", system: str = ACT_SYSTEM) -> Claim:
    day = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    return Claim.model_validate({
        "status": "active", "use": "claim", "created": day, "priority": {"coding": [{"code": "normal"}]},
        "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "professional"}]},
        "identifier": [{"system": "https://clinique.ma/invoice", "value": ref}],
        "patient": {"reference": f"Patient/{card}"}, "provider": {"display": "Clinique"},
        "insurance": [{"sequence": 1, "focal": True, "coverage": {"reference": f"Coverage/{card}"}}],
        "diagnosis": [{"sequence": 1, "diagnosisCodeableConcept": {"text": "Angine"}}],
        "item": [{"sequence": 1, "productOrService": {"coding": [{"system": system, "code": code}]},
                  "servicedDate": day, "net": {"value": Decimal("150.00"), "currency": "MAD"}}],
    })  # fmt: skip


def _post(client: Client, claim: Claim | bytes) -> Any:
    body = claim if isinstance(claim, bytes) else claim.model_dump_json()
    return client.post("/fhir/Claim", body, content_type=FHIR_JSON)


def _amounts(answer: ClaimResponse) -> dict[str, str]:
    return {a.category.coding[0].code: f"{a.amount.value:.2f}" for a in answer.item[0].adjudication}


def test_it_files_a_claim_and_answers_basic_complementary_and_remainder_worked_by_hand(api) -> None:
    card = holder(member_make()).card_number
    response = _post(api("100000001"), _claim(card))
    assert response.status_code == 201, response.content
    answer = ClaimResponse.model_validate_json(response.content)
    # CONS-G = C x 1 = 80.00 (basis, below the 150.00 paid); AMO 80 % = 64.00; complementary +10.00 flat;
    # remainder 150.00 - 64.00 - 10.00 = 76.00.
    assert _amounts(answer) == {"basis": "80.00", "basic": "64.00", "complementary": "10.00", "remainder": "76.00"}
    assert all(a.amount.currency == "MAD" for a in answer.item[0].adjudication)
    claim = ClaimFile.objects.get()
    assert answer.id == claim.number and claim.external_ref == "FAC-1"
    # The diagnosis is taken (medical note) and never answered to the provider.
    assert MedicalNote.objects.get(file=claim).diagnosis == "Angine" and b"Angine" not in response.content


def test_it_answers_the_same_claim_response_for_the_same_identifier_and_files_once(api) -> None:
    client = api("100000001")
    card = holder(member_make()).card_number
    first = ClaimResponse.model_validate_json(_post(client, _claim(card)).content)
    again = _post(client, _claim(card))
    assert again.status_code == 200 and ClaimFile.objects.count() == 1
    answer = ClaimResponse.model_validate_json(again.content)
    assert answer.id == first.id and _amounts(answer) == _amounts(first)


def test_it_files_another_providers_same_identifier_as_its_own_claim(api) -> None:
    card = holder(member_make()).card_number
    first = ClaimResponse.model_validate_json(_post(api("100000001"), _claim(card)).content)
    other = _post(api("100000002"), _claim(card))
    assert other.status_code == 201 and ClaimResponse.model_validate_json(other.content).id != first.id
    assert ClaimFile.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "expression"),
    [
        ({"system": "urn:other"}, "Claim.item[0].productOrService"),
        ({"card": "999999-99"}, "Claim.patient"),
    ],
)
def test_it_answers_an_unknown_code_or_card_with_a_422_outcome_and_files_nothing(
    api, change: dict[str, str], expression: str
) -> None:
    card = change.get("card") or holder(member_make()).card_number
    response = _post(api("100000001"), _claim(card, system=change.get("system", ACT_SYSTEM)))
    assert response.status_code == 422
    assert expression in OperationOutcome.model_validate_json(response.content).issue[0].expression
    assert not ClaimFile.objects.exists()


def test_it_answers_a_claim_without_required_elements_with_a_422_outcome(api) -> None:
    response = _post(api("100000001"), b'{"resourceType": "Claim", "status": "active"}')
    assert response.status_code == 422 and not ClaimFile.objects.exists()
    assert OperationOutcome.model_validate_json(response.content).issue[0].code == "invalid"


@pytest.mark.parametrize("net", ["1e400", "1e30", "-5", "0.001", "NaN", "-Infinity"])
def test_it_answers_a_hostile_amount_with_a_4xx_outcome_and_files_nothing(api, net: str) -> None:
    body = _claim(holder(member_make()).card_number).model_dump_json().replace('"value":150.0', f'"value":{net}')
    assert f'"value":{net}' in body
    response = _post(api("100000001"), body.encode())
    assert 400 <= response.status_code < 500 and not ClaimFile.objects.exists()
    assert OperationOutcome.model_validate_json(response.content).issue


def test_it_reads_a_claim_response_back_for_its_provider_only(api) -> None:
    own, other = api("100000001"), api("100000002")
    filed = ClaimResponse.model_validate_json(_post(own, _claim(holder(member_make()).card_number)).content)
    response = own.get(f"/fhir/ClaimResponse/{filed.id}")
    assert response.status_code == 200
    answer = ClaimResponse.model_validate_json(response.content)
    assert _amounts(answer) == _amounts(filed) and answer.request.identifier.value == "FAC-1"
    refused = other.get(f"/fhir/ClaimResponse/{filed.id}")
    assert (
        refused.status_code == 404
        and OperationOutcome.model_validate_json(refused.content).issue[0].code == "not-found"
    )


def test_it_explains_a_decided_file_to_its_provider_only(api) -> None:
    own, other = api("100000001"), api("100000002")
    filed = ClaimResponse.model_validate_json(_post(own, _claim(holder(member_make()).card_number)).content)
    assert ClaimFile.objects.get().status == "adjudicated"
    response = own.get(f"/fhir/ExplanationOfBenefit/{filed.id}")
    assert response.status_code == 200
    eob = ExplanationOfBenefit.model_validate_json(response.content)
    item = eob.item[0]
    assert item.productOrService.coding[0].code == "CONS-G" and f"{item.net.value:.2f}" == "150.00"
    amounts = {a.category.coding[0].code: f"{a.amount.value:.2f}" for a in item.adjudication}
    assert amounts == {"basis": "80.00", "basic": "64.00", "complementary": "10.00", "remainder": "76.00"}
    assert b"Angine" not in response.content
    assert other.get(f"/fhir/ExplanationOfBenefit/{filed.id}").status_code == 404


def test_it_refuses_the_same_identifier_for_another_card_with_a_409_outcome(api) -> None:
    client = api("100000001")
    _post(client, _claim(holder(member_make()).card_number))
    response = _post(client, _claim(holder(member_make()).card_number))
    assert response.status_code == 409 and ClaimFile.objects.count() == 1
    assert OperationOutcome.model_validate_json(response.content).issue[0].code == "conflict"


def test_it_gives_a_refused_lines_reason_as_a_coding_with_its_label(api) -> None:
    response = _post(api("100000001"), _claim(holder(member_make()).card_number, code="ZZZ-99"))
    answer = ClaimResponse.model_validate_json(response.content)
    reasons = [a.reason.coding[0] for a in answer.item[0].adjudication if a.reason]
    assert reasons and reasons[0].code == "UNKNOWN_CODE" and reasons[0].display
    assert _amounts(answer)["basic"] == "0.00" and _amounts(answer)["remainder"] == "150.00"


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1e300", "2.5", "0"])
def test_it_answers_a_hostile_quantity_with_a_4xx_outcome_and_files_nothing(api, value: str) -> None:
    body = _claim(holder(member_make()).card_number).model_dump_json()
    body = body.replace('"net":', f'"quantity":{{"value":{value}}},"net":')
    response = _post(api("100000001"), body.encode())
    assert 400 <= response.status_code < 500 and not ClaimFile.objects.exists()
    assert OperationOutcome.model_validate_json(response.content).issue


def test_it_replays_the_first_answer_for_the_same_idempotency_key_and_refuses_another_body(api) -> None:
    client = api("100000001")
    card = holder(member_make()).card_number
    body = _claim(card, ref="FAC-IDEM").model_dump_json()
    first = client.post("/fhir/Claim", body, content_type=FHIR_JSON, HTTP_IDEMPOTENCY_KEY="fhir-key-1")
    again = client.post("/fhir/Claim", body, content_type=FHIR_JSON, HTTP_IDEMPOTENCY_KEY="fhir-key-1")
    assert first.status_code == 201 and again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.content == first.content
    other = _claim(card, ref="FAC-OTHER").model_dump_json()
    refused = client.post("/fhir/Claim", other, content_type=FHIR_JSON, HTTP_IDEMPOTENCY_KEY="fhir-key-1")
    assert refused.status_code == 409
    assert OperationOutcome.model_validate_json(refused.content).issue[0].code == "conflict"
    assert ClaimFile.objects.count() == 1
