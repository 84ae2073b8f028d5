"""The one way the system writes CSV and XLSX: text that a spreadsheet would run is neutralised.

A member named `=HYPERLINK("http://x","y")` or `+cmd|' /C calc'!A0` must reach the bank's
or the accountant's spreadsheet as text, not as a live formula (OWASP "CSV injection"). Every
text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`,
which spreadsheets read as "this is text" and hide.

Which cells: by type, not by column. A `str` is text and is neutralised; numbers (`int`,
`Decimal`, `float`) and dates are written as they are, so an amount stays a number for the
bank's parser and for the accountant (a negative amount is `-12.50`, not `'-12.50`). Writers
therefore pass amounts as `Decimal`, never as pre-formatted strings. Identifiers we generate
(references, IBANs, ISO dates as text) never start with a trigger, so the rule leaves them be.

Module tests check that no other module builds a csv writer or an openpyxl workbook.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any, TypeVar

from openpyxl import Workbook

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
T = TypeVar("T")


def cell_safe(value: T) -> T | str:
    """`value` with a leading `'` if it is text a spreadsheet would take for a formula; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence[Any]], *, delimiter: str = ";", lineterminator: str = "\r\n") -> str:
    """Rows as CSV text (minimal quoting), every cell through cell_safe."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=lineterminator, quoting=csv.QUOTE_MINIMAL)
    writer.writerows([cell_safe(value) for value in row] for row in rows)
    return out.getvalue()


def workbook_new() -> Workbook:
    """An empty workbook (no default sheet): add sheets, then write it with xlsx_bytes."""
    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)
    return wb


def xlsx_bytes(wb: Workbook) -> bytes:
    """The workbook as XLSX bytes, every text cell of every sheet through cell_safe first.

    Done at the end rather than on each append, so that a cell set any way (append, cell(),
    a header written later) is covered. openpyxl stores a text starting with `=` as a formula
    (data type "f"): the system never writes intended formulas, so those are text too.
    """
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = cell_safe(cell.value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_stream(rows: Iterable[Sequence[Any]], *, chunk: int = 1000, bom: bool = True) -> Iterator[str]:
    """Rows as CSV text in pieces of `chunk` rows, for a StreamingHttpResponse: a long export is never
    held in memory. Same cells as csv_text; a UTF-8 byte-order mark first (Excel reads Arabic then)."""
    if bom:
        yield "\ufeff"
    batch: list[Sequence[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= chunk:
            yield csv_text(batch)
            batch = []
    if batch:
        yield csv_text(batch)


def xlsx_file(rows: Iterable[Sequence[Any]], *, title: str) -> IO[bytes]:
    """Rows as an XLSX of one sheet in a temporary file (rewound), for a FileResponse to stream.

    A write-only workbook writes each row as it comes, so memory stays flat whatever the length;
    since its cells cannot be read back, each value goes through cell_safe on the way in.
    """
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet(title[:31])
    for row in rows:
        sheet.append([cell_safe(value) for value in row])
    out = tempfile.TemporaryFile()  # handed to the response, which closes it
    wb.save(out)
    out.seek(0)
    return out
