from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from members.models import Beneficiary, Member, Relation
from members.rules import DISABLED_NEEDS_CERTIFICATE
from members.tests.registry_factories import administration_make, dependant_make, member_make, valid_rib
from members.validators import CIN_INVALID, RIB_INVALID


def _form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "membership_number": "700001",
        "last_name": "Berrada",
        "first_name": "Youssef",
        "last_name_ar": "برادة",
        "first_name_ar": "يوسف",
        "birth_date": "1985-02-03",
        "sex": "M",
        "administration": administration_make().pk,
        "matricule": "1234567",
        "cin": "be 998877",
        "joined_on": "2019-09-01",
        "marital_status": "married",
        "phone": "0600000000",
        "email": "",
        "address": "",
        "city": "Casablanca",
        "region": "06",
        "rib": " ".join(valid_rib()[i : i + 4] for i in range(0, 24, 4)),
        "base_salary": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", [Role.PROVIDER, Role.CENTRE_COORDINATOR, Role.MEMBER])
def test_it_denies_the_list_to_roles_without_member_access(client_for, role) -> None:  # type: ignore[no-untyped-def]
    assert client_for(role).get(reverse("members:list")).status_code == 403


def test_it_lists_and_searches_members_with_htmx(client_for) -> None:  # type: ignore[no-untyped-def]
    member_make(membership_number="710001", last_name="Amrani", last_name_ar="العمراني")
    member_make(membership_number="710002", last_name="Tazi")
    client = client_for(Role.RECEPTION)
    page = client.get(reverse("members:list"), {"q": "amrani"})
    assert page.status_code == 200
    assert b"710001-00" in page.content and b"710002-00" not in page.content
    assert "العمراني" in page.content.decode()
    assert b'hx-get="/members/"' in page.content
    partial = client.get(reverse("members:list"), {"q": "tazi"}, headers={"HX-Request": "true"})
    assert b"710002-00" in partial.content and b"<html" not in partial.content


def test_it_paginates_by_25_with_a_constant_query_count(client_for, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.RECEPTION)
    for _ in range(3):
        member_make()
    client.get(reverse("members:list"))  # warm the session and permission caches
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("members:list"))
    for _ in range(27):
        member_make()
    with django_assert_num_queries(len(three.captured_queries)):
        page = client.get(reverse("members:list"))
    assert page.context["page"].paginator.count == 30
    assert len(page.context["page"].object_list) == 25


def _linked_member_client(client_for):  # type: ignore[no-untyped-def]
    client = client_for(Role.MEMBER)
    own = member_make()
    Member.objects.filter(pk=own.pk).update(user=client.user)
    return client, own


