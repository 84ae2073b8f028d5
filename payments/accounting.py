"""Daily and monthly totals per fund as an XLSX workbook for the accounting system.

Written through mutuelle.spreadsheet: amounts and dates stay numbers, text cells are formula-safe.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from mutuelle.spreadsheet import workbook_new, xlsx_bytes
from payments.models import Fund
from payments.selectors import fund_totals

MONEY_FORMAT = "#,##0.00"


def _sheet(wb: Workbook, title: str, rows: list[dict[str, Any]], date_format: str) -> None:
    ws = wb.create_sheet(title)
    funds = list(Fund)
    ws.append([_("Period"), *[f"{f.label} ({f.value})" for f in funds], _("Total")])
    by_period: dict[dt.date, dict[str, Any]] = {}
    for r in rows:
        by_period.setdefault(r["period"], {})[r["fund"]] = r["total"]
    for period in sorted(by_period):
        values = [by_period[period].get(f.value, 0) for f in funds]
        ws.append([period, *values, sum(values)])
        ws.cell(row=ws.max_row, column=1).number_format = date_format
        for col in range(2, len(funds) + 3):
            ws.cell(row=ws.max_row, column=col).number_format = MONEY_FORMAT
    ws.column_dimensions["A"].width = 14
    for letter in "BCD":
        ws.column_dimensions[letter].width = 28


def fund_totals_xlsx(*, user: Any, start: dt.date, end: dt.date) -> bytes:
    """Two sheets, daily and monthly; amounts are exact Decimals written as numbers with 2 decimals."""
    wb = workbook_new()
    _sheet(wb, _("Daily"), fund_totals(user=user, start=start, end=end, period="day"), "yyyy-mm-dd")
    _sheet(wb, _("Monthly"), fund_totals(user=user, start=start, end=end, period="month"), "yyyy-mm")
    return xlsx_bytes(wb)
