from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from audit.models import AuditEvent
from members.imports import roster_import
from members.models import Administration, Beneficiary, Member, MemberStatusChange
from members.tests.import_helpers import csv_bytes, dependant_row, family, member_row, rib, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_men() -> Administration:
    return Administration.objects.create(code="MEN", name_fr="Ministère de l'Éducation nationale", name_ar="وزارة")


def run(admin: Administration, file: io.BytesIO, actor: object = None):  # type: ignore[no-untyped-def]
    return roster_import(actor=actor, administration=admin, file=file, filename="roster.csv")


def test_it_imports_members_and_dependants_from_a_csv(admin_men: Administration) -> None:
    result = run(admin_men, csv_bytes(family("12345", "AB123456") + family("12346", "AB123457")[:1]))
    assert result.ok, result.errors
    assert (result.members_created, result.dependants_created) == (2, 3)
    member = Member.objects.get(matricule="12345")
    assert member.membership_number == "100001"
    assert Member.objects.get(matricule="12346").membership_number == "100002"
    assert member.administration == admin_men and member.status == "active"
    assert member.status_since == dt.date(2010, 9, 1) and member.rib == rib(12345)
    cards = list(member.beneficiaries.values_list("card_number", "relation", "first_name"))
    assert cards == [
        ("100001-00", "self", "Youssef"),
        ("100001-01", "spouse", "Fatima Zahra"),
        ("100001-02", "child", "Salma"),
        ("100001-03", "child", "Adam"),
    ]
    assert member.beneficiaries.get(rank=3).birth_date == dt.date(2015, 7, 15)
    own = member.beneficiaries.get(rank=0)
    assert own.cin == "AB123456" and " العمراني " in own.search_text and " 100001 00 " in own.search_text
    history = MemberStatusChange.objects.get(member=member)
    assert (history.status, history.valid_from) == ("active", dt.date(2010, 9, 1))
    event = AuditEvent.objects.get(action="import")
    assert event.after is not None and event.after["members_created"] == 2
    assert event.after["membership_numbers"] == ["100001", "100002"]


def test_it_imports_an_xlsx_with_typed_cells(admin_men: Administration) -> None:
    cells = [12345, "self", "AB123456", "Alaoui", "Khadija", "العلوي", "خديجة", dt.datetime(1979, 2, 1), "F"]
    cells += ["single", dt.datetime(2005, 1, 3), 1, "0661000000", "k@example.ma", rib(12345), None, 0, None]
    child = [12345, "child", None, "Alaoui", "Omar", "العلوي", "عمر", "2010-04-04", "M"]
    result = run(admin_men, xlsx_bytes([cells, child]))
    assert result.ok, result.errors
    member = Member.objects.get(matricule="12345")
    assert member.from_other_amo and member.joined_on == dt.date(2005, 1, 3)
    assert member.beneficiaries.get(rank=1).first_name_ar == "عمر"


def test_it_writes_nothing_when_one_row_is_bad(admin_men: Administration) -> None:
    rows = [*family("12345", "AB123456"), member_row("12346", "AB123457", birth_date="31/02/1980")]
    rows += family("12347", "AB123458")
    result = run(admin_men, csv_bytes(rows))
    assert not result.ok
    assert [(e.line, e.field) for e in result.errors] == [(6, "birth_date")]
    assert Member.objects.count() == 0 and Beneficiary.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_it_reports_every_bad_row_with_its_line_and_field(admin_men: Administration) -> None:
    other = Administration.objects.create(code="MS", name_fr="Ministère de la Santé", name_ar="وزارة الصحة")
    run(other, csv_bytes([member_row("55555", "CD111111")]))
    run(admin_men, csv_bytes([member_row("66666", "CD222222")]))
    bad_rib = rib(12345)[:-2] + ("00" if rib(12345)[-2:] != "00" else "01")
    rows = [
        member_row("12345", "AB123456", relation="cousin"),  # line 2
        member_row("12346", "A-1", rib=bad_rib),  # line 3
        member_row("12347", "AB123457"),  # line 4
        member_row("12347", "AB123458"),  # line 5
        member_row("12348", "CD222222"),  # line 6: CIN of member 66666
        dependant_row("99999", "child", "Nora", "2015-01-01"),  # line 7: no such member
        member_row("55555", "CD111111"),  # line 8: member of another administration
        dependant_row("12347", "child", "Nora", "2015-01-01"),  # line 9
        dependant_row("12347", "child", "nora", "2015-01-01"),  # line 10: same child as line 9
        member_row("12349", "AB123459", birth_date="2999-01-01"),  # line 11
        member_row("12350", "AB123457"),  # line 12: CIN of line 4
        dependant_row("12347", "child", "Ali", "2016-01-01", disabled="oui"),  # line 13: no certificate
    ]
    result = run(admin_men, csv_bytes(rows))
    found = {(e.line, e.field) for e in result.errors}
    assert found == {
        (2, "relation"), (3, "cin"), (3, "rib"), (5, "matricule"), (6, "cin"), (7, "matricule"),
        (8, "matricule"), (10, "first_name"), (11, "birth_date"), (12, "cin"), (13, "disability_certificate"),
    }  # fmt: skip
    messages = {(e.line, e.field): e.message for e in result.errors}
    assert "66666" in messages[(6, "cin")] and "MS" in messages[(8, "matricule")]
    assert Member.objects.count() == 2


