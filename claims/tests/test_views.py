from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from accounts.roles import Role
from audit.models import AuditEvent
from claims.models import Attachment, ClaimFile, MedicalNote
from claims.services.documents import MSG_BAD_TYPE, MSG_TOO_BIG
from claims.services.workflow import MSG_STALE
from claims.tests.factories import CONSULTATION, CONSULTATION_DECIDED, file_make, member_make
from claims.tests.scans import PNG
from claims.views_counter import MSG_NO_CARD

pytestmark = pytest.mark.django_db


def test_the_work_list_runs_a_constant_number_of_queries(client_for, django_assert_num_queries) -> None:
    client = client_for(Role.CLAIMS_OFFICER)
    member = member_make()
    file_make(member=member, lines=[CONSULTATION])
    client.get(reverse("claims:list"))  # warm the session and permission caches
    with django_assert_num_queries(8) as few:  # with the administrations of the filter form
        assert client.get(reverse("claims:list")).status_code == 200
    for _ in range(30):
        file_make(member=member_make(), lines=[CONSULTATION])
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("claims:list"), {"sort": "-amount", "status": "received"})
    assert response.status_code == 200 and response.context["page"].paginator.count == 31


def test_the_work_list_filters_by_card_number(client_for) -> None:
    client = client_for(Role.CLAIMS_OFFICER)
    a, b = member_make(), member_make()
    fa = file_make(member=a, lines=[CONSULTATION])
    file_make(member=b, lines=[CONSULTATION])
    card = a.beneficiaries.get().card_number
    page = client.get(reverse("claims:list"), {"q": card}).context["page"]
    assert [c.pk for c in page] == [fa.pk]


def test_a_member_sees_only_their_own_files(client_for) -> None:
    client = client_for(Role.MEMBER)
    mine = file_make(member=member_make(user=client.user), lines=[CONSULTATION])
    other = file_make(member=member_make(), lines=[CONSULTATION])
    # Their own file opens on their space's page of it (portal); another's is not found.
    assert client.get(reverse("claims:detail", args=[mine.pk])).url == reverse("portal:claim", args=[mine.pk])
    assert client.get(reverse("claims:detail", args=[other.pk])).status_code == 404
    assert [c.pk for c in client.get(reverse("claims:list")).context["page"]] == [mine.pk]


def test_only_a_medical_controller_sees_the_diagnosis_and_each_view_is_logged(client_for, make_user, client) -> None:
    claim = file_make(member=member_make(), lines=[CONSULTATION])
    MedicalNote.objects.create(file=claim, member_id=claim.member_id, diagnosis="Diabète de type 2")
    client.force_login(make_user(Role.CLAIMS_OFFICER))
    assert "Diabète" not in client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert not AuditEvent.objects.filter(action="view_medical").exists()
    doctor = make_user(Role.MEDICAL_CONTROLLER)
    client.force_login(doctor)
    assert "Diabète" in client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    event = AuditEvent.objects.get(action="view_medical")
    assert event.actor == doctor and event.object_id == str(claim.pk) and event.member_id == claim.member_id


def test_an_officer_approves_from_the_file_page_and_a_stale_form_is_refused(client_for) -> None:
    client = client_for(Role.CLAIMS_OFFICER)
    claim = file_make(member=member_make(), lines=[CONSULTATION], status="adjudicated", reimbursed=CONSULTATION_DECIDED)
    url = reverse("claims:transition", args=[claim.pk])
    client.post(url, {"to": "approved", "version": "1"})
    claim.refresh_from_db()
    assert claim.status == "approved"
    response = client.post(url, {"to": "rejected", "version": "1"}, follow=True)
    claim.refresh_from_db()
    with translation.override(settings.LANGUAGE_CODE):
        assert claim.status == "approved" and escape(str(MSG_STALE)) in response.content.decode()


def test_it_refuses_attachments_by_content_and_size_with_a_clear_message(client_for) -> None:
    client = client_for(Role.RECEPTION)
    claim = file_make(member=member_make(), lines=[CONSULTATION])
    url = reverse("claims:attachment_upload", args=[claim.pk])
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url, {"kind": "invoice", "upload": fake}, follow=True)
    with translation.override(settings.LANGUAGE_CODE):
        assert escape(str(MSG_BAD_TYPE)) in response.content.decode()
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * (5 * 1024 * 1024), content_type="image/png")
    response = client.post(url, {"kind": "invoice", "upload": big}, follow=True)
    with translation.override(settings.LANGUAGE_CODE):
        assert escape(str(MSG_TOO_BIG % {"mb": 5})) in response.content.decode()
    assert not Attachment.objects.exists()
    client.post(url, {"kind": "invoice", "upload": SimpleUploadedFile("ok.png", PNG)})
    att = Attachment.objects.get()
    assert att.content_type == "image/png" and att.size == len(PNG)


