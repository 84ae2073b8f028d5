"""In a real browser: the manager's dashboard in Arabic, right to left, its charts drawn and the
CSP respected (no refused inline style), and the claims officer's home linking to a filtered list."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from reports.summary import reports_refresh_run
from reports.tests import fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _log_in(page, base_url: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pass-Word-123")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def test_it_draws_the_dashboard_right_to_left_in_arabic(browser_page, live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    fixture.build()
    reports_refresh_run(today=fixture.TODAY)
    make_user(Role.MANAGER, username="direction")
    page = browser_page
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    _log_in(page, live_server.url, "direction")
    with page.expect_navigation():
        page.select_option("#language-form select[name=language]", "ar")
    page.goto(f"{live_server.url}/reports/dashboard/?period=all")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    delays = page.locator("#panel-delays")
    expect(delays.locator("svg.chart")).to_be_visible()
    expect(delays.locator("table")).to_contain_text("45,0")  # the average of 20, 45 and 70 days
    # Bars grow from the right: the bar's right edge is near the chart's right side, not its left.
    box = page.locator("#panel-category svg.chart").bounding_box()
    bar = page.locator("#panel-category svg.chart rect.chart-bar").first.bounding_box()
    assert box is not None and bar is not None
    assert bar["x"] + bar["width"] > box["x"] + box["width"] / 2
    assert refused == []


def test_it_opens_the_filtered_list_from_the_officers_home(browser_page, live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    fixture.build()
    make_user(Role.CLAIMS_OFFICER, username="liquidateur")
    page = browser_page
    _log_in(page, live_server.url, "liquidateur")
    home = page.locator("#home-officer")
    expect(home).to_be_visible()
    home.locator("tbody tr").first.locator("td a").last.click()  # received, every age
    expect(page).to_have_url(re.compile(r"/claims/\?status=received$"))
    expect(page.locator("#claim-totals")).to_contain_text("1")  # F5, the one received file
