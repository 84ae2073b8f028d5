"""A claim file in the member's space: completed online when returned, where it stands, when it should be
decided and paid, in the member's words (no internal field), and the online form's own messages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.roles import Role
from audit.models import AuditEvent
from claims.models import Attachment, ClaimFile, ClaimStatus, ClaimTransition
from claims.selectors_member import claim_delays_measure, claim_progress
from claims.services import claim_transition
from claims.tests.factories import CONSULTATION, file_make, member_make
from claims.tests.scans import PDF, PNG
from members.models import Member

pytestmark = pytest.mark.django_db
S = ClaimStatus


@pytest.fixture(autouse=True)
def _scans_to_tmp(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _returned(client_for, make_user):  # type: ignore[no-untyped-def]
    """A member's file an officer returned for a prescription and a lab report."""
    client = client_for(Role.MEMBER)
    member = member_make(user=client.user)
    claim = file_make(member=member, lines=[CONSULTATION], filed_on=timezone.localdate())
    officer = make_user(Role.CLAIMS_OFFICER)
    claim_transition(actor=officer, claim=claim, to=S.INCOMPLETE, missing=["prescription", "lab_results"], manual=True)
    claim_transition(actor=officer, claim=ClaimFile.objects.get(pk=claim.pk), to=S.RETURNED, manual=True)
    return client, member, ClaimFile.objects.get(pk=claim.pk)


def test_it_sends_a_returned_file_back_to_the_officers_once_its_pieces_are_uploaded(client_for, make_user, settings):  # type: ignore[no-untyped-def]
    client, _member, claim = _returned(client_for, make_user)
    page = client.get(reverse("portal:claim", args=[claim.pk])).content.decode()
    assert "Prescription" in page and "Laboratory or imaging report" in page  # the checklist's names
    response = client.post(reverse("portal:claim_complete", args=[claim.pk]), {
        "piece_prescription": SimpleUploadedFile("ordonnance.png", PNG),
        "piece_lab_results": SimpleUploadedFile("analyses.pdf", PDF),
    })  # fmt: skip
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.missing_pieces, claim.version) == (S.RECEIVED, [], 4)
    last = claim.transitions.order_by("-version").first()
    assert last is not None
    assert (last.from_status, last.to_status, last.actor_id, last.reason_code) == (
        S.RETURNED, S.RECEIVED, client.user.pk, "member_completed")  # fmt: skip
    assert last.reason_shown == "missing pieces sent online by the member"
    scans = {a.kind: a for a in Attachment.objects.filter(file=claim)}
    assert set(scans) == {"prescription", "medical_report"}  # a lab report is medical
    stored = scans["prescription"].path
    assert "ordonnance" not in stored and stored.endswith(".png")  # our name, the detected type
    assert (settings.PRIVATE_MEDIA_ROOT / stored).read_bytes() == PNG
    assert AuditEvent.objects.filter(object_id=str(claim.pk), action="transition", actor=client.user).exists()
    # Sent twice (a second click): refused, nothing more written.
    again = client.post(reverse("portal:claim_complete", args=[claim.pk]),
                        {"piece_prescription": SimpleUploadedFile("o.png", PNG)})  # fmt: skip
    assert again.status_code == 302 and Attachment.objects.filter(file=claim).count() == 2


@pytest.mark.parametrize("data", [b"MZ\x90\x00 not an image", b"%PDF-1.4<html><script>alert(1)</script></html>"])
def test_it_refuses_a_piece_that_is_not_a_real_pdf_or_image_and_keeps_the_file_returned(  # type: ignore[no-untyped-def]
    client_for, make_user, settings, data: bytes
) -> None:
    client, _member, claim = _returned(client_for, make_user)
    response = client.post(reverse("portal:claim_complete", args=[claim.pk]), {
        "piece_prescription": SimpleUploadedFile("ordonnance.pdf", data),
        "piece_lab_results": SimpleUploadedFile("analyses.pdf", PDF),
    })  # fmt: skip
    assert response.status_code == 400
    claim.refresh_from_db()
    assert claim.status == S.RETURNED and claim.missing_pieces == ["prescription", "lab_results"]
    assert not Attachment.objects.filter(file=claim).exists()
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    assert not root.exists() or not any(root.rglob("*.*"))