def test_it_changes_nothing_when_the_same_file_is_imported_twice(admin_men: Administration) -> None:
    data = csv_bytes(family("12345", "AB123456")).getvalue()
    run(admin_men, io.BytesIO(data))
    events = AuditEvent.objects.count()
    stamp = Member.objects.get().updated_at
    again = run(admin_men, io.BytesIO(data))
    assert again.ok and not again.changed
    assert (again.members_unchanged, again.dependants_unchanged) == (1, 3)
    assert AuditEvent.objects.count() == events
    assert Member.objects.get().updated_at == stamp and Beneficiary.objects.count() == 4


def test_it_updates_a_member_whose_phone_changed(admin_men: Administration) -> None:
    run(admin_men, csv_bytes(family("12345", "AB123456")))
    rows = family("12345", "AB123456")
    rows[0]["phone"] = "0700000001"
    rows[2]["school_certificate_until"] = "2030-06-30"
    result = run(admin_men, csv_bytes(rows))
    assert (result.members_updated, result.dependants_updated, result.dependants_unchanged) == (1, 1, 2)
    member = Member.objects.get()
    assert member.phone == "0700000001" and member.beneficiaries.count() == 4
    update = AuditEvent.objects.get(action="update", object_type="members.member")
    assert (update.before, update.after) == ({"phone": "0612345678"}, {"phone": "0700000001"})
    assert update.member_id == member.pk
    child = AuditEvent.objects.get(action="update", object_type="members.beneficiary")
    assert child.after == {"school_certificate_until": "2030-06-30"}


def test_it_keeps_a_stored_phone_when_the_cell_is_empty(admin_men: Administration) -> None:
    run(admin_men, csv_bytes([member_row("12345", "AB123456")]))
    result = run(admin_men, csv_bytes([member_row("12345", "AB123456", phone="", rib="")]))
    assert result.members_unchanged == 1
    assert Member.objects.get().phone == "0612345678"


def test_it_reads_a_bom_and_semicolons(admin_men: Administration) -> None:
    result = run(admin_men, csv_bytes(family("12345", "AB123456"), sep=";", bom=True))
    assert result.ok, result.errors
    assert Beneficiary.objects.get(rank=0).last_name_ar == "العمراني"


def test_it_continues_membership_numbers_after_the_highest(admin_men: Administration) -> None:
    run(admin_men, csv_bytes([member_row("12345", "AB123456")]))
    Member.objects.filter(matricule="12345").update(membership_number="2000007")
    run(admin_men, csv_bytes([member_row("12346", "AB123457")]))
    assert Member.objects.get(matricule="12346").membership_number == "2000008"


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4 binary\x00\x01", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old xls", b"\xff\xfe\x00m\x00a", b""],
)
def test_it_refuses_files_that_are_not_csv_or_xlsx(admin_men: Administration, content: bytes) -> None:
    result = run(admin_men, io.BytesIO(content))
    assert not result.ok and result.errors[0].line == 0 and result.errors[0].message


def test_it_refuses_a_zip_that_is_not_a_workbook(admin_men: Administration) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hello")
    result = run(admin_men, out)
    assert not result.ok and "xlsx" in result.errors[0].message


def test_it_reports_missing_and_unknown_columns(admin_men: Administration) -> None:
    result = run(admin_men, xlsx_bytes([["12345"]], header=["matricule", "colour"]))
    fields = {e.field for e in result.errors}
    assert {"colour", "relation", "birth_date"} <= fields and all(e.line == 1 for e in result.errors)


def test_it_refuses_a_file_over_the_size_limit(admin_men: Administration, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ROSTER_IMPORT_MAX_BYTES = 100
    result = run(admin_men, csv_bytes(family("12345", "AB123456")))
    assert not result.ok and "MB" in result.errors[0].message and Member.objects.count() == 0


def test_it_imports_twenty_thousand_rows(admin_men: Administration) -> None:
    rows = []
    for n in range(10_000):
        matricule = f"{200000 + n}"
        rows.append(member_row(matricule, f"K{n:06d}"))
        rows.append(dependant_row(matricule, "child", "Salma", "2012-01-20"))
    result = run(admin_men, csv_bytes(rows))
    assert result.ok, result.errors[:3]
    assert (result.members_created, result.dependants_created) == (10_000, 10_000)
    assert Member.objects.count() == 10_000 and Beneficiary.objects.count() == 20_000
    assert Member.objects.order_by("-membership_number").first().membership_number == "110000"  # type: ignore[union-attr]
