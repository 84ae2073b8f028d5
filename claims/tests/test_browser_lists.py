"""In a real browser, in Arabic and French: the claim list filtered with its totals, the prior-approval
queue, a batch preview and the batch page seen by its preparer (no validate button, the reason instead).

Screenshots go to the test's temporary folder, or to $LISTS_SCREENSHOTS when set (docs/screenshots for
the README: `LISTS_SCREENSHOTS=docs/screenshots pytest claims/tests/test_browser_lists.py`).

Figures: three adjudicated consultations of 100.00 claimed, 64.00 AMO and 10.00 complementary each
(claims.tests.factories.CONSULTATION_DECIDED): count 3, claimed 300.00, AMO 192.00, complementary 30.00.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from claims.services.approvals import prior_approval_request
from claims.tests.factories import CONSULTATION, CONSULTATION_DECIDED, file_make, holder
from claims.tests.factories import member_make as claims_member
from members.models import Beneficiary
from members.services import member_search_text_refresh
from payments.models import BatchKind
from payments.services import payment_batch_prepare
from payments.tests.factories import claim_make, member_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "pass-Word-123"  # the test users' password (conftest.make_user)


def _log_in(page, base_url: str, username: str, language: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    with page.expect_navigation():
        page.select_option("#language-form select[name=language]", language)


def _shot(page, folder: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(folder / name), full_page=True)


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_it_shows_the_lists_the_queue_and_the_batch_pages(
    browser_page, live_server, make_user, tmp_path: Path, language: str
) -> None:  # fmt: skip
    folder = Path(os.environ.get("LISTS_SCREENSHOTS") or tmp_path)
    page, base = browser_page, live_server.url
    for last, last_ar, first, first_ar in (("Alaoui", "العلوي", "Karim", "كريم"), ("Bennani", "البناني", "Hind", "هند"),
                                           ("Tazi", "التازي", "Omar", "عمر")):  # fmt: skip
        member = claims_member()
        Beneficiary.objects.filter(member=member).update(
            last_name=last, last_name_ar=last_ar, first_name=first, first_name_ar=first_ar
        )
        member_search_text_refresh(member=member)
        file_make(member=member, lines=[CONSULTATION], status="adjudicated", reimbursed=CONSULTATION_DECIDED)
        file_make(member=member, lines=[CONSULTATION], status="received")
    doctor_member = claims_member()
    prior_approval_request(actor=make_user(Role.RECEPTION), beneficiary=holder(doctor_member), kind="act", code="IRM",
                           justification="Lombalgie rebelle depuis 3 mois, suspicion de hernie discale")  # fmt: skip

    officer = make_user(Role.CLAIMS_OFFICER)
    _log_in(page, base, officer.username, language)
    page.goto(f"{base}/claims/?status=adjudicated&sort=-claimed")
    expect(page.locator("#claim-totals")).to_contain_text("192")
    expect(page.locator("#claim-totals")).to_contain_text("300")
    _shot(page, folder, f"lists-claims-{language}.png")

    page.context.clear_cookies()
    doctor = make_user(Role.MEDICAL_CONTROLLER)
    _log_in(page, base, doctor.username, language)
    page.goto(f"{base}/claims/approvals/")
    expect(page.locator("form.card")).to_contain_text("Lombalgie")
    page.locator("form.card button[value=grant]").click()  # no dates: refused on the fields
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    _shot(page, folder, f"lists-approvals-{language}.png")

    page.context.clear_cookies()
    for n in range(3):
        claim_make(member_make(), amo="80.00", complementary=f"1{n}.50")
    claim_make(member_make(rib=""), amo="40.00", complementary="5.00")
    preparer = make_user(Role.ACCOUNTANT)
    _log_in(page, base, preparer.username, language)
    page.goto(f"{base}/payments/preview/?kind={BatchKind.MEMBER_TRANSFER}")
    expect(page.locator("#preview-exclusions")).to_be_visible()
    _shot(page, folder, f"lists-batch-preview-{language}.png")
    batch = payment_batch_prepare(actor=preparer, kind=BatchKind.MEMBER_TRANSFER)
    page.goto(f"{base}/payments/{batch.pk}/")
    expect(page.locator("#why-not-validate")).to_be_visible()
    expect(page.locator("#batch-actions form[action$='/validate/']")).to_have_count(0)
    _shot(page, folder, f"lists-batch-{language}.png")
