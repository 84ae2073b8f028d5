"""The request list as CSV or XLSX, through mutuelle.spreadsheet (formula-safe), streamed from an iterator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from allowances.models import AllowanceRequest, RequestState
from mutuelle.spreadsheet import csv_text, workbook_new, xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows(qs: QuerySet[AllowanceRequest]) -> Iterator[list[Any]]:
    yield [_("Number"), _("Allowance"), _("Membership number"), _("Date of the event"), _("Filed on"), _("State"),
           _("Gross"), _("Deductions"), _("Net")]  # fmt: skip
    for r in qs.iterator(chunk_size=2000):
        yield [r.number, r.type.label, r.member.membership_number, r.event_date, r.filed_on,
               str(RequestState(r.state).label), r.gross, r.deductions, r.net]  # fmt: skip


def requests_export(qs: QuerySet[AllowanceRequest], *, fmt: str) -> tuple[bytes, str]:
    if fmt == "csv":
        return csv_text(_rows(qs)).encode("utf-8-sig"), "text/csv; charset=utf-8"
    wb = workbook_new()
    sheet = wb.create_sheet(_("Allowance requests"))
    for row in _rows(qs):
        sheet.append(row)
    return xlsx_bytes(wb), XLSX
