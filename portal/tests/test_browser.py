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

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
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
    # In the member's words: what was done (a kind in plain words), which one (searched by name), when, how much.
    page.select_option("[name=lines-0-what]", "consultation")
    page.locator("[name=lines-0-item]").focus()
    page.keyboard.type("استشارة")
    options = page.locator("#id_lines-0-item-options li[data-code]")
    expect(options.first).to_contain_text("استشارة")
    labels = [o.inner_text() for o in options.all()]
    for _ in range(labels.index("استشارة الطب العام")):  # the arrows walk the list from its first option
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("[name=lines-0-item]")).to_have_value("استشارة الطب العام")
    expect(page.locator("[name=lines-0-code]")).to_have_value("CONS-G")
    page.fill("[name=lines-0-care_date]", timezone.localdate().isoformat())
    page.fill("[name=lines-0-paid]", "150.00")
    # As many lines as needed: one more, added in place (the scans chosen stay chosen).
    page.set_input_files("input[name=care_sheet]", str(scan))
    page.click("#add-line")
    expect(page.locator("fieldset.portal-line")).to_have_count(2)
    expect(page.locator("#id_lines-TOTAL_FORMS")).to_have_value("2")
    page.select_option("[name=lines-1-what]", "medicine")
    page.locator("[name=lines-1-item]").focus()
    page.keyboard.type("Clamox")
    expect(page.locator("#id_lines-1-item-options li[data-code='6118000000004']")).to_be_visible()
    page.click("#id_lines-1-item-options li[data-code='6118000000004']")
    page.fill("[name=lines-1-care_date]", timezone.localdate().isoformat())
    page.fill("[name=lines-1-paid]", "59.90")
    page.screenshot(path=str(tmp_path / "portal-claim-form-ar.png"), full_page=True)  # looked at, not kept
    with page.expect_navigation():
        page.click("form#portal-claim button[type=submit]")
    claim = ClaimFile.objects.get(member=member)
    page.wait_for_url(f"{base}/portal/claims/{claim.pk}/")  # where it stands, at once
    assert (claim.channel, claim.status, str(claim.paid)) == ("portal", ClaimStatus.RECEIVED, "209.90")
    assert [ln.code for ln in claim.lines.order_by("position")] == ["CONS-G", "6118000000004"]
    assert Attachment.objects.get(file=claim).kind == "care_sheet"
    expect(page.locator(".alert")).to_contain_text(claim.number)
    expect(page.locator("#steps li")).to_have_count(3)
    expect(page.locator("#step-decided-date")).to_contain_text("متوقَّع")
    expect(page.locator("#claim-lines")).to_contain_text("استشارة الطب العام")
    assert "Version" not in page.content()
    page.screenshot(path=str(SCREENSHOTS / "portal-claim-ar.png"), full_page=True)
    page.goto(f"{base}/portal/")
    expect(page.locator("#my-claims")).to_contain_text(claim.number)

    page.click("a[href='/portal/approvals/new/']")
    page.select_option("[name=kind]", "act")
    page.fill("[name=code]", "IRM")
    page.fill("[name=justification]", "Lombalgie rebelle")
    with page.expect_navigation():
        page.click("form:not([action]) button[type=submit]")
    request = PriorApproval.objects.get(member=member)
    expect(page.locator("#approvals")).to_contain_text(request.number)
