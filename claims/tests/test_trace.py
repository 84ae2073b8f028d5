"""The engine's trace as codes put in the reader's words, and the small rules named once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from claims.models import ClaimStatus
from claims.services import claim_adjudicate
from claims.tests.factories import CONSULTATION, CONSULTATION_DECIDED, file_make, holder, member_make, snapshot
from claims.trace import ALD_MASK, TEMPLATES, trace_ald_masked, trace_html, trace_text, trace_texts
from engine import TRACE_CODES, Trace
from engine.trace import TRACE_INTS, TRACE_PARAMS, trace_packed, trace_unpacked
from members.selectors import beneficiary_by_card
from mutuelle.i18n import language_resolve, request_language

TARIFF = Trace("tariff.act_letter", code="CONS-G", letter="C", coef=150, sector="private", value=8000, qty=1)
CEILING = Trace("ceiling", key="optics", year=2026, ceiling=150000, used=140050)


def test_it_has_a_template_for_every_code_the_engine_writes() -> None:
    assert set(TEMPLATES) == TRACE_CODES


def test_it_renders_an_entry_in_english_with_the_amounts_in_dirhams() -> None:
    with translation.override("en"):
        assert trace_text(TARIFF) == "tariff CONS-G = C1.5 (Private) 80.00 × 1"
        assert trace_text(Trace("amo.rate", rate=8050, basis="ambulatory")) == "AMO 80.5%, Ambulatory care"
        assert trace_text(CEILING) == "ceiling Optics 2026: 1,500.00, used 1,400.50"


def test_it_renders_an_entry_in_french_with_the_french_decimal_separator() -> None:
    with translation.override("fr"):
        assert trace_text(TARIFF) == "tarif CONS-G = C1,5 (Privé) 80,00 × 1"
        assert trace_text(Trace("cover.ended", date="2025-03-05")) == "couverture terminée le 2025-03-05"


def test_it_renders_an_entry_in_arabic() -> None:
    with translation.override("ar"):
        text = trace_text(Trace("prior_approval", ref="PA-7"))
    assert text == "موافقة مسبقة PA-7"


def test_it_shows_an_old_rows_string_as_it_is_and_an_unknown_code_without_failing() -> None:
    assert trace_texts(["tariff C private 80.00 × 1 × 1"]) == ["tariff C private 80.00 × 1 × 1"]
    assert trace_text({"code": "tariff.act", "params": {"code": "X"}}).startswith("tariff.act")  # a param missing
    assert trace_text({"code": "gone.code", "params": {}}) == "{'code': 'gone.code', 'params': {}}"


def test_it_isolates_codes_and_numbers_for_bidi_and_escapes_them_in_html() -> None:
    with translation.override("ar"):
        (html,) = trace_html([Trace("prior_approval", ref="<b>PA-7</b>")])
    assert html == "موافقة مسبقة <bdi>&lt;b&gt;PA-7&lt;/b&gt;</bdi>"
    (old,) = trace_html(["AMO 80% <ambulatory>"])
    assert old == "<bdi>AMO 80% &lt;ambulatory&gt;</bdi>"


def test_it_masks_the_long_term_illness_of_structured_and_old_entries_without_changing_them() -> None:
    stored = [Trace("amo.ald", rate=10000, ald="ALD12"), "AMO 100% ALD ALD12", TARIFF]
    shown = trace_ald_masked(stored, "ALD12")
    assert shown[0] == {"code": "amo.ald", "params": {"rate": 10000, "ald": ALD_MASK}}
    assert shown[1] == f"AMO 100% ALD {ALD_MASK}" and shown[2] is TARIFF
    assert stored[0]["params"]["ald"] == "ALD12"  # the stored entry is untouched


def test_it_keeps_trace_entries_immutable_and_equal_to_their_json() -> None:
    entry = Trace("amo.rate", rate=8000, basis="ambulatory")
    with pytest.raises(TypeError):
        entry["code"] = "x"
    assert entry == {"code": "amo.rate", "params": {"rate": 8000, "basis": "ambulatory"}}
    assert hash(entry) == hash(Trace("amo.rate", rate=8000, basis="ambulatory"))


@pytest.mark.django_db
def test_it_shows_the_trace_of_a_claim_page_in_french(client_for) -> None:
    claim = claim_adjudicate(
        actor=None, claim=file_make(member=member_make(), lines=[CONSULTATION]), snapshot=snapshot()
    )
    stored = claim.lines.get().trace
    # codes and values, not words, in the row, packed as "code|value|..."
    assert all(isinstance(t, str) and t.split("|")[0] in TRACE_CODES for t in stored)
    assert Trace("amo.rate", rate=8000, basis="ambulatory") in [trace_unpacked(t) for t in stored]
    page = client_for(Role.CLAIMS_OFFICER).get(reverse("claims:detail", args=[claim.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    text = page.content.decode()
    assert "tarif <bdi>C</bdi> (Privé) <bdi>80,00</bdi>" in text and "tariff" not in text


@pytest.mark.django_db
def test_it_says_which_files_have_a_statement_and_what_was_reimbursed() -> None:
    claim = file_make(member=member_make(), lines=[CONSULTATION], status="adjudicated", reimbursed=CONSULTATION_DECIDED)
    assert claim.reimbursed == Decimal("74.00") and not claim.has_statement
    for status in (ClaimStatus.APPROVED, ClaimStatus.IN_PAYMENT, ClaimStatus.PAID):
        claim.status = status
        assert claim.has_statement, status


@pytest.mark.django_db
def test_it_finds_a_beneficiary_by_card_as_typed() -> None:
    ben = holder(member_make())
    typed = f"  {ben.card_number[:3]} {ben.card_number[3:].lower()} "
    assert beneficiary_by_card(card=typed) == ben
    assert beneficiary_by_card(card="") is None and beneficiary_by_card(card="999999-99") is None


def test_it_resolves_the_language_from_the_first_one_asked() -> None:
    assert language_resolve("ar-MA") == "ar" and language_resolve("en_GB") == "en"
    assert language_resolve(None, "", "de", "ar") == "fr"  # the first asked decides; French when not offered
    assert language_resolve("en", allowed=("ar", "fr")) == "fr"
    request = RequestFactory().get("/x", {"lang": "ar"})
    assert request_language(request) == "ar" and request_language(request, "en") == "en"


def test_it_packs_every_code_and_reads_it_back() -> None:
    names = sorted({n for ns in TRACE_PARAMS.values() for n in ns})
    samples = {name: (7 if name in TRACE_INTS else "x") for name in names}
    assert set(TRACE_PARAMS) == set(TRACE_CODES) and TRACE_INTS <= set(names)
    for code, names_of in TRACE_PARAMS.items():
        entry = Trace(code, **{n: samples[n] for n in names_of})
        packed = trace_packed(entry)
        assert packed == "|".join([code, *(str(samples[n]) for n in names_of)])
        assert trace_unpacked(packed) == entry and trace_text(packed) == trace_text(entry)
        assert trace_unpacked([code, *(samples[n] for n in names_of)]) == entry  # rows stored as lists
    # A text holding the separator, or a value of another type, is stored as the list: read back the same.
    for odd_value in (Trace("unknown.act", code="A|B"), Trace("tariff.act", code="C", amount="80", qty=1)):
        assert trace_packed(odd_value) == [odd_value.code, *odd_value.params.values()]
        assert trace_unpacked(trace_packed(odd_value)) == odd_value
    odd = Trace("amo.rate", rate=8000)  # not the code's parameters: kept as the object
    assert trace_packed(odd) is odd and trace_unpacked({"code": "amo.rate", "params": {}}) == {
        "code": "amo.rate",
        "params": {},
    }
    assert trace_unpacked("an old row's words") == "an old row's words"
    assert trace_unpacked("amo.rate|eighty|ambulatory") == "amo.rate|eighty|ambulatory"  # not ours: as it is


@pytest.mark.django_db
def test_it_keeps_codes_and_arrows_the_right_way_on_an_arabic_claim_page(client_for) -> None:
    claim = claim_adjudicate(
        actor=None, claim=file_make(member=member_make(), lines=[CONSULTATION]), snapshot=snapshot()
    )
    page = client_for(Role.CLAIMS_OFFICER).get(reverse("claims:detail", args=[claim.pk]), HTTP_ACCEPT_LANGUAGE="ar")
    text = page.content.decode()
    history = text.split("<ol>")[-1].split("</ol>")[0]
    assert "←" in history and "→" not in history  # received, then adjudicated: the arrow points the reading way


def test_it_isolates_a_key_letter_and_its_coefficient_as_one_term() -> None:
    with translation.override("ar"):
        html = trace_html([TARIFF])[0]
    assert "<bdi>C1,5</bdi>" in html or "<bdi>C1.5</bdi>" in html  # one isolate: not read "1,5C" right to left
