"""Hostile roster files are refused with their line and a translated message, and nothing is written."""

from __future__ import annotations

import io
import zipfile

import pytest

from members.imports import roster_import
from members.models import Administration, Beneficiary, Member
from members.tests.import_helpers import csv_bytes, family, member_row, xlsx_bytes

pytestmark = pytest.mark.django_db
TOO_LONG = "A cell of this line is longer than 4096 characters; is a quote left open?"
MALFORMED = "This line cannot be read as CSV: a quote is not closed or is misplaced."
UNSAFE_XML = (
    "The workbook contains XML declarations (DTD or entities) that are not allowed; save it again as .xlsx "
    "from Excel or LibreOffice, or as CSV (UTF-8)."
)
SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture
def admin() -> Administration:
    return Administration.objects.create(code="MEN", name_fr="Éducation nationale", name_ar="التربية")


def _run(admin: Administration, data: bytes | io.BytesIO) -> list[tuple[int, str, str]]:
    file = data if isinstance(data, io.BytesIO) else io.BytesIO(data)
    result = roster_import(actor=None, administration=admin, file=file, filename="roster")
    assert not result.ok
    assert not Member.objects.exists() and not Beneficiary.objects.exists()
    return [tuple(e) for e in result.errors]  # type: ignore[misc]


def _good_csv() -> bytes:
    return csv_bytes([*family("12345", "AB123456"), member_row("12346", "AB123457")]).getvalue()


def test_it_refuses_a_csv_cell_of_200_kb_with_its_line(admin: Administration) -> None:
    lines = _good_csv().split(b"\r\n")
    lines[3] = lines[3].replace(b"Salma", b"S" * 200_000)
    assert _run(admin, b"\r\n".join(lines)) == [(4, "", TOO_LONG)]


def test_it_refuses_a_cell_over_the_roster_limit_below_the_csv_limit(admin: Administration) -> None:
    lines = _good_csv().split(b"\r\n")
    lines[2] = lines[2].replace(b"Fatima Zahra", b"F" * 5000)
    assert _run(admin, b"\r\n".join(lines)) == [(3, "", TOO_LONG)]


def test_it_refuses_an_unclosed_quote_instead_of_merging_the_next_lines(admin: Administration) -> None:
    lines = _good_csv().split(b"\r\n")
    lines[4] = lines[4].replace(b",Adam,", b',"Adam,')  # the quote runs to the end of the file
    assert _run(admin, b"\r\n".join(lines)) == [(5, "", MALFORMED)]


def test_it_refuses_a_nul_in_a_cell_far_into_the_file(admin: Administration) -> None:
    rows = [member_row(f"{20000 + i}", f"AB{200000 + i}") for i in range(700)]  # past the first 64 KB
    data = csv_bytes(rows).getvalue().replace(b"AB200650", b"AB20\x000650")
    assert _run(admin, data) == [(652, "", "This line contains a NUL character; save the file again as CSV (UTF-8).")]


def test_it_gives_the_line_of_bad_utf8(admin: Administration) -> None:
    rows = [member_row(f"{20000 + i}", f"AB{200000 + i}") for i in range(700)]
    data = csv_bytes(rows).getvalue().replace(b"AB200600", b"AB20\xff0600")
    assert _run(admin, data) == [(602, "", "This line is not valid UTF-8 text; save the file as CSV (UTF-8).")]


def _rewrite(workbook: io.BytesIO, part: str, change: object) -> bytes:
    """The workbook with one part's XML passed through `change` (bytes -> bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, change(data) if info.filename == part else data)  # type: ignore[operator]
    return out.getvalue()


DTD = b'<!DOCTYPE lol [<!ENTITY lol "lollollollollol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'


def _prolog(xml: bytes, extra: bytes) -> bytes:
    """`extra` inserted before the root element (after the XML declaration, when there is one)."""
    head, sep, rest = xml.partition(b"?>") if xml.startswith(b"<?xml") else (b"", b"", xml)
    return head + sep + extra + rest


def _with_entity(xml: bytes) -> bytes:
    return _prolog(xml, DTD).replace(b"Alaoui", b"&lol2;", 1)


def _workbook() -> io.BytesIO:
    row = [12345, "self", "AB123456", "Alaoui", "Khadija", "العلوي", "خديجة", "1979-02-01", "F", "single"]
    return xlsx_bytes([[*row, "2005-01-03"]])


@pytest.mark.parametrize("part", [SHEET, "xl/workbook.xml", "[Content_Types].xml"])
def test_it_refuses_an_xlsx_whose_xml_declares_entities(admin: Administration, part: str) -> None:
    assert _run(admin, _rewrite(_workbook(), part, _with_entity)) == [(0, "", UNSAFE_XML)]


def test_it_refuses_a_dtd_hidden_after_a_comment(admin: Administration) -> None:
    def hide(xml: bytes) -> bytes:
        return _prolog(xml, b"<?xml version='1.0'?><!-- " + b"<x>" * 1000 + b" -->" + DTD)

    assert _run(admin, _rewrite(_workbook(), SHEET, hide)) == [(0, "", UNSAFE_XML)]


def test_it_refuses_a_zip_bomb_before_unpacking_it(admin: Administration) -> None:
    def inflate(xml: bytes) -> bytes:
        return xml.replace(b"<sheetData>", b"<sheetData>" + b" " * 5_000_000, 1)

    message = "The workbook would take too much space once unpacked; save it again as .xlsx or CSV (UTF-8)."
    assert _run(admin, _rewrite(_workbook(), SHEET, inflate)) == [(0, "", message)]


def test_it_refuses_a_truncated_workbook(admin: Administration) -> None:
    data = _workbook().getvalue()
    message = "The workbook cannot be read; save it again as .xlsx or CSV (UTF-8)."
    assert _run(admin, data[: len(data) // 2]) == [(0, "", message)]


def test_it_still_imports_a_plain_workbook(admin: Administration) -> None:
    result = roster_import(actor=None, administration=admin, file=_workbook(), filename="roster.xlsx")
    assert result.ok, result.errors
    assert Member.objects.get().matricule == "12345"
