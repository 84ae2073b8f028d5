"""In headless Chromium, under the real Content-Security-Policy: nothing the pages need is blocked."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_it_runs_the_pages_and_swagger_ui_with_nothing_blocked(browser_page, live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.RECEPTION, username="guichet")
    page, base = browser_page, live_server.url
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: blocked.append(str(e)))

    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", " guichet")  # the stripped name logs in
    page.fill("input[name=password]", "pass-Word-123")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/")
    with page.expect_navigation():  # the language menu submits itself (static app.js, no onchange=)
        page.select_option("#language-form select[name=language]", "ar")
    assert page.get_attribute("html", "dir") == "rtl"

    page.goto(f"{base}/claims/counter/")
    # Chromium applies autofocus at a rendering step after "load": wait for it, or Enter hits the body.
    expect(page.locator("input[name=card_number]")).to_be_focused()
    page.keyboard.press("Enter")  # counter.js: Enter on the card goes to the first code instead of submitting
    expect(page.locator("input[name=lines-0-code]")).to_be_focused()
    page.goto(f"{base}/members/")

    page.goto(f"{base}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Mutuelle API")
    expect(page.locator(".opblock").first).to_be_visible()
    assert blocked == []
