"""Reading a roster file: file-type check, row streaming (CSV or XLSX), header, constants (parsing: imports_parse).

The columns (header row required, names case-insensitive, in any order; one row per person):

| column | required | content |
|---|---|---|
| matricule | yes | the staff number (PPR), 5 to 10 digits; links a person to its member |
| relation | yes | `self` (the member), `spouse` or `child` (also adherent/conjoint/enfant) |
| cin | self rows | national identity card, e.g. `AB123456`; optional for dependants |
| last_name, first_name | yes | Latin script |
| last_name_ar, first_name_ar | yes | Arabic script |
| birth_date | yes | `YYYY-MM-DD` or `DD/MM/YYYY` (or an Excel date cell) |
| sex | yes | `M` or `F` (`H` is read as `M`) |
| marital_status | self rows | single, married, divorced, widowed (or the French words) |
| joined_on | self rows | date the membership starts (used only when the member is created) |
| from_other_amo | no | 1/0, yes/no, oui/non, true/false; empty is no |
| phone, email, rib | no | contact and 24-digit RIB; an empty cell leaves the stored value as it is |
| school_certificate_until | no | date, children only |
| disabled | no | boolean; a disabled dependant needs `disability_certificate` |
| disability_certificate | no | certificate reference |
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import IO, Any, NamedTuple

from django.utils.translation import gettext_lazy as _

from members.imports_xlsx import WorkbookRefused, iter_workbook
from members.models import Member, Relation, Sex

# csv's own limit (csv.field_size_limit, process-wide) is 128 KB; no roster cell comes near 4 KB.
MAX_CELL = 4096

COLUMNS = (
    "matricule",
    "relation",
    "cin",
    "last_name",
    "first_name",
    "last_name_ar",
    "first_name_ar",
    "birth_date",
    "sex",
    "marital_status",
    "joined_on",
    "from_other_amo",
    "phone",
    "email",
    "rib",
    "school_certificate_until",
    "disabled",
    "disability_certificate",
)
_NAMES = ("last_name", "first_name", "last_name_ar", "first_name_ar")
REQUIRED_COLUMNS = ("matricule", "relation", *_NAMES, "birth_date", "sex")
SELF_REQUIRED = ("cin", "marital_status", "joined_on")

FILE_TYPE = _("Unsupported file type: send a CSV file (UTF-8) or an Excel .xlsx workbook.")
FILE_XLS = _("Old Excel .xls workbooks are not supported: save the file as .xlsx or CSV (UTF-8).")
FILE_EMPTY = _("The file is empty: it needs a header row and at least one row.")
NOT_UTF8 = _("This line is not valid UTF-8 text; save the file as CSV (UTF-8).")
CSV_NUL = _("This line contains a NUL character; save the file again as CSV (UTF-8).")
CSV_CELL_TOO_LONG = _("A cell of this line is longer than %(max)d characters; is a quote left open?")
CSV_MALFORMED = _("This line cannot be read as CSV: a quote is not closed or is misplaced.")
MISSING_COLUMN = _("Missing column.")
UNKNOWN_COLUMN = _("Unknown column.")
DUPLICATE_COLUMN = _("This column appears twice.")
REQUIRED = _("This value is required.")
BAD_RELATION = _("Unknown relation: use self, spouse or child.")
BAD_DATE = _("Invalid date: use YYYY-MM-DD or DD/MM/YYYY.")
FUTURE_DATE = _("This date is in the future.")
BAD_SEX = _("Unknown sex: use M or F.")
BAD_MARITAL = _("Unknown marital status: use single, married, divorced or widowed.")
BAD_BOOLEAN = _("Unknown yes/no value: use 1 or 0.")
BAD_MATRICULE = _("A matricule has 5 to 10 digits.")
BAD_EMAIL = _("Invalid e-mail address.")
TOO_LONG = _("Too long: at most %(max)d characters.")
CERTIFICATE_REQUIRED = _("A disabled dependant needs a disability certificate reference.")

RELATIONS = {"self": Relation.SELF, "adherent": Relation.SELF, "adhérent": Relation.SELF, "member": Relation.SELF}
RELATIONS |= {
    "spouse": Relation.SPOUSE,
    "conjoint": Relation.SPOUSE,
    "child": Relation.CHILD,
    "enfant": Relation.CHILD,
}
_SEXES = {"m": Sex.MALE, "h": Sex.MALE, "f": Sex.FEMALE}
_MS = Member.MaritalStatus
_MARITAL = {s.value: s for s in _MS} | {"célibataire": _MS.SINGLE, "celibataire": _MS.SINGLE}
_MARITAL |= {"marié": _MS.MARRIED, "mariée": _MS.MARRIED, "marie": _MS.MARRIED, "mariee": _MS.MARRIED}
_MARITAL |= {"divorcé": _MS.DIVORCED, "divorcée": _MS.DIVORCED, "divorce": _MS.DIVORCED, "divorcee": _MS.DIVORCED}
_MARITAL |= {"veuf": _MS.WIDOWED, "veuve": _MS.WIDOWED}
_TRUE = {"1", "yes", "oui", "true", "y", "o", "x"}
_FALSE = {"", "0", "no", "non", "false", "n"}
_MATRICULE = re.compile(r"^[0-9]{5,10}$")
_RIB_NOISE = re.compile(r"[\s-]")
_DATE = re.compile(r"^(?:(?P<y1>\d{4})-(?P<m1>\d{2})-(?P<d1>\d{2})|(?P<d2>\d{1,2})/(?P<m2>\d{1,2})/(?P<y2>\d{4}))$")
_MAX = {"last_name": 100, "first_name": 100, "last_name_ar": 100, "first_name_ar": 100, "phone": 20}
_MAX |= {"email": 254, "disability_certificate": 100}


class RowError(NamedTuple):
    line: int
    field: str
    message: str


class Row(NamedTuple):
    """One parsed person; plain values only, so a chunk of rows stays small."""

    line: int
    matricule: str
    relation: str
    cin: str
    last_name: str
    first_name: str
    last_name_ar: str
    first_name_ar: str
    birth_date: dt.date
    sex: str
    marital_status: str
    joined_on: dt.date | None
    from_other_amo: bool
    phone: str
    email: str
    rib: str
    school_certificate_until: dt.date | None
    disabled: bool
    disability_certificate: str


class FileRefused(Exception):
    """The file as a whole cannot be read; `message` says why, in the user's language, and `line`
    where (0: the file as a whole)."""

    def __init__(self, message: Any, line: int = 0) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.line = line


def detect_kind(file: IO[bytes]) -> str:
    """'xlsx' or 'csv' from the first bytes (never from the name); FileRefused otherwise."""
    file.seek(0)
    head = file.read(65536)
    file.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(FILE_XLS)
    if not head.strip():
        raise FileRefused(FILE_EMPTY)
    if b"\x00" in head:
        raise FileRefused(FILE_TYPE)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        raise FileRefused(FILE_TYPE) from None
    return "csv"


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    return value if isinstance(value, dt.date) else str(value).strip()


def iter_raw(file: IO[bytes], kind: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(line number, cells) for every non-empty line, header included; cells are str or date."""
    file.seek(0)
    if kind == "xlsx":
        yield from _iter_xlsx(file)
        return
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="", errors="strict")
    try:
        first = text.readline()
        delimiter = ";" if first.count(";") > first.count(",") else ","
        text.seek(0)
        # strict: a quote left open until the end of the file is an error, not one last huge cell.
        reader = csv.reader(text, delimiter=delimiter, strict=True)
        while True:
            start = reader.line_num + 1  # where the next record begins (a quoted cell may span lines)
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                raise FileRefused(NOT_UTF8, _bad_utf8_line(file)) from None
            except csv.Error as exc:
                too_long = "field limit" in str(exc)
                raise FileRefused(CSV_CELL_TOO_LONG % {"max": MAX_CELL} if too_long else CSV_MALFORMED, start) from None
            if any(len(c) > MAX_CELL for c in cells):
                raise FileRefused(CSV_CELL_TOO_LONG % {"max": MAX_CELL}, start)
            if any("\x00" in c for c in cells):
                raise FileRefused(CSV_NUL, start)
            if any(c.strip() for c in cells):
                yield reader.line_num, tuple(c.strip() for c in cells)
    finally:
        text.detach()


