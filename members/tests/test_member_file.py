"""The member's file as a hub: the claim files (linked, counted, summed), prior approvals and
payments sections, "New claim for this member" opening the counter with the card typed, the claim
page linking back, and names in the Arabic script on Arabic pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from claims.tests.factories import CONSULTATION, CONSULTATION_DECIDED, MEDICINE, file_make, holder, member_make

pytestmark = pytest.mark.django_db


def _page(client, member, language: str = "en") -> str:  # type: ignore[no-untyped-def]
    response = client.get(reverse("members:detail", args=[member.pk]), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_it_lists_the_members_claim_files_with_links_count_and_sums(client_for) -> None:
    member, other = member_make(), member_make()
    first = file_make(member=member, lines=[CONSULTATION], reimbursed=CONSULTATION_DECIDED)
    second = file_make(member=member, lines=[MEDICINE])
    file_make(member=other, lines=[CONSULTATION])  # someone else's: not on this file
    page = _page(client_for(Role.CLAIMS_OFFICER), member)
    section = page[page.index('id="member-claims"') :]
    for claim in (first, second):
        assert f'href="{reverse("claims:detail", args=[claim.pk])}"' in section
    assert section.count('href="/claims/') == 2
    # Paid 100.00 + 200.00 = 300.00; AMO 64.00 + 0 = 64.00; complementary 10.00; remainder 300 - 74 = 226.00.
    footer = section[section.index("<tfoot>") : section.index("</tfoot>")]
    assert "Total of 2 files (MAD)" in footer
    for amount in ("300.00", "64.00", "10.00", "226.00"):
        assert f'<bdi class="amount">{amount}</bdi>' in footer


def test_it_offers_a_new_claim_that_opens_the_counter_with_the_card(client_for) -> None:
    member = member_make()
    card = holder(member).card_number
    client = client_for(Role.RECEPTION)
    page = _page(client, member)
    counter = f"{reverse('claims:counter')}?card={card}"
    assert f'href="{counter}" id="new-claim">New claim for this member</a>' in page
    form = client.get(counter).content.decode()
    assert f'value="{card}"' in form and 'id="ben-found"' in form
    # The cursor waits on the first line, not on the card already typed.
    assert 'name="card_number"' in form and "autofocus" not in form.split('name="card_number"')[1].split(">")[0]


def test_it_offers_no_new_claim_to_a_reader_who_may_not_file(client_for) -> None:
    page = _page(client_for(Role.AUDITOR), member_make())
    assert "New claim for this member" not in page and "?card=" not in page


def test_it_links_the_claim_page_back_to_the_members_file(client_for) -> None:
    member = member_make()
    claim = file_make(member=member, lines=[CONSULTATION])
    page = client_for(Role.CLAIMS_OFFICER).get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert f'<a href="{reverse("members:detail", args=[member.pk])}" id="member-link">' in page
    assert member.membership_number in page


def test_it_names_people_in_the_arabic_script_on_arabic_pages(client_for) -> None:
    member = member_make()
    person = holder(member)
    client = client_for(Role.CLAIMS_OFFICER)
    file_make(member=member, lines=[CONSULTATION])
    arabic = _page(client, member, "ar")
    title = arabic[arabic.index("<h1") : arabic.index("</h1>")]
    assert title.index(person.last_name_ar) < title.index(person.last_name)
    claims = arabic[arabic.index('id="member-claims"') :]
    assert person.full_name_ar in claims and person.full_name not in claims
    french = _page(client, member, "fr")
    title = french[french.index("<h1") : french.index("</h1>")]
    assert title.index(person.last_name) < title.index(person.last_name_ar)


def test_it_reads_the_claims_section_in_constant_queries(client_for) -> None:
    member = member_make()
    client = client_for(Role.CLAIMS_OFFICER)
    file_make(member=member, lines=[CONSULTATION])
    _page(client, member)  # permissions cached

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            _page(client, member)
        return len(captured)

    one = queries()
    for _ in range(6):
        file_make(member=member, lines=[CONSULTATION])
    assert queries() == one


def test_it_links_each_payment_to_its_batch_and_its_claim_files(client_for, make_user) -> None:
    from payments.models import BatchKind
    from payments.services import payment_batch_prepare
    from payments.tests import factories as pay

    member = pay.member_make()
    claim = pay.claim_make(member, amo="1200.00", complementary="34.50")
    batch = payment_batch_prepare(actor=make_user(Role.ACCOUNTANT), kind=BatchKind.MEMBER_TRANSFER)
    page = _page(client_for(Role.AUDITOR), member)
    section = page[page.index('id="member-payments"') :]
    assert f'href="{reverse("payments:detail", args=[batch.pk])}"' in section
    assert f'href="{reverse("claims:detail", args=[claim.pk])}"' in section
    # 1200.00 + 34.50 = 1234.50, grouped in English: 1,234.50.
    assert '<bdi class="amount">1,234.50</bdi>' in section
