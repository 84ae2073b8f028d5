"""Codes typed on a line are brought to the lists' form, or refused with a reason; never dropped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from claims.models import AldRecognition, ClaimFile
from claims.services.intake import ClaimIntakeError, LineInput, claim_create
from claims.tests.factories import member_make
from members.models import Beneficiary
from referentials.codes import act_code_normalise, ald_code_normalise, medicine_code_normalise

pytestmark = pytest.mark.django_db
CARE = dt.date(2025, 3, 10)


@pytest.fixture(autouse=True)
def _no_sample(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CLAIMS_REVIEW_SAMPLE_SHARE = "0"


@pytest.mark.parametrize("typed", ["ALD-12", "ald 12", " Ald12 ", "ALD12", "ald_12", "ALD.12"])
def test_it_normalises_an_ald_code_to_the_lists_form(typed: str) -> None:
    assert ald_code_normalise(typed) == "ALD12"


def test_it_normalises_act_and_medicine_codes() -> None:
    assert ald_code_normalise("ald 7") == "ALD07" and ald_code_normalise("") == ""
    assert act_code_normalise(" cons-g ") == "CONS-G" and act_code_normalise("k") == "K"
    assert medicine_code_normalise(" 6 118000-000004 ") == "6118000000004"
    assert medicine_code_normalise("MED1") == "MED1"  # not a digits code: kept, the engine says unknown


def _spouse_recognised() -> Beneficiary:
    member = member_make()
    spouse = Beneficiary.objects.create(
        member=member, relation="spouse", rank=1, card_number=f"{member.membership_number}-01", last_name="Alaoui",
        first_name="Salma", last_name_ar="العلوي", first_name_ar="سلمى", birth_date=dt.date(1982, 2, 2), sex="F",
    )  # fmt: skip
    AldRecognition.objects.create(member_id=member.pk, beneficiary=spouse, code="ALD12", valid_from=dt.date(2025, 1, 1))
    return spouse


def _counter(card: str, *, code: str, ald: str) -> dict[str, str]:
    return {
        "card_number": card, "filed_on": "2025-03-20", "provider_inpe": "123456789", "provider_sector": "private",
        "diagnosis": "", "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "30", "lines-0-kind": "act", "lines-0-code": code, "lines-0-coefficient": "1",
        "lines-0-quantity": "1", "lines-0-care_date": CARE.isoformat(), "lines-0-paid": "150.00",
        "lines-0-ald": ald, "action": "save",
    }  # fmt: skip


def test_a_line_written_ald_dash_12_for_the_recognised_spouse_is_paid_at_100_percent(client_for) -> None:
    spouse = _spouse_recognised()
    client = client_for(Role.RECEPTION)
    response = client.post(reverse("claims:counter"), _counter(spouse.card_number, code="cons-s", ald="ALD-12"))
    assert response.status_code == 302
    line = ClaimFile.objects.get().lines.get()
    # CONS-S = Cs × 1: basis 150.00 (paid 150.00, tariff 150.00); recognised ALD12: AMO 100 % = 150.00; the
    # complementary is capped by what the member still owes: 150.00 - 150.00 = 0.
    assert (line.code, line.ald) == ("CONS-S", "ALD12")
    assert (line.basis, line.amo, line.complementary, line.remainder) == (
        Decimal("150.00"), Decimal("150.00"), Decimal("0.00"), Decimal("0.00")
    )  # fmt: skip


def test_an_unknown_ald_code_is_refused_on_its_line_and_nothing_is_filed(client_for) -> None:
    spouse = _spouse_recognised()
    client = client_for(Role.RECEPTION)
    response = client.post(reverse("claims:counter"), _counter(spouse.card_number, code="CONS-G", ald="ALD-99"))
    assert response.status_code == 200 and not ClaimFile.objects.exists()
    assert "is not a long-term illness (ALD) code of the list in force" in response.content.decode()


def test_the_intake_service_refuses_an_unknown_ald_code_whatever_the_channel() -> None:
    spouse = _spouse_recognised()
    line = LineInput(kind="act", code="CONS-G", care_date=CARE, paid=Decimal("150.00"), ald="ALD 99")
    with pytest.raises(ClaimIntakeError) as err:
        claim_create(actor=None, beneficiary=spouse, filed_on=dt.date(2025, 3, 20), channel="post", lines=[line])
    assert "ALD 99" in str(err.value.message) and not ClaimFile.objects.exists()
    ok = LineInput(kind="act", code="cons-g", care_date=CARE, paid=Decimal("150.00"), ald="ald 12")
    claim = claim_create(actor=None, beneficiary=spouse, filed_on=dt.date(2025, 3, 20), channel="post", lines=[ok])
    assert claim.lines.values_list("code", "ald").get() == ("CONS-G", "ALD12")


def test_a_key_letter_typed_in_any_case_is_the_lists_letter() -> None:
    from claims.services.preview import claim_preview

    member = member_make()
    ben = member.beneficiaries.get()
    for typed in ("cs", "CS", " Cs "):
        decision = claim_preview(
            beneficiary_id=ben.pk, filed_on=dt.date(2025, 3, 20), channel="counter", provider_inpe="123456789",
            provider_sector="private", provider_kind="doctor",
            lines=[LineInput(kind="act", care_date=CARE, paid=Decimal("200.00"), code=typed)],
        )  # fmt: skip
        # Cs = 150.00 (seeded): AMO 80 % = 120.00, complementary flat 10.00 per consultation.
        assert (decision.lines[0].amo, decision.lines[0].complementary, decision.lines[0].reasons) == (12000, 1000, ())


def test_the_provider_api_normalises_an_ald_code_and_answers_422_to_an_unknown_one(make_user) -> None:
    from django.test import Client

    from accounts.models import Provider
    from accounts.tokens import api_token_create

    provider = Provider.objects.create(inpe="100000777", name="Clinique Agdal", kind="clinic", sector="private")
    _token, plaintext = api_token_create(actor=None, user=make_user(Role.PROVIDER, provider_id=provider.pk))
    client = Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    spouse = _spouse_recognised()
    day = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    line = {"kind": "act", "code": "cons-s", "care_date": day, "paid": "150.00", "ald": "ALD99"}
    body = {"card": spouse.card_number, "external_ref": "F-1", "lines": [line]}
    refused = client.post("/api/v1/claims/?lang=en", body, content_type="application/json")
    assert refused.status_code == 422 and not ClaimFile.objects.exists()
    assert {"field": "lines[0].ald", "code": "unknown_ald"}.items() <= refused.json()["errors"][0].items()
    line["ald"] = "ald 12"
    filed = client.post("/api/v1/claims/?lang=en", body, content_type="application/json")
    assert filed.status_code == 201, filed.content
    # Cs × 1 = 150.00 basis; recognised ALD12: AMO 100 % = 150.00.
    assert ClaimFile.objects.get().lines.values_list("ald", "amo").get() == ("ALD12", Decimal("150.00"))
