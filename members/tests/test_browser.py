"""In a real browser: log in, find a member by an Arabic name, open the file — in French and in Arabic."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
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
