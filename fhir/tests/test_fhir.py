"""The FHIR R4 facade: resources built with fhir.resources, posted with the test client against the
real database, and every answer parsed back with fhir.resources (so it validates)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from accounts.models import Provider, User
from accounts.roles import Role
from accounts.tokens import api_token_create
from claims.tests.factories import holder, member_make
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.coverage import Coverage
from fhir.resources.R4B.coverageeligibilityrequest import CoverageEligibilityRequest
from fhir.resources.R4B.coverageeligibilityresponse import CoverageEligibilityResponse
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.practitioner import Practitioner
from fhir.systems import CARD_SYSTEM, FHIR_JSON, INPE_SYSTEM, REASON_SYSTEM
from members.services_rights import rights_suspension_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(make_user: Callable[..., User]) -> Client:
    provider = Provider.objects.create(inpe="100000001", name="Clinique Agdal", kind="clinic", sector="private",
                                       city="Rabat")  # fmt: skip
    user = make_user(Role.PROVIDER, provider_id=provider.pk)
    _token, plaintext = api_token_create(actor=None, user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")


def _card(**kwargs: Any) -> str:
    return str(holder(member_make(**kwargs)).card_number)


def _outcome(response: Any) -> OperationOutcome:
    assert response["Content-Type"].startswith(FHIR_JSON)
    return OperationOutcome.model_validate_json(response.content)


def _eligibility_request(card: str, on: str) -> CoverageEligibilityRequest:
    return CoverageEligibilityRequest.model_validate({
        "status": "active", "purpose": ["validation"], "created": "2026-06-01",
        "identifier": [{"system": "https://clinique-agdal.ma/req", "value": "REQ-1"}],
        "patient": {"reference": f"Patient/{card}"}, "servicedDate": on,
        "insurer": {"display": "Mutuelle"},
    })  # fmt: skip


def _post(client: Client, url: str, body: str | bytes, **extra: Any) -> Any:
    return client.post(url, body, content_type=FHIR_JSON, **extra)


def test_it_states_exactly_what_it_supports_in_a_valid_capability_statement(client: Client) -> None:
    response = client.get("/fhir/metadata")
    assert response.status_code == 200
    statement = CapabilityStatement.model_validate_json(response.content)
    resources = {r.type: sorted(i.code for i in r.interaction) for r in statement.rest[0].resource}
    assert resources == {
        "Patient": ["read", "search-type"], "Coverage": ["read", "search-type"],
        "CoverageEligibilityRequest": ["create"], "Claim": ["create"],
        "ClaimResponse": ["read"], "ExplanationOfBenefit": ["read"],
        "Organization": ["read", "search-type"], "Practitioner": ["read", "search-type"],
    }  # fmt: skip


def test_it_refuses_a_call_without_a_token_with_a_translated_outcome(client: Client) -> None:
    response = client.get("/fhir/Patient/100001-00", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 401
    issue = _outcome(response).issue[0]
    assert issue.code == "login" and "Authorization: Bearer" in issue.details.text


def test_it_reads_a_patient_with_the_name_in_both_scripts(api: Client) -> None:
    card = _card()
    response = api.get(f"/fhir/Patient/{card}")
    assert response.status_code == 200
    patient = Patient.model_validate_json(response.content)
    assert patient.identifier[0].system == CARD_SYSTEM and patient.identifier[0].value == card
    by_lang = {n.extension[0].valueCode: n for n in patient.name}
    assert by_lang["fr"].family == "Alaoui" and by_lang["ar"].family == "العلوي"
    assert patient.gender == "male" and str(patient.birthDate) == "1980-05-01"


def test_it_searches_patients_by_card_identifier(api: Client) -> None:
    card = _card()
    found = Bundle.model_validate_json(api.get("/fhir/Patient", {"identifier": f"{CARD_SYSTEM}|{card}"}).content)
    assert found.total == 1 and found.entry[0].resource.id == card
    other_system = Bundle.model_validate_json(api.get("/fhir/Patient", {"identifier": f"urn:x|{card}"}).content)
    assert other_system.total == 0


def test_it_answers_an_unknown_patient_with_a_404_outcome_in_arabic(api: Client) -> None:
    response = api.get("/fhir/Patient/999999-99", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 404
    issue = _outcome(response).issue[0]
    assert issue.code == "not-found" and issue.details.text == "لا يوجد أي مورد بهذا المعرف."


def test_it_reads_and_searches_coverage_active_while_covered_and_cancelled_when_suspended(api: Client) -> None:
    member = member_make(joined_on=dt.date(2020, 1, 1))
    card = holder(member).card_number
    coverage = Coverage.model_validate_json(api.get(f"/fhir/Coverage/{card}").content)
    assert coverage.status == "active" and coverage.beneficiary.reference == f"Patient/{card}"
    assert coverage.payor[0].identifier.value == "MUTUELLE"
    rights_suspension_open(member=member, starts_on=dt.date(2021, 1, 1))
    found = Bundle.model_validate_json(api.get("/fhir/Coverage", {"beneficiary": f"Patient/{card}"}).content)
    assert found.total == 1 and found.entry[0].resource.status == "cancelled"


def test_it_answers_eligibility_in_force_for_a_covered_beneficiary(api: Client) -> None:
    card = _card(joined_on=dt.date(2020, 1, 1))
    response = _post(
        api, "/fhir/CoverageEligibilityRequest", _eligibility_request(card, "2025-06-01").model_dump_json()
    )
    assert response.status_code == 200
    answer = CoverageEligibilityResponse.model_validate_json(response.content)
    assert answer.outcome == "complete" and answer.insurance[0].inforce is True and not answer.error
    assert answer.request.identifier.value == "REQ-1" and answer.patient.reference == f"Patient/{card}"


def test_it_maps_suspended_rights_to_not_in_force_with_the_reason_coding(api: Client) -> None:
    member = member_make(joined_on=dt.date(2020, 1, 1))
    rights_suspension_open(member=member, starts_on=dt.date(2025, 1, 1))
    body = _eligibility_request(holder(member).card_number, "2025-06-01").model_dump_json()
    response = _post(api, "/fhir/CoverageEligibilityRequest", body, HTTP_ACCEPT_LANGUAGE="fr")
    answer = CoverageEligibilityResponse.model_validate_json(response.content)
    assert answer.insurance[0].inforce is False
    coding = answer.error[0].code.coding[0]
    assert (coding.system, coding.code) == (REASON_SYSTEM, "RIGHTS_SUSPENDED") and coding.display


def test_it_answers_an_unknown_card_in_an_eligibility_request_with_a_404_outcome(api: Client) -> None:
    response = _post(
        api, "/fhir/CoverageEligibilityRequest", _eligibility_request("999999-99", "2025-06-01").model_dump_json()
    )
    assert response.status_code == 404 and _outcome(response).issue[0].code == "not-found"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{not json", 400, "structure"),
        (b"[1, 2]", 400, "structure"),
        (b'{"resourceType": "Claim"}', 400, "invalid"),
        (b'{"resourceType": "CoverageEligibilityRequest", "status": "active"}', 422, "invalid"),
        (
            b'{"resourceType": "CoverageEligibilityRequest", "status": "nonsense", "purpose": ["validation"],'
            b' "created": "2026-01-01", "patient": {"reference": "Patient/1"}, "insurer": {"display": "M"}}',
            422,
            "code-invalid",
        ),
        (
            b'{"resourceType": "CoverageEligibilityRequest", "servicedDate": "2026-13-45", "status": "active",'
            b' "patient": {"reference": "Patient/1"}, "insurer": {"display": "M"}}',
            422,
            "invalid",
        ),
    ],
)
def test_it_answers_an_invalid_resource_with_a_4xx_outcome_and_never_a_500(
    api: Client, body: bytes, status: int, code: str
) -> None:
    response = _post(api, "/fhir/CoverageEligibilityRequest", body, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == status
    issue = _outcome(response).issue[0]
    assert issue.code == code and issue.details.text


def test_it_translates_the_outcome_of_bad_json_into_french(api: Client) -> None:
    response = _post(api, "/fhir/CoverageEligibilityRequest", b"{", HTTP_ACCEPT_LANGUAGE="fr")
    assert _outcome(response).issue[0].details.text == "Le corps de la requête n'est pas du JSON valide."


def test_it_answers_an_unsupported_interaction_with_an_outcome(api: Client) -> None:
    response = api.get("/fhir/Claim/1")
    assert response.status_code == 404 and _outcome(response).issue[0].code == "not-supported"
    response = api.delete("/fhir/Patient/100001-00")
    assert response.status_code == 405


def test_it_finds_providers_by_inpe_a_doctor_as_practitioner_the_others_as_organization(api: Client) -> None:
    Provider.objects.create(inpe="200000002", name="Dr Bennani", kind="doctor", sector="private", city="Fès")
    clinic = Bundle.model_validate_json(
        api.get("/fhir/Organization", {"identifier": f"{INPE_SYSTEM}|100000001"}).content
    )
    assert clinic.total == 1 and clinic.entry[0].resource.name == "Clinique Agdal"
    doctor = Practitioner.model_validate_json(api.get("/fhir/Practitioner/200000002").content)
    assert doctor.identifier[0].value == "200000002" and doctor.name[0].text == "Dr Bennani"
    assert Organization.model_validate_json(api.get("/fhir/Organization/100000001").content).name == "Clinique Agdal"
    assert api.get("/fhir/Organization/200000002").status_code == 404  # a doctor is a Practitioner
    assert Bundle.model_validate_json(api.get("/fhir/Practitioner", {"identifier": "100000001"}).content).total == 0
