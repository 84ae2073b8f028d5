"""The back office's claim list: search, filters, totals of everything filtered, sorts, exports."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from claims.models import ClaimFile
from claims.tests.factories import CONSULTATION, CONSULTATION_DECIDED, MEDICINE, file_make, member_make
from members.models import Administration, Beneficiary, Member
from members.services import member_search_text_refresh

pytestmark = pytest.mark.django_db
URL = reverse("claims:list")


def _numbers(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.number for c in response.context["page"]]


def _named(last: str, last_ar: str, first_ar: str = "كريم") -> Member:
    member = member_make()
    Beneficiary.objects.filter(member=member).update(last_name=last, last_name_ar=last_ar, first_name_ar=first_ar)
    member_search_text_refresh(member=member)
    return member


def test_it_finds_a_file_by_part_of_its_number_of_the_card_or_of_the_membership(client_for) -> None:
    client = client_for(Role.CLAIMS_OFFICER)
    a, b = member_make(), member_make()
    fa = file_make(member=a, lines=[CONSULTATION], number="C00012345")
    file_make(member=b, lines=[CONSULTATION], number="C00099999")
    assert _numbers(client.get(URL, {"q": "1234"})) == [fa.number]
    card_tail = a.beneficiaries.get().card_number[-5:]  # "NNN-00", the end of the card only
    assert _numbers(client.get(URL, {"q": f" {card_tail} "})) == [fa.number]
    assert _numbers(client.get(URL, {"q": a.membership_number})) == [fa.number]


def test_it_lists_once_a_file_found_by_its_number_card_and_membership_and_keeps_the_other_filters(
    client_for,
) -> None:
    client = client_for(Role.CLAIMS_OFFICER)
    member = member_make()
    number = member.membership_number  # in the file's number, the card ("NNNNNN-00") and the membership
    found = file_make(member=member, lines=[CONSULTATION], number=f"C{number}", status="received")
    file_make(member=member, lines=[CONSULTATION], status="adjudicated", reimbursed=CONSULTATION_DECIDED)
    response = client.get(URL, {"q": number, "status": "received"})
    assert _numbers(response) == [found.number]
    assert response.context["totals"].count == 1


def test_it_finds_by_number_only_the_files_a_member_may_see(client_for) -> None:
    client = client_for(Role.MEMBER)
    mine = file_make(member=member_make(user=client.user), lines=[CONSULTATION], number="C00012345")
    other = member_make()
    file_make(member=other, lines=[CONSULTATION], number="C00012346")
    assert _numbers(client.get(URL, {"q": "0001234"})) == [mine.number]
    assert _numbers(client.get(URL, {"q": other.membership_number})) == []


def test_it_finds_files_by_a_name_in_latin_or_arabic_script_folded(client_for) -> None:
    client = client_for(Role.CLAIMS_OFFICER)
    ahmed = _named("Bennani", "البناني", first_ar="أحمد")
    other = _named("Tazi", "التازي")
    mine = file_make(member=ahmed, lines=[CONSULTATION])
    file_make(member=other, lines=[CONSULTATION])
    assert _numbers(client.get(URL, {"q": "benn"})) == [mine.number]
    assert _numbers(client.get(URL, {"q": "احمد"})) == [mine.number]  # hamza folded: احمد finds أحمد
    assert _numbers(client.get(URL, {"q": "بناني"})) == [mine.number]  # without the article


def test_it_filters_by_dates_status_channel_provider_administration_and_claimed_amount(client_for) -> None:
    client = client_for(Role.CLAIMS_OFFICER)
    m1, m2 = member_make(), member_make()
    other_admin = Administration.objects.create(code="SANTE", name_fr="Santé", name_ar="الصحة")
    Member.objects.filter(pk=m2.pk).update(administration=other_admin)
    early = file_make(member=m1, lines=[CONSULTATION], filed_on=date(2025, 3, 1))
    late = file_make(member=m1, lines=[MEDICINE], filed_on=date(2025, 3, 31), channel="post")
    elsewhere = file_make(member=m2, lines=[CONSULTATION], filed_on=date(2025, 3, 15), status="adjudicated")
    ClaimFile.objects.filter(pk=late.pk).update(provider_inpe="987654321")
    both_ends = {"filed_from": "2025-03-01", "filed_to": "2025-03-15"}
    assert set(_numbers(client.get(URL, both_ends))) == {early.number, elsewhere.number}  # both days included
    assert _numbers(client.get(URL, {"status": "adjudicated"})) == [elsewhere.number]
    assert _numbers(client.get(URL, {"channel": "post"})) == [late.number]
    assert _numbers(client.get(URL, {"provider": "987654321"})) == [late.number]
    assert _numbers(client.get(URL, {"administration": other_admin.pk})) == [elsewhere.number]
    # Claimed = what the member paid: 100.00 for a consultation, 200.00 for the medicine; both bounds included.
    assert _numbers(client.get(URL, {"claimed_min": "150", "claimed_max": "200.00"})) == [late.number]
    assert set(_numbers(client.get(URL, {"claimed_max": "100"}))) == {early.number, elsewhere.number}


def test_it_refuses_a_bad_filter_with_a_400_and_the_reason_on_the_field(client_for) -> None:
    client = client_for(Role.CLAIMS_OFFICER)
    response = client.get(URL, {"filed_from": "2025-03-10", "filed_to": "2025-03-01"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert response.context["form"].errors["filed_to"] == ["La date de fin est antérieure à la date de début."]
    for bad in ({"claimed_min": "-1"}, {"provider": "12'; DROP"}, {"sort": "password"}, {"status": "nope"}):
        assert client.get(URL, bad).status_code == 400


def test_it_sums_every_filtered_file_not_only_the_page(client_for) -> None:
    client = client_for(Role.CLAIMS_OFFICER)
    member = member_make()
    for _ in range(27):  # more than a page of 25
        file_make(member=member, lines=[CONSULTATION], status="adjudicated", reimbursed=CONSULTATION_DECIDED)
    file_make(member=member, lines=[MEDICINE], status="received")
    response = client.get(URL, {"status": "adjudicated"})
    totals = response.context["totals"]
    assert len(response.context["page"]) == 25
    # 27 files of 100.00 claimed, each 64.00 AMO + 10.00 complementary, remainder 26.00.
    assert totals.count == 27
    assert (totals.claimed, totals.amo, totals.complementary, totals.remainder) == (
        Decimal("2700.00"), Decimal("1728.00"), Decimal("270.00"), Decimal("702.00"),
    )  # fmt: skip


def test_it_sorts_by_a_column_and_keeps_the_filters_in_the_header_links(client_for) -> None:
    client = client_for(Role.CLAIMS_OFFICER)
    member = member_make()
    cheap = file_make(member=member, lines=[CONSULTATION], number="A1")
    dear = file_make(member=member, lines=[MEDICINE], number="A2")
    assert _numbers(client.get(URL, {"sort": "-claimed"})) == [dear.number, cheap.number]
    assert _numbers(client.get(URL, {"sort": "claimed"})) == [cheap.number, dear.number]
    page = client.get(URL, {"status": "received", "sort": "number"}).content.decode()
    assert "?status=received&amp;sort=-number" in page  # the current column, the other way round


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_exports_every_filtered_file_in_a_constant_number_of_queries(
    client_for, django_assert_num_queries, fmt: str
) -> None:  # fmt: skip
    client = client_for(Role.CLAIMS_OFFICER)

    def export() -> bytes:
        response = client.get(URL, {"status": "received", "export": fmt})
        assert response.status_code == 200
        return b"".join(response.streaming_content)

    for _ in range(3):
        file_make(member=member_make(), lines=[CONSULTATION])
    export()  # warm the session and permission caches
    with CaptureQueriesContext(connection) as few:
        export()
    for _ in range(27):
        file_make(member=member_make(), lines=[CONSULTATION])
    with django_assert_num_queries(len(few.captured_queries)):
        data = export()
    rows = _sheet(data, fmt)
    assert len(rows) == 31 and rows[0][0] == "Number"


def _sheet(data: bytes, fmt: str) -> list[list[object]]:
    if fmt == "csv":
        return [list(row) for row in csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")]
    return [list(r) for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]  # type: ignore[union-attr]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_exports_a_formula_like_name_as_text_with_labels_and_amounts_as_numbers(client_for, fmt: str) -> None:
    client = client_for(Role.CLAIMS_OFFICER)
    member = member_make()
    Beneficiary.objects.filter(member=member).update(first_name='=HYPERLINK("http://x","y")')
    file_make(member=member, lines=[CONSULTATION], status="adjudicated", reimbursed=CONSULTATION_DECIDED)
    response = client.get(URL, {"export": fmt}, HTTP_ACCEPT_LANGUAGE="fr")
    header, row = _sheet(b"".join(response.streaming_content), fmt)
    assert header[0] == "Numéro"
    assert str(row[4]).startswith("'=HYPERLINK")
    assert row[8] == "Liquidé" and row[6] == "MEF — Finances"
    amounts = row[10:15]
    if fmt == "xlsx":
        assert amounts == [100, 64, 10, 26, 74]
    else:
        assert amounts == ["100.00", "64.00", "10.00", "26.00", "74.00"]


def test_a_member_cannot_export_and_sees_only_their_own_files(client_for) -> None:
    client = client_for(Role.MEMBER)
    file_make(member=member_make(user=client.user), lines=[CONSULTATION])
    file_make(member=member_make(), lines=[CONSULTATION])
    assert client.get(URL, {"export": "csv"}).status_code == 403
    assert client.get(URL).context["totals"].count == 1
