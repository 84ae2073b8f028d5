"""Staff endpoints of the REST API: member search and file, claim files, with the pages' permissions,
medical fields for medical roles only (their reads logged), constant query counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from accounts.models import ApiTokenScope, Provider, User
from accounts.roles import Role
from accounts.tokens import api_token_create
from audit.models import AuditEvent
from claims.models import AldRecognition, MedicalNote
from claims.tests.factories import CONSULTATION, file_make, holder, member_make
from members.services import member_search_text_refresh

pytestmark = pytest.mark.django_db
MEMBERS, CLAIMS = "/api/v1/staff/members", "/api/v1/staff/claims"


@pytest.fixture
def staff(make_user: Callable[..., User]) -> Callable[..., Client]:
    def make(role: Role, scope: str = ApiTokenScope.STAFF_READ) -> Client:
        _token, plaintext = api_token_create(actor=None, user=make_user(role), scope=scope)
        return Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}", HTTP_ACCEPT_LANGUAGE="en")

    return make


def _medical_reads() -> int:
    return AuditEvent.objects.filter(action="view_medical").count()


def test_it_refuses_provider_tokens_and_staff_tokens_on_provider_endpoints(
    staff: Callable[..., Client], make_user: Callable[..., User]
) -> None:
    provider = Provider.objects.create(inpe="200000031", name="Labo Sud", kind="lab", sector="private")
    _t, plaintext = api_token_create(actor=None, user=make_user(Role.PROVIDER, provider_id=provider.pk))
    as_provider = Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert as_provider.get(MEMBERS).status_code == 401 and as_provider.get(CLAIMS).status_code == 401
    officer = staff(Role.CLAIMS_OFFICER)
    assert officer.get("/api/v1/claims/").status_code == 401 and officer.get(MEMBERS).status_code == 200
    assert staff(Role.CLAIMS_OFFICER, ApiTokenScope.STAFF_WRITE).get(CLAIMS).status_code == 200


def test_it_searches_members_as_the_list_page_with_constant_queries(
    staff: Callable[..., Client], django_assert_max_num_queries: Any
) -> None:
    members = [member_make() for _ in range(3)]
    for member in members:  # the factory writes rows directly; the services keep the search text
        member_search_text_refresh(member=member)
    reception = staff(Role.RECEPTION)
    number = members[1].membership_number
    body = reception.get(MEMBERS, {"q": number}).json()
    assert body["count"] == 1 and body["items"][0]["id"] == members[1].pk
    assert body["items"][0]["last_name"] == "Alaoui" and body["items"][0]["administration"] == "MEF"
    assert reception.get(MEMBERS, {"q": "alaoui"}).json()["count"] == 3
    assert reception.get(MEMBERS, {"q": "العلوي"}).json()["count"] == 3
    reception.get(MEMBERS)
    with django_assert_max_num_queries(8):  # token, rate, perms (2), count, page, holders: whatever the page
        first = reception.get(MEMBERS, {"page_size": 2}).json()
    for _ in range(10):
        member_make()
    with django_assert_max_num_queries(8):
        big = reception.get(MEMBERS, {"page_size": 10}).json()
    assert len(first["items"]) == 2 and len(big["items"]) == 10 and big["count"] == 13
    assert staff(Role.CENTRE_COORDINATOR).get(MEMBERS).status_code == 403  # no members.view_member


def test_it_reads_a_members_file_with_the_ald_for_medical_roles_only_and_logs_it(
    staff: Callable[..., Client],
) -> None:
    member = member_make()
    AldRecognition.objects.create(member_id=member.pk, beneficiary=holder(member), code="ALD12",
                                  valid_from=dt.date(2025, 1, 1))  # fmt: skip
    url = f"{MEMBERS}/{member.pk}"
    before = _medical_reads()
    plain = staff(Role.CLAIMS_OFFICER).get(url)
    body = plain.json()
    assert plain.status_code == 200 and body["membership_number"] == member.membership_number
    assert body["ald"] is None and "ALD12" not in plain.content.decode() and _medical_reads() == before
    assert body["beneficiaries"][0]["covered_today"] is True and body["status_history"][0]["status"] == "active"
    medical = staff(Role.MEDICAL_CONTROLLER).get(url).json()
    assert medical["ald"][0]["code"] == "ALD12" and _medical_reads() == before + 1
    assert staff(Role.RECEPTION).get(f"{MEMBERS}/{member.pk + 999}").status_code == 404
    assert staff(Role.THERAPIST).get(url).status_code == 403


def test_it_lists_claim_files_with_constant_queries_and_filters(
    staff: Callable[..., Client], django_assert_max_num_queries: Any
) -> None:
    member, other = member_make(), member_make()
    file_make(member=member, lines=[CONSULTATION], status="approved", reimbursed=("64.00", "10.00"))
    file_make(member=member, lines=[CONSULTATION])
    file_make(member=other, lines=[CONSULTATION])
    auditor = staff(Role.AUDITOR)
    auditor.get(CLAIMS)
    with django_assert_max_num_queries(7):  # token, rate, perms (2), count, page with member and card
        every = auditor.get(CLAIMS).json()
    assert every["count"] == 3 and every["items"][0]["paid"] == "100.00"
    mine = auditor.get(CLAIMS, {"member": member.pk, "status": "approved"}).json()
    assert mine["count"] == 1 and mine["items"][0]["amo"] == "64.00" and mine["items"][0]["complementary"] == "10.00"
    refused = auditor.get(CLAIMS, {"status": "nonsense"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "status"
    assert staff(Role.MANAGER).get(CLAIMS).status_code == 403


def test_it_reads_a_claim_file_with_the_diagnosis_and_ald_for_medical_roles_only(
    staff: Callable[..., Client],
) -> None:
    member = member_make()
    claim = file_make(member=member, lines=[{**CONSULTATION, "ald": "ALD12"}], status="approved",
                      reimbursed=("64.00", "10.00"))  # fmt: skip
    MedicalNote.objects.create(file=claim, member_id=member.pk, diagnosis="diabète de type 2")
    url = f"{CLAIMS}/{claim.number.lower()}"
    before = _medical_reads()
    officer = staff(Role.CLAIMS_OFFICER).get(url)
    body = officer.json()
    assert officer.status_code == 200 and body["number"] == claim.number and body["diagnosis"] is None
    assert body["lines"][0]["paid"] == "100.00" and body["amo"] == "64.00" and body["remainder"] == "26.00"
    assert "ALD12" not in officer.content.decode() and "diab" not in officer.content.decode()
    assert _medical_reads() == before
    medical = staff(Role.MEDICAL_CONTROLLER).get(url).json()
    assert medical["diagnosis"] == "diabète de type 2" and _medical_reads() == before + 1
    assert staff(Role.AUDITOR).get(f"{CLAIMS}/NOPE").status_code == 404


def test_it_decides_a_file_with_a_write_token_through_the_workflow(staff: Callable[..., Client]) -> None:
    from claims.models import ClaimFile, ClaimTransition

    member = member_make()
    claim = file_make(member=member, lines=[CONSULTATION], status="adjudicated", reimbursed=("64.00", "10.00"))
    url = f"{CLAIMS}/{claim.number}/decision"
    body = {"to": "approved", "version": claim.version}
    reader = staff(Role.CLAIMS_OFFICER)
    assert reader.post(url, body, content_type="application/json").status_code == 401  # a read token
    writer = staff(Role.CLAIMS_OFFICER, ApiTokenScope.STAFF_WRITE)
    stale = writer.post(url, {**body, "version": claim.version + 5}, content_type="application/json")
    assert stale.status_code == 409 and ClaimFile.objects.get(pk=claim.pk).status == "adjudicated"
    assert writer.post(url, {**body, "to": "paid"}, content_type="application/json").status_code == 422
    assert writer.post(url, {**body, "extra": 1}, content_type="application/json").status_code == 422
    done = writer.post(url, body, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "approved" and done.json()["version"] == 2
    step = ClaimTransition.objects.get(file=claim, to_status="approved")
    assert step.actor is not None and step.actor.username.startswith("claims_officer")
    assert AuditEvent.objects.filter(object_id=str(claim.pk), object_type="claims.claimfile").exists()
    again = writer.post(url, {"to": "rejected", "version": 2, "reason": "x"}, content_type="application/json")
    assert again.status_code == 409  # approved: no longer a decision this applies to
    medical = staff(Role.MEDICAL_CONTROLLER, ApiTokenScope.STAFF_WRITE)
    assert medical.post(f"{CLAIMS}/NOPE/decision", body, content_type="application/json").status_code == 404
