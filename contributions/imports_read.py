"""Reading a payroll deduction file: its columns and the parsing of one row.

The file (CSV in UTF-8 separated by `;` or `,`, or an Excel .xlsx; header row required, names
case-insensitive, in any order) has one row per member and these columns:

| column | required | content |
|---|---|---|
| matricule | yes | staff number (PPR), 5 to 10 digits |
| period | yes | the month, `YYYY-MM`; every row is for the month chosen at upload |
| base_salary | yes | monthly base salary, MAD (`9000`, `9000.50`, `9 000,50`) |
| complementary, death_fund, amo_employee, amo_employer | no | amounts withheld, MAD; empty is 0.00 |

Reading the stream (file type, CSV or XLSX, line numbers, refusals) is the roster import's
(`members.imports_read.detect_kind` / `iter_raw`); only the columns and rows differ.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, NamedTuple

from django.utils.translation import gettext_lazy as _

from members.imports_read import _MATRICULE, BAD_MATRICULE, REQUIRED
from members.imports_read import RowError as RowError
from members.imports_read import header_map as roster_header_map

COLUMNS = ("matricule", "period", "base_salary", "complementary", "death_fund", "amo_employee", "amo_employer")
REQUIRED_COLUMNS = ("matricule", "period", "base_salary")
FUND_COLUMNS = COLUMNS[3:]
ALIASES = {
    "ppr": "matricule",
    "periode": "period",
    "période": "period",
    "month": "period",
    "mois": "period",
    "salary": "base_salary",
    "salaire": "base_salary",
    "salaire_de_base": "base_salary",
    "complementaire": "complementary",
    "complémentaire": "complementary",
    "caisse_deces": "death_fund",
    "caisse_décès": "death_fund",
    "amo_salarie": "amo_employee",
    "amo_salarié": "amo_employee",
    "amo_employeur": "amo_employer",
}
MAX_AMOUNT = Decimal("1000000.00")

BAD_PERIOD = _("Invalid month: use YYYY-MM, e.g. 2026-07.")
OTHER_PERIOD = _("This row is for another month than the file (%(period)s).")
BAD_AMOUNT = _("Invalid amount: a number of dirhams with at most two decimals, e.g. 9000.50.")
NEGATIVE_AMOUNT = _("An amount cannot be negative.")
HUGE_AMOUNT = _("This amount is too large for a month (at most 1,000,000.00).")
DUPLICATE_MATRICULE = _("This matricule is already given on line %(line)d.")

_AMOUNT = re.compile(r"^-?\d{1,12}(?:[.,]\d{1,2})?$")
_PERIOD = re.compile(r"^(\d{4})-(\d{1,2})$")
_SPACES = re.compile(r"[\s\u00a0\u202f]")  # thousands separators: spaces, no-break spaces


class Line(NamedTuple):
    """One parsed row: plain values, small in a chunk."""

    line: int
    matricule: str
    base_salary: Decimal
    complementary: Decimal
    death_fund: Decimal
    amo_employee: Decimal
    amo_employer: Decimal


def _column_name(raw: Any) -> str:
    name = str(raw).strip().lower().replace(" ", "_").replace("-", "_")
    return ALIASES.get(name, name)


def header_map(cells: tuple[Any, ...], line: int) -> tuple[dict[str, int], list[RowError]]:
    """Column name -> position, and the header's errors (missing, unknown, repeated columns)."""
    return roster_header_map(cells, line, columns=COLUMNS, required=REQUIRED_COLUMNS, name_of=_column_name)


def _amount(value: Any) -> Decimal | str:
    """A Decimal, or the message of why the cell is not an amount."""
    if isinstance(value, Decimal):
        text = str(value)
    elif isinstance(value, (int, float)):
        text = repr(value)  # an XLSX number cell (floats: repr is the shortest exact decimal)
    else:
        text = _SPACES.sub("", str(value))
    if not _AMOUNT.match(text):
        return str(BAD_AMOUNT)
    amount = Decimal(text.replace(",", "."))
    if amount < 0:
        return str(NEGATIVE_AMOUNT)
    if amount > MAX_AMOUNT:
        return str(HUGE_AMOUNT)
    return amount


def period_parse(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value.replace(day=1)
    found = _PERIOD.match(str(value).strip())
    if found and 1 <= int(found[2]) <= 12:
        return dt.date(int(found[1]), int(found[2]), 1)
    return None


class LineParser:
    """Parses the rows of one file: column positions resolved once, then `parse(line, cells)`."""

    def __init__(self, positions: dict[str, int], period: dt.date) -> None:
        self.at = tuple(positions.get(name, -1) for name in COLUMNS)
        self.period = period
        self.period_text = f"{period:%Y-%m}"
        self._amounts: dict[Any, Decimal | str] = {}

    def amount(self, value: Any) -> Decimal | str:
        # Few distinct amounts in a file (capped contributions, pay scales): parse each once.
        try:
            return self._amounts[value]
        except KeyError:
            found = self._amounts[value] = _amount(value)
            if len(self._amounts) > 200_000:
                self._amounts.clear()
            return found
        except TypeError:
            return _amount(value)

    def parse(self, line: int, cells: tuple[Any, ...]) -> Line | list[RowError]:
        size = len(cells)
        raw = [cells[i] if 0 <= i < size else "" for i in self.at]
        errors: list[RowError] = []
        matricule = str(raw[0]).strip()
        if not matricule:
            errors.append(RowError(line, "matricule", str(REQUIRED)))
        elif not _MATRICULE.match(matricule):
            errors.append(RowError(line, "matricule", str(BAD_MATRICULE)))
        period_raw = raw[1]
        if period_raw == "":
            errors.append(RowError(line, "period", str(REQUIRED)))
        elif period_raw != self.period_text:
            period = period_parse(period_raw)
            if period is None:
                errors.append(RowError(line, "period", str(BAD_PERIOD)))
            elif period != self.period:
                errors.append(RowError(line, "period", str(OTHER_PERIOD % {"period": self.period_text})))
        amounts: list[Decimal] = []
        for name, value in zip(COLUMNS[2:], raw[2:], strict=True):
            if value == "":
                if name == "base_salary":
                    errors.append(RowError(line, name, str(REQUIRED)))
                amounts.append(Decimal("0.00"))
                continue
            parsed = self.amount(value)
            if isinstance(parsed, str):
                errors.append(RowError(line, name, parsed))
            else:
                amounts.append(parsed)
        if errors:
            return errors
        return Line(line, matricule, *amounts)
