"""Roster import: what the tuple writers store (defaults, history, search text) and re-sent files."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from members.imports import roster_import
from members.imports_parse import RowParser
from members.models import Administration, Beneficiary, Member, MemberStatusChange
from members.services import beneficiary_search_text
from members.tests.import_helpers import csv_bytes, dependant_row, family, member_row
from mutuelle.bulk import one_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_men() -> Administration:
    return Administration.objects.create(code="MEN", name_fr="Ministère de l'Éducation nationale", name_ar="وزارة")


def run(admin: Administration, file: io.BytesIO, actor: object = None):  # type: ignore[no-untyped-def]
    return roster_import(actor=actor, administration=admin, file=file, filename="roster.csv")


def test_it_stores_defaults_history_and_the_actor_on_created_rows(admin_men: Administration, make_user) -> None:  # type: ignore[no-untyped-def]
    clerk = make_user(Role.RECEPTION)
    before = dt.datetime.now(dt.UTC)
    result = run(admin_men, csv_bytes(family("12345", "AB123456")), actor=clerk)
    assert result.ok, result.errors
    member = Member.objects.get()
    assert (member.address, member.city, member.region, member.base_salary, member.user) == ("", "", "", None, None)
    assert member.created_at >= before and member.updated_at >= before
    history = MemberStatusChange.objects.get(member=member)
    assert (history.recorded_by, history.note) == (clerk, "roster import")
    for ben in Beneficiary.objects.filter(member=member):
        assert ben.search_text == beneficiary_search_text(ben, member)
        assert ben.covered_until is None and not ben.disabled
    spouse = member.beneficiaries.get(relation="spouse")
    assert spouse.cin == "BE654321" and spouse.card_number == "100001-01"


def test_it_gives_new_ids_after_deleted_members(admin_men: Administration) -> None:
    run(admin_men, csv_bytes([member_row("12345", "AB123456"), member_row("12346", "AB123457")]))
    gone = Member.objects.get(matricule="12346").pk
    Member.objects.filter(pk=gone).delete()  # its id must not be handed out again, on SQLite either
    result = run(admin_men, csv_bytes(family("12347", "AB123458")))
    assert result.ok, result.errors
    member = Member.objects.get(matricule="12347")
    assert member.pk > gone and member.beneficiaries.count() == 4 and member.status_history.count() == 1
    assert Member.objects.count() == 2


def test_it_updates_names_and_cin_with_their_search_text(admin_men: Administration) -> None:
    run(admin_men, csv_bytes(family("12345", "AB123456")))
    rows = family("12345", "AB999999")
    rows[0]["last_name"] = "Amrani Idrissi"
    rows[3]["first_name_ar"] = "ادم"
    result = run(admin_men, csv_bytes(rows))
    assert (result.members_updated, result.dependants_updated, result.dependants_unchanged) == (1, 1, 2)
    member = Member.objects.get()
    assert member.cin == "AB999999"
    own = member.beneficiaries.get(rank=0)
    assert (own.cin, own.last_name) == ("AB999999", "Amrani Idrissi")
    for ben in member.beneficiaries.all():  # the member's CIN is in every search text
        assert " ab999999 " in ben.search_text and ben.search_text == beneficiary_search_text(ben, member)
    event = AuditEvent.objects.get(action="update", object_type="members.member")
    assert event.object_id == str(member.pk) and event.member_id == member.pk
    assert event.before == {"cin": "AB123456", "self.cin": "AB123456", "self.last_name": "Amrani"}
    assert event.after == {"cin": "AB999999", "self.cin": "AB999999", "self.last_name": "Amrani Idrissi"}
    child = AuditEvent.objects.get(action="update", object_type="members.beneficiary")
    assert child.object_id == str(member.beneficiaries.get(rank=3).pk)
    assert (child.before, child.after) == ({"first_name_ar": "آدم"}, {"first_name_ar": "ادم"})


def test_it_repairs_a_member_without_its_own_row(admin_men: Administration) -> None:
    run(admin_men, csv_bytes([member_row("12345", "AB123456")]))
    Beneficiary.objects.filter(relation="self").delete()
    result = run(admin_men, csv_bytes([member_row("12345", "AB123456")]))
    assert result.members_updated == 1
    own = Beneficiary.objects.get()
    assert (own.relation, own.rank, own.card_number, own.cin) == ("self", 0, "100001-00", "AB123456")


def test_it_adds_a_new_child_after_the_highest_rank(admin_men: Administration) -> None:
    run(admin_men, csv_bytes(family("12345", "AB123456")))
    rows = [*family("12345", "AB123456"), dependant_row("12345", "child", "Nora", "2019-03-04")]
    result = run(admin_men, csv_bytes(rows))
    assert (result.dependants_created, result.dependants_unchanged) == (1, 3)
    assert Beneficiary.objects.get(first_name="Nora").card_number == "100001-04"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2015-07-15", dt.date(2015, 7, 15)),
        ("15/07/2015", dt.date(2015, 7, 15)),
        ("5/7/2015", dt.date(2015, 7, 5)),
        ("2015-7-5", dt.date(2015, 7, 5)),
        ("2016-02-29", dt.date(2016, 2, 29)),
        ("2015-02-29", None),
        ("29/02/2015", None),
        ("2015/07/15", None),
        ("15-07-2015", None),
    ],
)
def test_it_reads_both_date_shapes(cell: str, expected: dt.date | None) -> None:
    positions = {name: i for i, name in enumerate(["matricule", "relation", "last_name", "first_name"])}
    positions |= {"last_name_ar": 4, "first_name_ar": 5, "birth_date": 6, "sex": 7}
    cells = ("12345", "child", "Amrani", "Salma", "العمراني", "سلمى", cell, "F")
    row = RowParser(positions, dt.date(2026, 1, 1)).parse(2, cells)
    if expected is None:
        assert isinstance(row, list) and [(e.line, e.field) for e in row] == [(2, "birth_date")]
    else:
        assert not isinstance(row, list) and row.birth_date == expected


def test_it_collapses_spaces_inside_names() -> None:
    positions = {name: i for i, name in enumerate(["matricule", "relation", "last_name", "first_name"])}
    positions |= {"last_name_ar": 4, "first_name_ar": 5, "birth_date": 6, "sex": 7}
    cells = ("12345", " Child ", "El  Amrani", "Fatima\t Zahra", "العمراني", "سلمى", "2015-07-15", "f")
    row = RowParser(positions, dt.date(2026, 1, 1)).parse(2, cells)
    assert not isinstance(row, list)
    assert (row.relation, row.last_name, row.first_name, row.sex) == ("child", "El Amrani", "Fatima Zahra", "F")


def test_it_filters_by_a_list_of_values_on_every_database(admin_men: Administration) -> None:
    run(admin_men, csv_bytes([*family("12345", "AB123456"), member_row("12346", "AB123457")]))
    found = Member.objects.filter(one_of(Member, "matricule", ["12346", "99999"])).values_list("matricule", flat=True)
    assert list(found) == ["12346"]
    ids = list(Member.objects.values_list("pk", flat=True))
    children = Beneficiary.objects.filter(one_of(Beneficiary, "member_id", ids), relation="child")
    assert sorted(children.values_list("first_name", flat=True)) == ["Adam", "Salma"]
    assert not Member.objects.filter(one_of(Member, "cin", [])).exists()
