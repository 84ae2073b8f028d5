"""In a real browser: log in, find a member by an Arabic name, open the file — in French and in Arabic;
a name too common to list says so. Screenshots go to the test's temporary folder, or to
$MEMBERS_SCREENSHOTS when set (`MEMBERS_SCREENSHOTS=docs/screenshots pytest members/tests/test_browser.py`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from members import selectors
from members.tests.registry_factories import member_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _log_in(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", "guichet")
    page.fill("input[name=password]", "pass-Word-123")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def _choose_language(page, code: str) -> None:  # type: ignore[no-untyped-def]
    with page.expect_navigation():
        page.select_option("#language-form select[name=language]", code)


@pytest.mark.parametrize(("language", "direction"), [("fr", "ltr"), ("ar", "rtl")])
def test_it_finds_a_member_by_arabic_name_and_opens_the_file(
    browser_page, live_server, make_user, language: str, direction: str
) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.RECEPTION, username="guichet")
    member = member_make(last_name="Bennani", first_name="Khadija", last_name_ar="بناني", first_name_ar="خديجة")
    member_make(last_name="Tazi", first_name="Omar", last_name_ar="التازي", first_name_ar="عمر")
    page = browser_page

    _log_in(page, live_server.url)
    _choose_language(page, language)
    assert page.get_attribute("html", "lang") == language
    assert page.get_attribute("html", "dir") == direction

    page.goto(f"{live_server.url}/members/")
    # Typed without the hamza and with a different ta-marbuta-free spelling: the search folds variants.
    page.fill("#member-search", "خديجه بناني")
    # The list starts with every member; the live search then narrows it to the one matching.
    expect(page.locator("#member-results tbody tr", has_text="التازي")).to_have_count(0)
    row = page.locator("#member-results tbody tr", has_text="بناني")
    expect(row).to_have_count(1)

    row.locator("a").first.click()
    page.wait_for_url(f"{live_server.url}/members/{member.pk}/")
    assert "Bennani" in page.locator("h1").inner_text()
    assert page.get_attribute("html", "dir") == direction


@pytest.mark.parametrize(("language", "notice"), [("fr", "Plus de 3 adhérents portent ces noms"),
                                                  ("ar", "أكثر من 3 منخرط يحملون هذه الأسماء")])  # fmt: skip
def test_it_says_when_a_name_is_too_common_to_list_every_member(
    browser_page, live_server, make_user, monkeypatch, tmp_path: Path, language: str, notice: str
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(selectors, "MAX_FOUND", 3)  # the live server runs in this process
    make_user(Role.RECEPTION, username="guichet")
    for n in range(5):
        member_make(membership_number=f"41000{n}", last_name="Amrani", first_name="Omar",
                    last_name_ar="العمراني", first_name_ar="عمر")  # fmt: skip
    page = browser_page
    _log_in(page, live_server.url)
    _choose_language(page, language)
    page.goto(f"{live_server.url}/members/")
    page.fill("#member-search", "عمر العمراني")
    expect(page.locator("#member-results .alert-warning")).to_contain_text(notice)
    expect(page.locator("#member-results tbody tr")).to_have_count(3)
    folder = Path(os.environ.get("MEMBERS_SCREENSHOTS") or tmp_path)
    page.screenshot(path=str(folder / f"members-search-capped-{language}.png"), full_page=True)
