"""The agents' pages: list with filters, count, sums and export; a request page with its checklist and
only the verbs its reader may use; hostile input refused with a translated message; letters in Arabic."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from allowances.models import AllowanceRequest, RequestState
from allowances.services.decisions import allowance_request_approve
from allowances.tests.factories import family_make, scan
from allowances.tests.test_payment import _approved

pytestmark = pytest.mark.django_db


def _client(user: Any, language: str = "fr") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_it_files_a_request_at_the_counter_and_shows_its_checklist(agents: dict[str, Any]) -> None:
    member = family_make()
    client = _client(agents["reception"])
    response = client.post(reverse("allowances:new"), {"membership_number": member.membership_number,
                           "type": 2, "event_date": "2026-06-15", "claimant_name": "Khadija"})  # fmt: skip
    request = AllowanceRequest.objects.get(member=member)
    assert response.status_code == 302 and request.type.code in ("death", "funeral", "retirement", "orphan_schooling")
    page = client.get(reverse("allowances:detail", args=[request.pk]))
    assert page.status_code == 200 and "checklist" in page.content.decode()
    # Reception may mark it incomplete or cancel it, never check or approve it.
    targets = page.context["targets"]
    assert "checked" not in targets and "approved" not in targets and "incomplete" in targets


def test_it_refuses_a_bad_upload_with_a_translated_message_and_stores_nothing(agents: dict[str, Any]) -> None:
    request = _approved_received(agents)
    client = _client(agents["reception"])
    fake = io.BytesIO(b"%PDF-1.4 <html><script>alert(1)</script>")
    fake.name = "death.pdf"
    response = client.post(reverse("allowances:upload", args=[request.pk]), {"kind": "death_certificate",
                           "file": fake}, follow=True)  # fmt: skip
    assert "PDF" in response.content.decode() and request.documents.count() == 0
    ok = client.post(reverse("allowances:upload", args=[request.pk]), {"kind": "death_certificate", "file": scan()})
    assert ok.status_code == 302 and request.documents.count() == 1
    doc = request.documents.get()
    assert doc.path.startswith(f"allowances/{request.member_id}/") and "scan" not in doc.path


def _approved_received(agents: dict[str, Any]) -> AllowanceRequest:
    from allowances.services.requests import allowance_request_create
    from allowances.tests.factories import death_type

    return allowance_request_create(actor=agents["reception"], member=family_make(), type=death_type(),
                                    event_date=dt.date(2026, 6, 15), claimant_name="Khadija")  # fmt: skip


def test_it_lists_with_filters_counts_sums_and_exports(agents: dict[str, Any]) -> None:
    _approved(agents, arrears=False)
    _approved_received(agents)
    client = _client(agents["auditor"])
    page = client.get(reverse("allowances:list"), {"state": "approved"})
    assert page.status_code == 200
    assert page.context["totals"]["count"] == 1 and str(page.context["totals"]["net"]) == "50000.00"
    export = client.get(reverse("allowances:list"), {"state": "approved", "export": "csv"})
    assert export.status_code == 200 and b"50000.00" in export.content
    xlsx = client.get(reverse("allowances:list"), {"export": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_it_hides_the_approval_from_the_agent_who_checked(agents: dict[str, Any], make_user: Any) -> None:
    from allowances.services.decisions import allowance_request_check
    from allowances.tests.factories import documents_complete
    from allowances.tests.test_requests import _payees_with_ribs

    accountant = make_user(Role.ACCOUNTANT)
    request = _approved_received(agents)
    _payees_with_ribs(agents, request)
    documents_complete(actor=agents["reception"], request=request)
    allowance_request_check(actor=accountant, request=request)
    mine = _client(accountant).get(reverse("allowances:detail", args=[request.pk]))
    theirs = _client(agents["approver"]).get(reverse("allowances:detail", args=[request.pk]))
    assert "approved" not in mine.context["targets"] and "approved" in theirs.context["targets"]
    # Forcing the verb anyway: refused, nothing changed.
    forced = _client(accountant).post(reverse("allowances:action", args=[request.pk, "approve"]), follow=True)
    request.refresh_from_db()
    assert request.state == RequestState.CHECKED and "autre agent" in forced.content.decode()
    allowance_request_approve(actor=agents["approver"], request=request)


def test_it_prints_each_beneficiary_s_letter_in_arabic_and_french(agents: dict[str, Any]) -> None:
    from pypdf import PdfReader

    request = _approved(agents)
    share = request.shares.order_by("rank").first()
    assert share is not None
    client = _client(agents["auditor"])
    for lang, word in (("ar", "الصافي"), ("fr", "Montant net")):
        response = client.get(reverse("allowances:letter", args=[request.pk, share.pk, lang]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
        digits = re.sub(r"[\s\u202f\u00a0.,]", "", text)  # amounts with the locale's separators
        assert "1662668" in digits and "-12000" in digits and "4988000" in digits
        assert word in text or lang == "ar"  # Arabic extraction order varies; French must read plainly


def test_it_shows_allowances_and_advances_owed_on_the_member_s_file(agents: dict[str, Any]) -> None:
    request = _approved(agents, arrears=False)
    page = _client(agents["auditor"]).get(reverse("members:detail", args=[request.member_id]))
    assert page.status_code == 200 and request.number in page.content.decode()


def test_it_shows_the_family_its_requests_and_letters_only(agents: dict[str, Any], make_user: Any) -> None:
    request = _approved(agents, arrears=False)
    user = make_user(Role.MEMBER)
    request.member.user = user
    request.member.save(update_fields=["user"])
    client = _client(user)
    page = client.get(reverse("allowances:mine"))
    assert page.status_code == 200 and request.number in page.content.decode()
    share = request.shares.first()
    assert share is not None
    assert client.get(reverse("allowances:letter", args=[request.pk, share.pk, "fr"])).status_code == 200
    # Another member's letter, or the agents' page, stays closed.
    stranger = _client(make_user(Role.MEMBER))
    assert stranger.get(reverse("allowances:letter", args=[request.pk, share.pk, "fr"])).status_code == 403
    assert client.get(reverse("allowances:detail", args=[request.pk])).status_code == 403


def test_it_renders_the_pages_in_arabic_right_to_left(agents: dict[str, Any]) -> None:
    request = _approved(agents)
    client = _client(agents["approver"], language="ar")
    for url in (reverse("allowances:list"), reverse("allowances:detail", args=[request.pk]),
                reverse("allowances:advances")):  # fmt: skip
        page = client.get(url)
        body = page.content.decode()
        assert page.status_code == 200 and 'dir="rtl"' in body and ("المنح" in body or "التسبيق" in body)
    detail = client.get(reverse("allowances:detail", args=[request.pk])).content.decode()
    assert "المبلغ الصافي" in detail and "اشتراكات غير مؤداة" in detail  # the net and the arrears line


def test_it_refuses_hostile_verbs_and_input_changing_nothing(agents: dict[str, Any]) -> None:
    request = _approved_received(agents)
    client = _client(agents["approver"])
    assert client.post(reverse("allowances:action", args=[request.pk, "paid"])).status_code == 404
    refused = client.post(reverse("allowances:action", args=[request.pk, "refuse"]), {"reason": "<script>"},
                          follow=True)  # fmt: skip
    assert "Choisissez le motif du refus." in refused.content.decode()
    bad_payees = _client(agents["reception"]).post(reverse("allowances:payees", args=[request.pk]), {
        "payee-TOTAL_FORMS": "1", "payee-INITIAL_FORMS": "0", "payee-0-relation": "spouse",
        "payee-0-name": "X", "payee-0-rib": "123", "payee-0-parts": "1"})  # fmt: skip
    assert bad_payees.status_code == 400
    request.refresh_from_db()
    assert request.state == RequestState.RECEIVED and request.shares.count() == 3
    assert client.get(reverse("allowances:list"), {"start": "not-a-date"}).status_code == 200
