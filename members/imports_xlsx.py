"""Reading an XLSX roster safely: the zip and its XML parts are checked before openpyxl opens them.

An .xlsx is a zip of XML parts. Refused, with a translated message and before any row is read:
a zip whose parts would inflate beyond what any roster needs (a zip bomb), and any XML part that
declares a DTD (entities: "billion laughs", external files). openpyxl also parses through
defusedxml when it is installed (it is, in requirements.txt); what defusedxml still raises while
the rows are streamed is turned into the same refusal instead of a 500.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext_lazy as _

FILE_UNREADABLE = _("The workbook cannot be read; save it again as .xlsx or CSV (UTF-8).")
FILE_XML_UNSAFE = _(
    "The workbook contains XML declarations (DTD or entities) that are not allowed; save it again as .xlsx "
    "from Excel or LibreOffice, or as CSV (UTF-8)."
)
FILE_INFLATED = _("The workbook would take too much space once unpacked; save it again as .xlsx or CSV (UTF-8).")

# 250,000 rows of 18 cells are about 500 MB of sheet XML; a real workbook compresses 5 to 20 times.
MAX_UNPACKED = 2 * 1024**3
MAX_RATIO = 200
_RATIO_FROM = 1024**2  # small parts (styles, an empty sheet) compress far better than rows
_XML_PARTS = (".xml", ".rels", ".vml")
_PROLOG_BYTES = 65536
_SKIPPED = re.compile(r"<\?.*?\?>|<!--.*?-->", re.DOTALL)  # declarations and comments of the prolog
_ELEMENT = re.compile(r"<[A-Za-z_:]")


class WorkbookRefused(Exception):
    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def _prolog_problem(head: bytes) -> Any | None:
    """The refusal for a part whose prolog (all before the root element, where a DTD can be) is unsafe."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "ignore")
    else:
        text = head.decode("utf-8", "ignore")
    rest = _SKIPPED.sub("", text)
    root = _ELEMENT.search(rest)
    if root is None:
        return FILE_UNREADABLE  # no root element in the first 64 KB: no workbook looks like that
    if "<!" in rest[: root.start()]:
        return FILE_XML_UNSAFE
    return None


def workbook_check(file: IO[bytes]) -> None:
    """Raise WorkbookRefused unless `file` is a zip whose XML parts may be given to openpyxl."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            parts = archive.infolist()
            total = 0
            for info in parts:
                total += info.file_size
                ratio_bad = info.file_size > _RATIO_FROM and info.file_size > MAX_RATIO * max(1, info.compress_size)
                if total > MAX_UNPACKED or ratio_bad:
                    raise WorkbookRefused(FILE_INFLATED)
            for info in parts:
                if info.filename.lower().endswith(_XML_PARTS):
                    with archive.open(info) as part:
                        problem = _prolog_problem(part.read(_PROLOG_BYTES))
                    if problem is not None:
                        raise WorkbookRefused(problem)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError) as exc:
        raise WorkbookRefused(FILE_UNREADABLE) from exc
    finally:
        file.seek(0)


def _refusal(exc: Exception) -> WorkbookRefused:
    from defusedxml import DefusedXmlException

    return WorkbookRefused(FILE_XML_UNSAFE if isinstance(exc, DefusedXmlException) else FILE_UNREADABLE)


def iter_workbook(file: IO[bytes]) -> Iterator[tuple[Any, ...]]:
    """The values of the first sheet's rows; WorkbookRefused for any file openpyxl cannot read safely."""
    import openpyxl

    workbook_check(file)
    try:
        book = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, zipfile's, defusedxml's...)
        raise _refusal(exc) from exc
    try:
        if not book.worksheets:
            raise WorkbookRefused(FILE_UNREADABLE)
        rows = book.worksheets[0].iter_rows(values_only=True)
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except (ParseError, ValueError, KeyError, TypeError, EOFError, OSError, zipfile.BadZipFile) as exc:
                raise _refusal(exc) from exc  # the sheet is parsed as it is streamed
            yield values
    finally:
        book.close()
