"""One way to write an amount: "83 250,23" in Arabic and French, "83,250.23" in English, on pages,
in PDFs' HTML, in the simulator and wherever `floatformat:"2g"` is still used."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from accounts.roles import Role
from claims.models import ClaimFile
from claims.services.documents import pdf_html, statement_context
from claims.tests.factories import file_make, member_make
from mutuelle.money import money_format

NNBSP = "\u202f"  # narrow no-break space, the thousands separator of ar and fr (mutuelle.formats)
AMOUNT = Decimal("83250.23")
EXPECTED = {"ar": f"83{NNBSP}250,23", "fr": f"83{NNBSP}250,23", "en": "83,250.23"}


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_it_writes_an_amount_in_the_readers_format(language: str) -> None:
    with translation.override(language):
        assert money_format(AMOUNT) == EXPECTED[language]
        assert money_format("150.00") == ("150.00" if language == "en" else "150,00")  # the engine's text
        assert money_format(Decimal("-4000")) == ("-4,000.00" if language == "en" else f"-4{NNBSP}000,00")
        assert money_format(Decimal("0.005")) == ("0.01" if language == "en" else "0,01")  # half up, once
        assert money_format(None) == "" and money_format("n/a") == "n/a"


@given(cents=st.integers(min_value=-(10**11), max_value=10**11), language=st.sampled_from(["ar", "fr", "en"]))
def test_it_gives_the_text_of_floatformat_2g_and_keeps_every_digit(cents: int, language: str) -> None:
    amount = Decimal(cents).scaleb(-2)
    template = Template('{{ a|money }}|{{ a|floatformat:"2g" }}')
    with translation.override(language):
        money, floatformat = template.render(Context({"a": amount})).split("|")
    assert money == floatformat
    separators = {"en": ",", "ar": NNBSP, "fr": NNBSP}[language]
    decimal_mark = "." if language == "en" else ","
    assert Decimal(money.replace(separators, "").replace(decimal_mark, ".")) == amount


def _approved_file() -> ClaimFile:
    claim = file_make(member=member_make(), lines=[{"kind": "act", "code": "CONS-G", "paid": "83250.23"}],
                      status="approved", reimbursed=("0.00", "0.00"))  # fmt: skip
    return claim


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_it_groups_the_amount_the_same_way_on_a_page_and_in_a_pdf(make_user, language: str) -> None:
    claim = _approved_file()
    officer = make_user(Role.CLAIMS_OFFICER)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(officer)
    page = client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert f'<bdi class="amount">{EXPECTED[language]}</bdi>' in page
    html = pdf_html("claims/statement_pdf.html", statement_context(user=officer, claim=claim, language=language),
                    language=language)  # fmt: skip
    assert f'<bdi class="amount">{EXPECTED[language]}</bdi>' in html
    assert "83250" not in page and "83250" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_it_groups_the_amount_in_the_simulators_output(language: str) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    data = {
        "filed_on": "2026-03-10", "filed_by": "member", "sector": "private", "kind": "doctor", "relation": "self",
        "birth_date": "1980-05-01", "member_joined": "2015-01-01", "member_status": "active",
        "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "1", "lines-MAX_NUM_FORMS": "30",
        "lines-0-kind": "act", "lines-0-code": "C", "lines-0-coefficient": "1", "lines-0-quantity": "1",
        "lines-0-date": "2026-03-01", "lines-0-paid": "83250.23",
    }  # fmt: skip
    page = client.post("/simulate/", data).content.decode()
    assert 'class="sim-result-line"' in page
    assert f'<bdi class="amount">{EXPECTED[language]}</bdi>' in page  # the line's amount paid, and the total
    assert "83250.23" not in page.split('id="result"')[1].split("</section>")[0]
