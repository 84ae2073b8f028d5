"""In a real browser, in Arabic: a member files a claim online with a scan, then asks a prior approval."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from claims.models import Attachment, ClaimFile, ClaimStatus, PriorApproval
from claims.tests.scans import PNG
from members.tests.registry_factories import member_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_member_files_a_claim_with_its_scan_and_asks_a_prior_approval(
    browser_page, live_server, make_user, settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    user = make_user(Role.MEMBER, username="hind")
    member = member_make(last_name="Filali", first_name="Hind", last_name_ar="الفيلالي", first_name_ar="هند")
    member.user = user
    member.save(update_fields=["user"])
    scan = tmp_path / "feuille.png"
    scan.write_bytes(PNG)
    page, base = browser_page, live_server.url

    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "hind")
    page.fill("input[name=password]", "pass-Word-123")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/portal/")  # a member's home is their space
    with page.expect_navigation():
        page.select_option("#language-form select[name=language]", "ar")
    assert page.get_attribute("html", "dir") == "rtl"

    page.click("a[href='/portal/claims/new/']")
    page.select_option("[name=lines-0-kind]", "act")
    page.fill("[name=lines-0-code]", "CONS-G")
    page.fill("[name=lines-0-care_date]", timezone.localdate().isoformat())
    page.fill("[name=lines-0-paid]", "150.00")
    page.set_input_files("input[name=care_sheet]", str(scan))
    with page.expect_navigation():
        page.click("form:not([action]) button[type=submit]")  # not the top bar's log-out form
    page.wait_for_url(f"{base}/portal/")
    claim = ClaimFile.objects.get(member=member)
    assert (claim.channel, claim.status, str(claim.paid)) == ("portal", ClaimStatus.RECEIVED, "150.00")
    assert Attachment.objects.get(file=claim).kind == "care_sheet"
    expect(page.locator("#my-claims")).to_contain_text(claim.number)
    expect(page.locator(".alert")).to_contain_text(claim.number)

    page.click("a[href='/portal/approvals/new/']")
    page.select_option("[name=kind]", "act")
    page.fill("[name=code]", "IRM")
    page.fill("[name=justification]", "Lombalgie rebelle")
    with page.expect_navigation():
        page.click("form:not([action]) button[type=submit]")
    request = PriorApproval.objects.get(member=member)
    expect(page.locator("#approvals")).to_contain_text(request.number)