def test_it_asks_for_every_missing_piece_and_lets_no_one_else_complete_the_file(client_for, make_user, client):  # type: ignore[no-untyped-def]
    member_client, _member, claim = _returned(client_for, make_user)
    response = member_client.post(reverse("portal:claim_complete", args=[claim.pk]),
                                  {"piece_prescription": SimpleUploadedFile("o.png", PNG)})  # fmt: skip
    assert response.status_code == 400 and "Attach a scan of this piece." in response.content.decode()
    other = client_for(Role.MEMBER)
    member_make(user=other.user)
    assert other.post(reverse("portal:claim_complete", args=[claim.pk])).status_code == 404
    claim.refresh_from_db()
    assert claim.status == S.RETURNED and not Attachment.objects.filter(file=claim).exists()


def _decided(member: Member, *, filed: dt.date, decided: dt.date, paid: dt.date | None = None) -> ClaimFile:
    """A file approved on `decided` (and paid on `paid`), its transitions dated as given."""
    claim = file_make(member=member, lines=[], filed_on=filed, status=S.PAID if paid else S.APPROVED)
    noon = dt.time(12)
    moves = [(S.RECEIVED, S.ADJUDICATED, decided), (S.ADJUDICATED, S.APPROVED, decided)]
    if paid is not None:
        moves += [(S.APPROVED, S.IN_PAYMENT, paid), (S.IN_PAYMENT, S.PAID, paid)]
    for version, (frm, to, day) in enumerate(moves, start=2):
        row = ClaimTransition.objects.create(file=claim, member_id=member.pk, from_status=frm, to_status=to,
                                             version=version)  # fmt: skip
        at = timezone.make_aware(dt.datetime.combine(day, noon))
        ClaimTransition.objects.filter(pk=row.pk).update(at=at)  # `at` is stamped on creation
    return claim


def test_it_estimates_the_decision_and_payment_dates_from_the_median_delays(client_for) -> None:  # type: ignore[no-untyped-def]
    """Worked by hand.

    Decided in the last 90 days, filing -> decision: 5 files x 2 days, 5 x 5, 5 x 7, 5 x 12 (20 files);
    sorted, the 10th and 11th are 5 and 7: median (5 + 7) / 2 = 6 days. A file decided 100 days ago
    (50 days) is outside the window.
    Paid in the last 90 days, decision -> payment: 10 files x 1 day and 10 x 4 (20, those 20 among the
    decided ones); the middle two are 1 and 4: 2.5, counted as 3 days.
    A file filed 2 days ago and not yet decided: decision expected today - 2 + 6 = today + 4, payment
    today + 4 + 3 = today + 7. A file approved yesterday: payment expected yesterday + 3 = today + 2.
    """
    client = client_for(Role.MEMBER)
    member = member_make(user=client.user)
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    n = 0
    for delay in [2] * 5 + [5] * 5 + [7] * 5 + [12] * 5:
        decided = today - 30 * day
        _decided(member, filed=decided - delay * day, decided=decided, paid=decided + (1 if n < 10 else 4) * day)
        n += 1
    _decided(member, filed=today - 150 * day, decided=today - 100 * day)
    delays = claim_delays_measure(today=today)
    assert (delays.decision.days, delays.decision.files, delays.decision.measured) == (6, 20, True)
    assert (delays.payment.days, delays.payment.files, delays.payment.measured) == (3, 20, True)

    waiting = file_make(member=member, lines=[CONSULTATION], filed_on=today - 2 * day)
    steps = claim_progress(claim=waiting, delays=delays, today=today).steps
    assert [(s.key, s.done, s.on, s.estimated) for s in steps] == [
        ("received", True, today - 2 * day, False),
        ("decided", False, today + 4 * day, True),
        ("paid", False, today + 7 * day, True),
    ]
    page = client.get(reverse("portal:claim", args=[waiting.pk])).content.decode()
    assert "half were decided within 6 days of filing" in page and "paid within 3 days of the decision" in page
    approved = _decided(member, filed=today - 5 * day, decided=today - day)
    steps = claim_progress(claim=approved, delays=delays, today=today).steps
    assert [(s.done, s.on, s.estimated) for s in steps[1:]] == [
        (True, today - day, False),
        (False, today + 2 * day, True),
    ]


