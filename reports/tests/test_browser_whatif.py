"""In a real browser (fr and ar): a manager asks a what-if, follows the bar while the worker replays,
reads the cost of the consultation at 15 DH; a medical controller opens a control signal's file.

Figures: three consultations C paid 100.00 (key letter C 80.00, seed of referentials 0002): basis 80.00,
AMO 64.00, flat 10.00 -> 15.00: the mutual pays 3 x 5.00 = 15.00 more, members 15.00 less.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from claims.models import ClaimFile
from claims.services import claim_adjudicate
from claims.tests.factories import CONSULTATION, file_make, member_make
from jobs.services import job_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "pass-Word-123"


def _log_in(page, base: str, username: str, language: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/")
    with page.expect_navigation():
        page.select_option("#language-form select[name=language]", language)


@pytest.mark.parametrize(("language", "direction", "change"), [("fr", "ltr", "+15,00"), ("ar", "rtl", "+15,00")])
def test_a_manager_sees_the_cost_of_a_higher_consultation_flat_sum(
    browser_page, live_server, make_user, settings, language: str, direction: str, change: str
) -> None:  # type: ignore[no-untyped-def]
    settings.CLAIMS_REVIEW_SAMPLE_SHARE = "0"
    make_user(Role.MANAGER, username="direction")
    member = member_make()
    for day in (3, 10, 17):
        claim_adjudicate(
            actor=None, claim=file_make(member=member, lines=[{**CONSULTATION, "care_date": date(2025, 3, day)}])
        )
    page, base = browser_page, live_server.url
    _log_in(page, base, "direction", language)
    page.goto(f"{base}/reports/whatif/")
    assert page.get_attribute("html", "dir") == direction
    page.fill("input[name=start]", "2025-01-01")
    page.fill("input[name=end]", "2025-12-31")
    proposal = {"name": "C 15", "changes": [{"type": "complementary", "category": "consultation", "flat": "15.00"}]}
    page.fill("textarea[name=proposal]", json.dumps(proposal))
    page.click("#whatif-form button[type=submit]")
    expect(page.locator("#job-progress")).to_have_attribute("data-job-state", "running")
    assert job_work(worker="browser-test") is not None
    # The bar polls every 2 s and reloads the page once the job has ended.
    expect(page.locator("#whatif-summary")).to_contain_text(
        change.replace(",", "," if language else "."), timeout=20_000
    )
    expect(page.locator("#whatif-categories")).to_contain_text("+15,00")
    expect(page.locator("#whatif-top tbody tr")).to_have_count(3)


def test_a_medical_controller_opens_a_duplicate_across_providers(
    browser_page, live_server, make_user, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.CLAIMS_REVIEW_SAMPLE_SHARE = "0"
    make_user(Role.MEDICAL_CONTROLLER, username="medecin")
    member = member_make()
    claims = []
    for inpe in ("111111111", "222222222"):
        claim = file_make(member=member, lines=[CONSULTATION], filed_on=date(2025, 3, 15))
        ClaimFile.objects.filter(pk=claim.pk).update(provider_inpe=inpe)
        claims.append(claim_adjudicate(actor=None, claim=claim))
    page, base = browser_page, live_server.url
    _log_in(page, base, "medecin", "ar")
    end = date(2025, 3, 10) + timedelta(days=1)
    page.goto(f"{base}/reports/controls/?start=2025-01-01&end={end.isoformat()}")
    expect(page.locator("#control-signals tbody tr")).to_have_count(1)
    page.locator("#control-signals tbody a", has_text=claims[0].number).click()
    page.wait_for_url(f"{base}/claims/{claims[0].pk}/")