def test_it_shows_a_member_their_own_file_and_404_for_others(client_for) -> None:  # type: ignore[no-untyped-def]
    client, own = _linked_member_client(client_for)
    other = member_make()
    page = client.get(reverse("members:detail", args=[own.pk]))
    assert page.status_code == 200
    assert own.membership_number.encode() in page.content
    assert b"Audit trail" not in page.content and b"/edit/" not in page.content
    assert client.get(reverse("members:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("members:edit", args=[own.pk])).status_code == 403


@pytest.mark.parametrize("role", [Role.PROVIDER, Role.CENTRE_COORDINATOR])
def test_it_denies_a_member_file_to_outsiders(client_for, role) -> None:  # type: ignore[no-untyped-def]
    member = member_make()
    assert client_for(role).get(reverse("members:detail", args=[member.pk])).status_code == 403


def test_it_shows_the_file_with_dependants_eligibility_and_iban(client_for) -> None:  # type: ignore[no-untyped-def]
    member = member_make(joined_on=dt.date(2010, 1, 1), rib="000000000000000000000194")
    today = timezone.localdate()
    old_child = dependant_make(member, first_name="Nadia", birth_date=today.replace(year=today.year - 30, day=1))
    page = client_for(Role.RECEPTION).get(reverse("members:detail", args=[member.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "MA64000000000000000000000194" in body
    assert old_child.card_number in body
    assert 'data-reason="AGE_LIMIT"' in body
    assert "Audit trail" not in body  # a reception agent has no audit permission


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMINISTRATOR])
def test_it_shows_the_member_audit_trail_to_auditors(client_for, role) -> None:  # type: ignore[no-untyped-def]
    client = client_for(role)
    member = member_make()
    body = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "events" in client.get(reverse("members:detail", args=[member.pk])).context
    # The object by its model's name and its number (audit.presentation), not "members.member #1".
    assert f'data-object="members.member">Member <bdi class="code">{member.membership_number}</bdi>' in body
    assert f"members.member #{member.pk}" not in body


def test_it_lets_an_auditor_read_but_not_write(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.AUDITOR)
    member = member_make()
    child = dependant_make(member)
    assert client.get(reverse("members:list")).status_code == 200
    for url in (
        reverse("members:create"),
        reverse("members:edit", args=[member.pk]),
        reverse("members:status", args=[member.pk]),
        reverse("members:beneficiary_create", args=[member.pk]),
        reverse("members:beneficiary_edit", args=[child.pk]),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403
    assert Member.objects.count() == 1


def test_it_registers_a_member_through_the_form(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.RECEPTION)
    assert client.get(reverse("members:create")).status_code == 200
    response = client.post(reverse("members:create"), _form_data())
    member = Member.objects.get(membership_number="700001")
    assert response.status_code == 302 and response["Location"] == reverse("members:detail", args=[member.pk])
    assert (member.cin, member.rib) == ("BE998877", valid_rib())
    assert Beneficiary.objects.get(member=member).card_number == "700001-00"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rib": valid_rib()[:22] + "00"}, RIB_INVALID),
        ({"cin": "12AB"}, CIN_INVALID),
        ({"birth_date": "2999-01-01"}, "The birth date cannot be in the future."),
    ],
)
def test_it_shows_clear_errors_and_saves_nothing(client_for, overrides, message) -> None:  # type: ignore[no-untyped-def]
    response = client_for(Role.RECEPTION).post(reverse("members:create"), _form_data(**overrides))
    assert response.status_code == 400
    assert str(message) in response.content.decode()
    assert not Member.objects.exists() and not AuditEvent.objects.exists()


def test_it_refuses_a_duplicate_matricule_in_the_form(client_for) -> None:  # type: ignore[no-untyped-def]
    member_make(matricule="1234567", rib="")  # another RIB question would hide the matricule one
    response = client_for(Role.RECEPTION).post(reverse("members:create"), _form_data())
    assert response.status_code == 400
    assert "matricule" in response.context["form"].errors
    assert Member.objects.count() == 1


def test_it_renders_the_form_errors_in_arabic_right_to_left(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.RECEPTION)
    response = client.post(reverse("members:create"), _form_data(last_name=""), headers={"Accept-Language": "ar"})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'dir="rtl"' in body and "هذا الحقل مطلوب." in body
    assert not Member.objects.exists()


def test_it_edits_a_member_and_records_the_change(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.RECEPTION)
    member = member_make(city="Rabat")
    page = client.get(reverse("members:edit", args=[member.pk]))
    assert page.status_code == 200 and "membership_number" not in page.context["form"].fields
    data = {k: v for k, v in _form_data(city="Salé", matricule=member.matricule, cin=member.cin).items()}
    data.pop("membership_number")
    response = client.post(reverse("members:edit", args=[member.pk]), data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.city == "Salé"
    assert AuditEvent.objects.filter(member_id=member.pk, action="update", actor=client.user).exists()


def test_it_adds_and_edits_a_dependant_through_the_forms(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.RECEPTION)
    member = member_make(membership_number="720001")
    data = {
        "relation": "child",
        "last_name": "Berrada",
        "first_name": "Lina",
        "last_name_ar": "برادة",
        "first_name_ar": "لينا",
        "birth_date": "2012-04-05",
        "sex": "F",
        "cin": "",
        "disabled": "on",
        "disability_certificate": "",
    }
    refused = client.post(reverse("members:beneficiary_create", args=[member.pk]), data)
    assert refused.status_code == 400 and str(DISABLED_NEEDS_CERTIFICATE) in refused.content.decode()
    data["disability_certificate"] = "CERT-9"
    assert client.post(reverse("members:beneficiary_create", args=[member.pk]), data).status_code == 302
    child = Beneficiary.objects.get(member=member, relation=Relation.CHILD)
    assert (child.card_number, child.disabled) == ("720001-01", True)
    data.pop("relation")
    data["first_name"] = "Leena"
    assert client.post(reverse("members:beneficiary_edit", args=[child.pk]), data).status_code == 302
    child.refresh_from_db()
    assert child.first_name == "Leena" and " leena " in child.search_text
    holder = Beneficiary.objects.get(member=member, relation=Relation.SELF)
    assert client.get(reverse("members:beneficiary_edit", args=[holder.pk])).status_code == 404


def test_it_records_a_status_change_through_the_form(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.RECEPTION)
    member = member_make(joined_on=dt.date(2010, 1, 1))
    url = reverse("members:status", args=[member.pk])
    response = client.post(url, {"status": "retired", "valid_from": "2024-01-01", "note": "pension"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == "retired"
    again = client.post(url, {"status": "deceased", "valid_from": "2009-12-31", "note": ""})
    assert again.status_code == 400
    assert "before the joining date" in again.content.decode()


def test_it_names_the_administration_in_the_language_of_the_page(client_for) -> None:  # type: ignore[no-untyped-def]
    from members.tests.registry_factories import member_make

    member_make()
    client = client_for(Role.RECEPTION)
    arabic = client.get(reverse("members:list"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "التربية الوطنية" in arabic and "Éducation nationale" not in arabic
    french = client.get(reverse("members:list"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Éducation nationale" in french
