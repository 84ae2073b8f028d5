"""CSV and XLSX files we write carry hostile names as text, never as live formulas (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from openpyxl import load_workbook

from mutuelle.spreadsheet import cell_safe, csv_text, workbook_new, xlsx_bytes
from payments.bankfiles import postal_order_csv, transfer_csv
from payments.models import BatchKind
from payments.services import payment_batch_export, payment_batch_prepare, payment_batch_validate
from payments.tests.factories import claim_make, member_make
from payments.tests.test_bankfiles import order

HYPERLINK = '=HYPERLINK("http://x","y")'
DDE = "+cmd|' /C calc'!A0"


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=";"))


@pytest.mark.parametrize("text", [HYPERLINK, DDE, "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"])
def test_it_neutralises_every_formula_trigger(text: str) -> None:
    assert cell_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["Alaoui Fatima", "بناني فاطمة", "", "1234.50", Decimal("-12.50"), -3, 1.5, None])
def test_it_leaves_plain_text_and_numbers_alone(value: object) -> None:
    assert cell_safe(value) == value


def test_it_writes_amounts_as_bare_numbers_in_csv() -> None:
    assert csv_text([(HYPERLINK, Decimal("-12.50"), 7)]) == '"\'=HYPERLINK(""http://x"",""y"")";-12.50;7\r\n'


@pytest.mark.django_db
def test_it_neutralises_member_names_in_the_bank_transfer_csv(accountants: tuple[Any, Any]) -> None:
    preparer, validator = accountants
    for name in (HYPERLINK, DDE):
        claim_make(member_make(first_name=name), amo="10.00", complementary="2.50")
    batch = payment_batch_prepare(actor=preparer, kind=BatchKind.MEMBER_TRANSFER)
    payment_batch_validate(actor=validator, batch=batch)
    header, *lines, total = _rows(payment_batch_export(actor=preparer, batch=batch, fmt="csv"))
    names = sorted(line[header.index("creditor_name")] for line in lines)
    assert names == sorted(f"'{name} Bennani" for name in (HYPERLINK, DDE))
    assert [line[header.index("amount")] for line in lines] == ["12.50", "12.50"]
    assert total[6] == "25.00"


def test_it_neutralises_names_and_addresses_in_the_transfer_and_postal_files() -> None:
    data = transfer_csv(order([Decimal("100.10")]))
    assert _rows(data)[1][3].startswith("Alaoui")  # an ordinary name is untouched
    rows = [("PB1-0000001", "@SUM(A1)", "700001", "-1+1 rue Atlas, Rabat", Decimal("55.00"), "Dossier RC1")]
    _header, line, total = _rows(postal_order_csv(rows, message_id="PB1"))
    assert line == ["PB1-0000001", "'@SUM(A1)", "700001", "'-1+1 rue Atlas, Rabat", "55.00", "MAD", "Dossier RC1"]
    assert total == ["TOTAL", "1", "", "", "55.00", "MAD", "PB1"]


def test_it_writes_hostile_text_as_text_and_amounts_as_numbers_in_xlsx() -> None:
    wb = workbook_new()
    ws = wb.create_sheet("Export")
    ws.append([HYPERLINK, DDE, Decimal("-12.50")])
    ws["D1"] = "=1+1"  # set after the append: covered too, since cells are made safe on writing
    back = load_workbook(io.BytesIO(xlsx_bytes(wb)))["Export"]
    a1, b1, c1, d1 = back[1]
    assert [(c.data_type, c.value) for c in (a1, b1, d1)] == [("s", f"'{HYPERLINK}"), ("s", f"'{DDE}"), ("s", "'=1+1")]
    assert c1.data_type == "n" and c1.value == -12.5


# Writers that would bypass mutuelle.spreadsheet: a csv writer, a new openpyxl workbook, another library.
_WRITERS = re.compile(r"csv\.(writer|DictWriter)\(|\bWorkbook\(|xlsxwriter|\.writerows?\(|\.save\(\s*(out|buffer|io)")
_SKIP_DIRS = {".venv", "node_modules", ".git", "tests", "migrations", "var", "static", "staticfiles"}


def test_no_module_writes_csv_or_xlsx_without_the_formula_safe_helper() -> None:
    root = Path(settings.BASE_DIR)
    offenders = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in _SKIP_DIRS and not d.startswith(".")]
        for name in files:
            path = Path(folder) / name
            relative = path.relative_to(root).as_posix()
            if not name.endswith(".py") or name.startswith("test_") or relative == "mutuelle/spreadsheet.py":
                continue
            if _WRITERS.search(path.read_text(encoding="utf-8")):
                offenders.append(relative)
    assert offenders == []
    assert (root / "payments/accounting.py").is_file()  # the walk did look at the project
