"""In a real browser: the member contests a rejected crown from the claim file's page, gets a tracking
number, and (in Arabic) the committee upholds the appeal with the prior approval granted meanwhile; the
revision file's 1,000.00 MAD shows on the appeal (figures: test_appeal_flow)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from claims.models import ClaimFile
from claims.services.approvals import prior_approval_decide, prior_approval_request
from claims.tests.factories import holder
from grievances.models import Grievance, Status
from grievances.services import grievance_review_start
from grievances.tests.factories import category, decided_file, member_with_rib

# serialized_rollback: the seeds of the migrations (referentials, categories) are restored after each flush.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _log_in(page: Any, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pass-Word-123")
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def test_it_takes_an_appeal_from_the_line_to_the_committee_s_decision(
    browser_page: Any, live_server: Any, make_user: Any
) -> None:
    page, base = browser_page, live_server.url
    officer = make_user(Role.CLAIMS_OFFICER, username="officer")
    make_user(Role.CLAIMS_OFFICER, username="committee")
    member_user = make_user(Role.MEMBER, username="member")
    member = member_with_rib(user=member_user)
    claim = decided_file(officer=officer, member=member)

    _log_in(page, base, "member")
    page.goto(f"{base}/claims/{claim.pk}/")
    page.get_by_role("link", name="Contester cette décision").click()
    page.select_option("select[name=category]", str(category("claim-decision").pk))
    page.fill("textarea[name=text]", "Le dentiste avait demandé l'accord préalable.")
    page.click("form[enctype] button[type=submit]")
    number = f"RE{timezone.localdate():%y}-000001"  # the year of filing: today's
    expect(page.locator(".alert-success, .alert")).to_contain_text(number)
    appeal = Grievance.objects.get()
    assert appeal.claim_line.code == "COURONNE" and appeal.channel == "portal"

    approval = prior_approval_request(actor=member_user, beneficiary=holder(member), kind="act", code="COURONNE")
    prior_approval_decide(actor=make_user(Role.MEDICAL_CONTROLLER), approval=approval, grant=True,
                          valid_from=dt.date(2026, 9, 1), valid_to=dt.date(2026, 12, 31), quantity=1)  # fmt: skip
    grievance_review_start(actor=officer, grievance=appeal)

    _log_in(page, base, "committee")
    page.goto(f"{base}/grievances/")
    with page.expect_navigation():
        page.select_option("#language-form select[name=language]", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.get_by_role("link", name=number).click()
    page.select_option("select[name=outcome]", "upheld")
    page.select_option("select[name=reason_code]", "approval_granted")
    page.fill("textarea[name=text]", "منحت الموافقة المسبقة.")
    page.fill("input[name=prior_approval]", approval.number)
    page.get_by_role("button", name="تسجيل الجواب").click()
    appeal.refresh_from_db()
    assert appeal.status == Status.ANSWERED and appeal.revision_file_id is not None
    revision = ClaimFile.objects.get(pk=appeal.revision_file_id)
    expect(page.locator("body")).to_contain_text(revision.number)
    expect(page.locator("body")).to_contain_text("1 000,00")