def test_it_falls_back_on_the_target_delays_with_too_few_files(client_for) -> None:  # type: ignore[no-untyped-def]
    """19 decided files (fewer than 20): the mutual's targets, 30 days to decide and 15 to pay. A file
    filed 40 days ago is late on them: its decision is expected today, its payment today + 15."""
    client = client_for(Role.MEMBER)
    member = member_make(user=client.user)
    today = timezone.localdate()
    for _n in range(19):
        _decided(member, filed=today - dt.timedelta(days=12), decided=today - dt.timedelta(days=10))
    delays = claim_delays_measure(today=today)
    assert (delays.decision.days, delays.decision.measured, delays.payment.days) == (30, False, 15)
    late = file_make(member=member, lines=[CONSULTATION], filed_on=today - dt.timedelta(days=40))
    steps = claim_progress(claim=late, delays=delays, today=today).steps
    assert [s.on for s in steps[1:]] == [today, today + dt.timedelta(days=15)]
    page = client.get(reverse("portal:claim", args=[late.pk])).content.decode()
    assert "the mutual&#x27;s targets are used" in page or "the mutual's targets are used" in page


def test_it_shows_no_internal_field_on_the_members_pages(client_for, make_user) -> None:  # type: ignore[no-untyped-def]
    client, _member, claim = _returned(client_for, make_user)
    for url in (reverse("portal:home"), reverse("portal:claim", args=[claim.pk])):
        for language in ("en", "fr", "ar"):
            client.cookies["django_language"] = language
            page = client.get(url).content.decode()
            with translation.override(language):
                assert gettext("Version") not in page and f'lang="{language}"' in page, (url, language)
            officer = claim.transitions.last().actor  # type: ignore[union-attr]
            assert officer.username not in page  # who in the back office moved it is theirs


def test_it_sends_a_member_opening_the_back_office_page_of_their_file_to_their_own(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.MEMBER)
    claim = file_make(member=member_make(user=client.user), lines=[CONSULTATION])
    response = client.get(reverse("claims:detail", args=[claim.pk]))
    assert response.status_code == 302 and response.url == reverse("portal:claim", args=[claim.pk])


def test_it_answers_the_online_form_in_arabic_with_the_projects_own_messages(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.MEMBER)
    holder = member_make(user=client.user).beneficiaries.get()
    client.cookies["django_language"] = "ar"
    post = {
        "beneficiary": holder.pk, "provider_inpe": "12AB", "provider_sector": "private",
        "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "1", "lines-MAX_NUM_FORMS": "15",
        "lines-0-what": "consultation", "lines-0-item": "لا شيء بهذا الاسم", "lines-0-code": "",
        "lines-0-quantity": "x", "lines-0-care_date": "", "lines-0-paid": "abc",
    }  # fmt: skip
    response = client.post(reverse("portal:claim_new"), post)
    page = response.content.decode()
    assert response.status_code == 400 and 'lang="ar"' in page
    for message in ("أدخل تاريخ العلاج أو الشراء.", "أدخل المبلغ بالدرهم، مثلاً 150.00.", "أدخل عدداً صحيحاً.",
                    "أرفق النسخة الممسوحة من ورقة العلاج", "يتكون الرقم الوطني لمقدم العلاج من 9 أرقام."):  # fmt: skip
        assert message in page, message
    # Django's own defaults, in English or in its Arabic, never show.
    for default in ("This field is required", "Enter a valid", "هذا الحقل مطلوب", "أدخل رقماً", "أدخل تاريخاً صحيحاً"):
        assert default not in page, default
    assert not ClaimFile.objects.exists()