def test_a_member_cannot_open_another_members_attachment_or_statement(client_for, make_user, client) -> None:
    staff = make_user(Role.RECEPTION)
    client.force_login(staff)
    owner_user = make_user(Role.MEMBER)
    claim = file_make(member=member_make(user=owner_user), lines=[CONSULTATION], status="approved")
    client.post(reverse("claims:attachment_upload", args=[claim.pk]),
                {"kind": "invoice", "upload": SimpleUploadedFile("ok.png", PNG)})  # fmt: skip
    att = Attachment.objects.get()
    client.force_login(owner_user)
    assert client.get(reverse("claims:attachment", args=[att.pk])).status_code == 200
    response = client.get(reverse("claims:statement", args=[claim.pk]), {"lang": "ar"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    client.force_login(make_user(Role.MEMBER))
    assert client.get(reverse("claims:attachment", args=[att.pk])).status_code == 404
    assert client.get(reverse("claims:statement", args=[claim.pk])).status_code == 404


def test_medical_attachments_are_hidden_from_claims_officers(client_for, make_user, client) -> None:
    claim = file_make(member=member_make(), lines=[CONSULTATION])
    att = Attachment.objects.create(file=claim, member_id=claim.member_id, kind="medical_report", original_name="r.pdf",
                                    content_type="application/pdf", size=1, sha256="0", path="x/r.pdf")  # fmt: skip
    client.force_login(make_user(Role.CLAIMS_OFFICER))
    assert client.get(reverse("claims:attachment", args=[att.pk])).status_code == 404


def test_the_counter_takes_a_file_and_adjudicates_it_at_once(client_for) -> None:
    client = client_for(Role.RECEPTION)
    member = member_make()
    card = member.beneficiaries.get().card_number
    assert client.get(reverse("claims:counter")).status_code == 200
    data = {
        "card_number": card, "filed_on": "2025-03-20", "provider_inpe": "", "provider_sector": "private",
        "diagnosis": "", "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "30", "lines-0-kind": "act", "lines-0-code": "C", "lines-0-coefficient": "1",
        "lines-0-quantity": "1", "lines-0-care_date": "2025-03-10", "lines-0-paid": "100.00",
    }  # fmt: skip
    preview = client.post(reverse("claims:counter"), {**data, "action": "preview"}, HTTP_HX_REQUEST="true")
    assert preview.status_code == 200 and preview.context["totals"]["amo"] == Decimal("64.00")
    assert not ClaimFile.objects.exists()
    response = client.post(reverse("claims:counter"), {**data, "action": "save"})
    claim = ClaimFile.objects.get()
    assert response.status_code == 302 and claim.status in ("adjudicated", "medical_review")
    assert claim.amo == Decimal("64.00") and claim.created_by == client.user
    bad = client.post(reverse("claims:counter"), {**data, "card_number": "000", "action": "save"})
    with translation.override(settings.LANGUAGE_CODE):
        assert escape(str(MSG_NO_CARD)) in bad.content.decode() and ClaimFile.objects.count() == 1


def test_the_certificate_pdf_and_its_public_check(client_for, client) -> None:
    staff = client_for(Role.RECEPTION)
    member = member_make()
    response = staff.post(reverse("claims:certificate", args=[member.pk]), {"lang": "fr"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    cert = member.certificates.get()
    client.logout()
    page = client.get(reverse("verify", args=[cert.code])).content.decode()
    assert member.beneficiaries.get().first_name in page and cert.valid_until.isoformat() in page
    assert member.cin not in page and member.membership_number not in page
    assert client.get(reverse("verify", args=["NOPE"])).status_code == 404
    assert cert.valid_until == cert.issued_on + dt.timedelta(days=90)


def test_the_counter_keeps_an_inpe_that_is_not_in_the_providers_list(client_for) -> None:
    client = client_for(Role.RECEPTION)
    card = member_make().beneficiaries.get().card_number
    data = {
        "card_number": card, "filed_on": "2025-03-20", "provider_inpe": "987654321", "provider_sector": "private",
        "diagnosis": "", "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "30", "lines-0-kind": "act", "lines-0-code": "C", "lines-0-coefficient": "1",
        "lines-0-quantity": "1", "lines-0-care_date": "2025-03-10", "lines-0-paid": "100.00", "action": "save",
    }  # fmt: skip
    assert client.post(reverse("claims:counter"), data).status_code == 302
    claim = ClaimFile.objects.get()
    # The preview judged the typed INPE (duplicates are keyed by it): the saved file keeps it too.
    assert (claim.provider_id, claim.provider_inpe) == (None, "987654321")
