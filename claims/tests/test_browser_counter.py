"""In a real browser: the README's two-line file typed at the counter with the keyboard only, its key
presses counted (docs/readme-counter.md notes the figure).

Counting: one press per character typed and per key pressed (Tab, Enter, arrows; Alt+S is one press).
The file: card 100001-01, filed today; act CONS-G paid 150.00; medicine 6118000000004 (Clamoxyl 1 g)
paid 59.90; both cared for today.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.roles import Role
from claims.models import ClaimFile
from members.models import Relation
from members.tests.registry_factories import dependant_make, member_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CARD = "100001-01"
KEYS_BEFORE = 72  # the same file on the counter of commit 99f3203 (docs/readme-counter.md)
KEYS_AFTER = 44
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@dataclass
class Keyboard:
    """The page's keyboard, counting what the agent presses."""

    page: Page
    presses: list[str] = field(default_factory=list)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.presses.extend(text)

    def press(self, key: str, times: int = 1) -> None:
        for _ in range(times):
            self.page.keyboard.press(key)
            self.presses.append(key)

    def tab_to(self, name: str) -> None:
        """Tab until the field `name` has the cursor (a date field takes one Tab per part and its picker)."""
        for _ in range(20):
            if self.page.evaluate("document.activeElement && document.activeElement.name") == name:
                return
            self.press("Tab")
        raise AssertionError(f"Tab never reached {name}")


def _log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pass-Word-123")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def _counter_open(page: Page, base_url: str, live_server_user: str = "guichet") -> None:
    _log_in(page, base_url, live_server_user)
    page.goto(f"{base_url}/claims/counter/")
    expect(page.locator("input[name=card_number]")).to_be_focused()


def _readme_member() -> None:
    member = member_make(membership_number="100001")
    spouse = dependant_make(member, relation=Relation.SPOUSE, first_name="Khadija", birth_date=dt.date(1984, 2, 9))
    assert spouse.card_number == CARD


def test_it_takes_the_readme_file_in_fewer_key_presses(browser_page, live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.RECEPTION, username="guichet")
    _readme_member()
    page, base = browser_page, live_server.url
    _counter_open(page, base)
    keys = Keyboard(page)
    today = timezone.localdate()
    # The first line is already dated as the filing date, today.
    expect(page.locator("[name=lines-0-care_date]")).to_have_value(today.isoformat())

    keys.type(CARD)
    keys.press("Enter")  # straight to the first line's code
    expect(page.locator("[name=lines-0-code]")).to_be_focused()
    keys.type("CONS-G")
    expect(page.locator("#code-options li").first).to_have_text("CONS-G — Consultation de médecine générale")
    keys.press("Enter")  # picks the code lit and goes to the amount
    expect(page.locator("[name=lines-0-paid]")).to_be_focused()
    expect(page.locator("#code-label-0")).to_have_text("Consultation de médecine générale")
    keys.type("150.00")
    keys.press("Enter")  # a new line, the cursor on its code, dated as the line before
    expect(page.locator("[name=lines-1-code]")).to_be_focused()
    expect(page.locator("[name=lines-1-care_date]")).to_have_value(today.isoformat())
    keys.type("6118000000004")
    keys.press("Enter")  # the medicine: the line's kind follows the code picked
    expect(page.locator("[name=lines-1-paid]")).to_be_focused()
    expect(page.locator("[name=lines-1-kind]")).to_have_value("medicine")
    keys.type("59.90")
    keys.press("Alt+s")
    page.wait_for_url(re.compile(r"/claims/counter/\d+/receipt/"))

    claim = ClaimFile.objects.get()
    assert [(ln.kind, ln.code, str(ln.paid), ln.care_date) for ln in claim.lines.order_by("position")] == [
        ("act", "CONS-G", "150.00", today), ("medicine", "6118000000004", "59.90", today)]  # fmt: skip
    # 9 for the card, 6 + 6 and 13 + 5 for the lines, 5 presses of Enter and Alt+S: docs/readme-counter.md.
    assert len(keys.presses) == KEYS_AFTER < KEYS_BEFORE, keys.presses
    receipt = page.locator("#receipt")
    expect(receipt).to_contain_text(claim.number)
    expect(receipt).to_contain_text("Mutuelle Générale du Personnel")
    expect(receipt).to_contain_text("Consultation de médecine générale")
    expect(receipt.locator("#receipt-pieces")).to_contain_text("Feuille de soins")


def test_it_walks_the_completion_with_the_arrows_in_arabic(browser_page, live_server, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.RECEPTION, username="guichet")
    _readme_member()
    page, base = browser_page, live_server.url
    _log_in(page, base, "guichet")
    with page.expect_navigation():
        page.select_option("#language-form select[name=language]", "ar")
    page.goto(f"{base}/claims/counter/")
    expect(page.locator("input[name=card_number]")).to_be_focused()  # autofocus lands after "load"
    page.keyboard.type(CARD)
    page.keyboard.press("Enter")
    page.keyboard.type("استشارة")  # a label, in the page's language
    options = page.locator("#code-options li[data-code]")
    expect(options.first).to_contain_text("استشارة")
    codes = [o.get_attribute("data-code") for o in options.all()]
    assert codes[:3] == ["CONS-G", "CONS-PSY", "CONS-S"], codes
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(options.nth(2)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    expect(page.locator("[name=lines-0-code]")).to_have_value("CONS-PSY")
    expect(page.locator("[name=lines-0-paid]")).to_be_focused()
    expect(page.locator("#code-label-0")).to_have_text("استشارة الطب النفسي")
    page.keyboard.type("190")
    page.keyboard.press("Enter")
    expect(page.locator("[name=lines-1-code]")).to_be_focused()
    page.keyboard.type("clamox")
    expect(page.locator("#code-options li[data-code='6118000000004']")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "counter-ar.png"), full_page=True)
    page.keyboard.press("Enter")
    expect(page.locator("[name=lines-1-paid]")).to_be_focused()
    page.keyboard.type("59.90")
    page.keyboard.press("Alt+s")
    page.wait_for_url(re.compile(r"/claims/counter/\d+/receipt/"))
    expect(page.locator("#receipt")).to_contain_text("التعاضدية العامة للموظفين")
    page.screenshot(path=str(SCREENSHOTS / "counter-receipt-ar.png"), full_page=True)
