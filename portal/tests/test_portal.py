"""The member's space: own file only, online claims with scans, prior-approval requests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from claims.models import Attachment, ClaimFile, PriorApproval
from claims.services.intake import ClaimIntakeError, LineInput
from claims.tests.factories import CONSULTATION, file_make, member_make
from claims.tests.scans import PDF, PNG
from members.models import Beneficiary
from portal.services import portal_claim_submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _scans_to_tmp(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _member_client(client_for):  # type: ignore[no-untyped-def]
    client = client_for(Role.MEMBER)
    member = member_make(user=client.user)
    child = Beneficiary.objects.create(
        member=member, relation="child", rank=1, card_number=f"{member.membership_number}-01", last_name="Alaoui",
        first_name="Salma", last_name_ar="العلوي", first_name_ar="سلمى", birth_date=date(2015, 2, 1), sex="F",
    )  # fmt: skip
    return client, member, child


def _claim_post(beneficiary: Beneficiary, **files: SimpleUploadedFile) -> dict[str, object]:
    today = timezone.localdate().isoformat()
    return {
        "beneficiary": beneficiary.pk, "provider_inpe": "123456789", "provider_sector": "private",
        "lines-TOTAL_FORMS": "3", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "1", "lines-MAX_NUM_FORMS": "15",
        # typed without picking in the list: the label names one act of the kind, it is taken
        "lines-0-what": "consultation", "lines-0-item": "consultation de médecine générale", "lines-0-code": "",
        "lines-0-quantity": "1", "lines-0-care_date": today, "lines-0-paid": "250.00",
        "lines-1-what": "medicine", "lines-1-item": "", "lines-1-code": "", "lines-1-quantity": "1",
        "lines-1-care_date": "", "lines-1-paid": "",  # a blank line is skipped
        # picked in the list: its code rides in the hidden field
        "lines-2-what": "tests", "lines-2-item": "ECBU", "lines-2-code": "ECBU", "lines-2-quantity": "1",
        "lines-2-care_date": today, "lines-2-paid": "90.50",
        **files,
    }  # fmt: skip


def test_it_files_a_claim_for_a_dependant_with_its_scans(client_for, settings) -> None:
    client, member, child = _member_client(client_for)
    post = _claim_post(child, care_sheet=SimpleUploadedFile("feuille.png", PNG),
                       prescription=SimpleUploadedFile("ordonnance.pdf", PDF))  # fmt: skip
    response = client.post(reverse("portal:claim_new"), post)
    assert response.status_code == 302, (response.context["form"].errors, response.context["formset"].errors)
    claim = ClaimFile.objects.get(member=member)
    assert response.url == reverse("portal:claim", args=[claim.pk])  # where it stands, at once
    assert (claim.channel, claim.status, claim.beneficiary_id, claim.created_by_id) == (
        "portal",
        "received",
        child.pk,
        client.user.pk,
    )
    assert claim.number.startswith("W") and claim.provider_inpe == "123456789"
    assert [(ln.code, ln.paid) for ln in claim.lines.order_by("position")] == [("CONS-G", 250), ("ECBU", 90.5)]
    assert str(claim.paid) == "340.50" and str(claim.remainder) == "340.50"  # 250.00 + 90.50, nothing decided yet
    scans = {a.kind: a for a in Attachment.objects.filter(file=claim)}
    assert set(scans) == {"care_sheet", "prescription"}
    assert (settings.PRIVATE_MEDIA_ROOT / scans["care_sheet"].path).read_bytes() == PNG
    assert AuditEvent.objects.filter(object_id=str(claim.pk), action="create", actor=client.user).exists()
    home = client.get(reverse("portal:home"))
    assert claim.number in home.content.decode()


def test_it_refuses_a_scan_that_is_not_a_pdf_or_image_and_stores_nothing(client_for, settings) -> None:
    client, member, child = _member_client(client_for)
    post = _claim_post(child, care_sheet=SimpleUploadedFile("feuille.png", b"MZ\x90\x00 not an image"))
    response = client.post(reverse("portal:claim_new"), post)
    assert response.status_code == 400
    assert "Only PDF, JPEG and PNG files are accepted" in response.content.decode()
    assert not ClaimFile.objects.filter(member=member).exists()
    assert not Path(settings.PRIVATE_MEDIA_ROOT).exists() or not any(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*.*"))


@pytest.mark.parametrize(
    ("name", "data"),
    [("ordonnance.html", b"%PDF-1.4<html><script>alert(1)</script></html>"),
     ("ordonnance.svg", b"\x89PNG\r\n\x1a\n<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>")],
)  # fmt: skip
def test_it_refuses_a_polyglot_scan_and_keeps_none_of_the_others(client_for, settings, name: str, data: bytes) -> None:
    client, member, child = _member_client(client_for)
    post = _claim_post(child, care_sheet=SimpleUploadedFile("feuille.png", PNG),
                       prescription=SimpleUploadedFile(name, data))  # fmt: skip
    response = client.post(reverse("portal:claim_new"), post)
    assert response.status_code == 400
    assert "cannot be read: it is damaged or is not really" in response.content.decode()
    assert not ClaimFile.objects.filter(member=member).exists() and not Attachment.objects.exists()
    assert not Path(settings.PRIVATE_MEDIA_ROOT).exists() or not any(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*.*"))


def test_it_requires_the_care_sheet(client_for) -> None:
    client, member, child = _member_client(client_for)
    response = client.post(reverse("portal:claim_new"), _claim_post(child))
    assert response.status_code == 400
    assert not ClaimFile.objects.filter(member=member).exists()
    with pytest.raises(ClaimIntakeError, match="care sheet"):
        portal_claim_submit(user=client.user, beneficiary=child, scans=[("invoice", SimpleUploadedFile("f.png", PNG))],
                            lines=[LineInput(kind="act", code="CONS-G", care_date=timezone.localdate(),
                                             paid=250)])  # fmt: skip


def test_it_refuses_to_file_for_another_members_beneficiary(client_for) -> None:
    client, _member, _child = _member_client(client_for)
    other = member_make()
    stranger = other.beneficiaries.get(rank=0)
    post = _claim_post(stranger, care_sheet=SimpleUploadedFile("feuille.png", PNG))
    assert client.post(reverse("portal:claim_new"), post).status_code == 400  # not among the choices
    with pytest.raises(ClaimIntakeError):
        portal_claim_submit(user=client.user, beneficiary=stranger,
                            scans=[("care_sheet", SimpleUploadedFile("f.png", PNG))],
                            lines=[LineInput(kind="act", code="CONS-G", care_date=timezone.localdate(),
                                             paid=250)])  # fmt: skip
    assert not ClaimFile.objects.exists()


def test_it_shows_only_the_members_own_claims(client_for) -> None:
    client, member, _child = _member_client(client_for)
    mine = file_make(member=member, lines=[CONSULTATION])
    theirs = file_make(member=member_make(), lines=[CONSULTATION])
    page = client.get(reverse("portal:home")).content.decode()
    assert mine.number in page and theirs.number not in page
    # Dates as on the staff pages, in Arabic as in French.
    for lang in ("ar", "fr"):
        page = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        assert f"<bdi>{mine.filed_on:%Y-%m-%d}</bdi>" in page


def test_it_sends_a_member_home_to_their_space_and_denies_it_to_staff(client_for, client) -> None:
    member_client, _member, _child = _member_client(client_for)
    assert member_client.get(reverse("home")).url == reverse("portal:home")
    staff = client_for(Role.RECEPTION)
    assert staff.get(reverse("portal:home")).status_code == 403
    assert staff.get(reverse("home")).status_code == 200
    client.logout()
    assert client.get(reverse("portal:claim_new")).status_code == 302  # to the login page


def test_a_member_requests_a_prior_approval_the_controller_then_sees(client_for, make_user, client) -> None:
    member_client, member, child = _member_client(client_for)
    response = member_client.post(reverse("portal:approval_new"), {
        "beneficiary": child.pk, "kind": "act", "code": "irm", "justification": "Lombalgie rebelle",
    })  # fmt: skip
    assert response.status_code == 302
    pa = PriorApproval.objects.get(member=member)
    assert (pa.beneficiary_id, pa.code, pa.status, pa.requested_by_id) == (
        child.pk,
        "IRM",
        "requested",
        member_client.user.pk,
    )
    assert "Lombalgie rebelle" in member_client.get(reverse("portal:home")).content.decode()
    # The code with its label, in the reader's language.
    for lang, label in (("fr", "Imagerie par résonance magnétique"), ("ar", "التصوير بالرنين المغناطيسي")):
        page = member_client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        assert f'<bdi class="code">IRM</bdi> — {label}' in page
    client.force_login(make_user(Role.MEDICAL_CONTROLLER))
    assert pa.number in client.get(reverse("claims:approval_queue")).content.decode()


@pytest.mark.parametrize(
    ("code", "message"),
    [("CONS-G", "does not need a prior approval"), ("NOPE-404", "not in the referentials")],
)
def test_it_refuses_a_request_that_needs_no_approval_or_names_no_known_code(
    client_for, code: str, message: str
) -> None:
    client, _member, child = _member_client(client_for)
    response = client.post(reverse("portal:approval_new"), {"beneficiary": child.pk, "kind": "act", "code": code})
    assert response.status_code == 400 and message in response.content.decode()
    assert not PriorApproval.objects.exists()