def _bad_utf8_line(file: IO[bytes]) -> int:
    """The physical line of the first byte that is not UTF-8 (the decoder reads ahead by blocks)."""
    file.seek(0)
    for number, raw in enumerate(file, start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return number
    return 0


def _iter_xlsx(file: IO[bytes]) -> Iterator[tuple[int, tuple[Any, ...]]]:
    try:
        for number, values in enumerate(iter_workbook(file), start=1):
            cells = tuple(_cell(v) for v in values)
            if any(c != "" for c in cells):
                yield number, cells
    except WorkbookRefused as refused:
        raise FileRefused(refused.message) from None


def _column_name(raw: Any) -> str:
    return str(raw).strip().lower().replace(" ", "_")


def header_map(
    cells: tuple[Any, ...],
    line: int,
    *,
    columns: Collection[str] = COLUMNS,
    required: Iterable[str] = REQUIRED_COLUMNS,
    name_of: Callable[[Any], str] = _column_name,
) -> tuple[dict[str, int], list[RowError]]:
    """Column name -> position, and the header's errors (missing, unknown, repeated columns).

    The roster's columns by default; another import (payroll files) passes its own columns and the
    way it reads a header cell as a column name (its aliases)."""
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for index, raw in enumerate(cells):
        name = name_of(raw)
        if not name:
            continue
        if name not in columns:
            errors.append(RowError(line, str(raw), str(UNKNOWN_COLUMN)))
        elif name in positions:
            errors.append(RowError(line, name, str(DUPLICATE_COLUMN)))
        else:
            positions[name] = index
    errors += [RowError(line, c, str(MISSING_COLUMN)) for c in required if c not in positions]
    return positions, errors
