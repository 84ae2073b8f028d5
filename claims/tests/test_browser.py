"""In a real browser: a file taken at the counter, adjudicated, approved, its statement downloaded (fr and ar).

Figures (referential seed of migration referentials 0002, member joined in 2020, private sector):
- consultation, key letter C = 80.00 MAD, paid 200.00: basis 80.00, AMO 80 % = 64.00, complementary flat 10.00,
  remainder 200.00 - 64.00 - 10.00 = 126.00;
- Doliprane 500 (6118000000001), public price 12.50, generic reference price 8.50: basis 8.50, AMO 70 % = 5.95,
  complementary 20 % = 1.70, remainder 12.50 - 5.95 - 1.70 = 4.85;
- reimbursed to the member: 64.00 + 10.00 + 5.95 + 1.70 = 81.65.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from accounts.roles import Role
from claims.models import ClaimFile, ClaimStatus
from members.tests.registry_factories import member_make

# serialized_rollback: the referential seed of the migrations is restored after the flush of the previous test.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DOLIPRANE = "6118000000001"


def _log_in(page, base_url: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pass-Word-123")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def _choose_language(page, code: str) -> None:  # type: ignore[no-untyped-def]
    with page.expect_navigation():
        page.select_option("#language-form select[name=language]", code)


def _take_at_counter(page, base_url: str, card: str, care_date: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/claims/counter/")
    # The cursor starts on the card number; Enter there goes to the first line's code, it does not submit.
    expect(page.locator("input[name=card_number]")).to_be_focused()
    page.keyboard.type(card)
    page.keyboard.press("Enter")
    expect(page.locator("[name=lines-0-code]")).to_be_focused()
    expect(page.locator("#ben-found")).to_contain_text("Bennani")

    line = page.locator("tr.line").nth(0)
    page.locator("[name=lines-0-code]").focus()
    page.keyboard.type("C")
    page.fill("[name=lines-0-care_date]", care_date)
    page.locator("[name=lines-0-paid]").focus()
    page.keyboard.type("200")
    page.keyboard.press("Tab")
    # Live amounts, while the fields being typed in stay as they are.
    expect(line.locator("td.amo")).to_have_text("64,00")
    expect(line.locator("td.complementary")).to_have_text("10,00")
    expect(line.locator("td.remainder")).to_have_text("126,00")
    assert page.locator("[name=lines-0-paid]").input_value() == "200"

    # Enter in a line adds the next one, the cursor on it, with the same date of care.
    page.locator("[name=lines-0-paid]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("tr.line")).to_have_count(2)
    expect(page.locator("[name=lines-1-code]")).to_be_focused()
    expect(page.locator("[name=lines-1-care_date]")).to_have_value(care_date)
    # Code completion by the medicine's name: Enter picks it, sets the kind and goes to the amount.
    page.keyboard.type("Dolipr")
    option = page.locator(f"#code-options li[data-code='{DOLIPRANE}']")
    expect(option).to_contain_text("Doliprane 500")
    page.keyboard.press("Enter")
    expect(page.locator("[name=lines-1-code]")).to_have_value(DOLIPRANE)
    expect(page.locator("[name=lines-1-kind]")).to_have_value("medicine")
    expect(page.locator("[name=lines-1-paid]")).to_be_focused()
    page.keyboard.type("12.50")
    page.keyboard.press("Tab")
    second = page.locator("tr.line").nth(1)
    expect(second.locator("td.amo")).to_have_text("5,95")
    expect(second.locator("td.complementary")).to_have_text("1,70")
    expect(page.locator("#total-amo")).to_have_text("69,95")

    page.keyboard.press("Alt+s")
    page.wait_for_url(re.compile(r"/claims/counter/\d+/receipt/"))  # the member's receipt first
    page.click("#open-file")
    page.wait_for_url(re.compile(r"/claims/\d+/$"))


def _pdf_text(data: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize(("language", "direction"), [("fr", "ltr"), ("ar", "rtl")])
def test_it_takes_a_file_at_the_counter_approves_it_and_downloads_the_statement(
    browser_page, live_server, make_user, tmp_path: Path, language: str, direction: str
) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.RECEPTION, username="guichet")
    make_user(Role.CLAIMS_OFFICER, username="liquidateur")
    member = member_make(last_name="Bennani", first_name="Khadija", last_name_ar="بناني", first_name_ar="خديجة")
    card = member.beneficiaries.get().card_number
    care_date = timezone.localdate().isoformat()
    page = browser_page
    base = live_server.url

    _log_in(page, base, "guichet")
    _choose_language(page, language)
    assert page.get_attribute("html", "dir") == direction
    _take_at_counter(page, base, card, care_date)
    claim = ClaimFile.objects.get()
    assert claim.status == ClaimStatus.ADJUDICATED
    assert str(claim.amo) == "69.95" and str(claim.complementary) == "11.70" and str(claim.remainder) == "130.85"
    with translation.override(language):
        expect(page.locator("h1 .badge")).to_have_text(str(ClaimStatus.ADJUDICATED.label))
    expect(page.locator("tfoot")).to_contain_text("69,95")

    page.click("nav form[action$='logout/'] button")
    _log_in(page, base, "liquidateur")
    assert page.get_attribute("html", "dir") == direction
    page.goto(f"{base}/claims/")
    page.locator("tbody tr", has_text=card).locator("a").first.click()
    page.wait_for_url(f"{base}/claims/{claim.pk}/")
    page.click("form button[name=to][value=approved]")
    page.wait_for_url(f"{base}/claims/{claim.pk}/")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED

    link = page.locator(f"a[href$='statement.pdf?lang={language}']")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"decompte-{claim.number}-{language}.pdf"
    response = page.request.get(f"{base}{link.get_attribute('href')}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    data = response.body()
    assert data.startswith(b"%PDF") and Path(download.value.path()).read_bytes().startswith(b"%PDF")

    text = _pdf_text(data, tmp_path, f"{language}.pdf")
    name = "خديجة بناني" if language == "ar" else "Khadija Bennani"
    assert name in text, text
    assert card in text and claim.number in text
    for amount in ("200,00", "64,00", "10,00", "126,00", "5,95", "1,70", "69,95", "11,70", "130,85", "81,65"):
        assert amount in text, (amount, text)
