"""Builders for roster files used by the import tests."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl

from members.imports_read import COLUMNS
from members.rib import rib_key


def rib(account: int) -> str:
    first22 = f"011780{account:016d}"
    return first22 + rib_key(first22)


def member_row(matricule: str, cin: str, **kw: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "matricule": matricule, "relation": "self", "cin": cin, "last_name": "Amrani", "first_name": "Youssef",
        "last_name_ar": "العمراني", "first_name_ar": "يوسف", "birth_date": "1980-03-14", "sex": "M",
        "marital_status": "married", "joined_on": "2010-09-01", "from_other_amo": "0", "phone": "0612345678",
        "email": "", "rib": rib(int(matricule)),
    }  # fmt: skip
    row.update(kw)
    return row


def dependant_row(matricule: str, relation: str, first_name: str, birth_date: str, **kw: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "matricule": matricule, "relation": relation, "last_name": "Amrani", "first_name": first_name,
        "last_name_ar": "العمراني", "first_name_ar": "فاطمة الزهراء", "birth_date": birth_date,
        "sex": "F",
    }  # fmt: skip
    row.update(kw)
    return row


def family(matricule: str, cin: str) -> list[dict[str, Any]]:
    return [
        member_row(matricule, cin),
        dependant_row(matricule, "spouse", "Fatima Zahra", "1983-05-02", cin="BE654321"),
        dependant_row(matricule, "child", "Salma", "2012-01-20"),
        dependant_row(matricule, "child", "Adam", "15/07/2015", sex="M", first_name_ar="آدم"),
    ]


def csv_bytes(rows: list[dict[str, Any]], *, sep: str = ",", bom: bool = False) -> io.BytesIO:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(COLUMNS), delimiter=sep, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return io.BytesIO(("\ufeff" if bom else "").encode() + text.getvalue().encode("utf-8"))


def xlsx_bytes(rows: list[list[Any]], header: list[str] | None = None) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header or list(COLUMNS))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out
