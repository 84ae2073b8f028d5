"""Reading the bank's answer: a CSV return file or an ISO 20022 camt.054 notification.

Both give a list of `ReturnLine` (end-to-end id, paid or rejected, reason code). A file with
any bad row is refused as a whole, with every bad row reported by line (or entry) and field.

CSV return layout: `;` separated, UTF-8 (a BOM is accepted), a header line naming the columns
`end_to_end_id;status;reason_code` and optionally `amount` and `value_date`.
`status` is PAID (or ACSC, ACCP, BOOK) or REJECTED (or RJCT); `reason_code` is the ISO
external status reason (AC01 incorrect account, AC04 closed, AC06 blocked, MS03...), required
for a rejection.

camt.054 (any camt.054.001.xx version): every `TxDtls` of a booked entry; a `RtrInf` block
means the transfer came back (rejected, reason `RtrInf/Rsn/Cd`); a booked debit without one
means it was paid. Pending or information-only entries are skipped.

The XML is read by defusedxml with DTDs, entities and external references forbidden: any
DOCTYPE refuses the file, whatever its encoding (the parser finds the encoding in the bytes,
UTF-16 without a byte order mark included) and wherever it stands. A bank notification has no
use for one, and an entity is a way to write a reference the file does not show.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

MAX_RETURN_BYTES = 50 * 1024 * 1024
_REASON = re.compile(r"^[A-Z0-9]{4}$")
_PAID = {"PAID", "ACSC", "ACCP", "BOOK"}
_REJECTED = {"REJECTED", "RJCT"}
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
MSG_DTD = _("Document type declarations are not accepted.")


class ReturnStatus(StrEnum):
    PAID = "paid"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class ReturnLine:
    line: int
    end_to_end_id: str
    status: ReturnStatus
    reason_code: str = ""
    amount: Decimal | None = None
    value_date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    field: str
    message: Any

    def __str__(self) -> str:
        return f"{self.line}: {self.field}: {self.message}"


@dataclass
class ReturnFileError(ValueError):
    errors: list[RowError] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(str(e) for e in self.errors)


def _file_error(message: Any) -> ReturnFileError:
    return ReturnFileError([RowError(0, "file", message)])


def _amount(raw: str) -> Decimal:
    value = Decimal(raw.strip())
    if not value.is_finite() or value <= 0 or value != value.quantize(Decimal("0.01")):
        raise InvalidOperation(raw)
    return value


def return_csv_parse(data: bytes) -> list[ReturnLine]:
    if len(data) > MAX_RETURN_BYTES:
        raise _file_error(_("The file is too large."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_error(_("The file is not UTF-8 text.")) from None
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=";")
    header = [h.strip() for h in reader.fieldnames or []]
    missing = {"end_to_end_id", "status", "reason_code"} - set(header)
    if missing:
        raise ReturnFileError(
            [RowError(1, name, _("This column is missing from the header.")) for name in sorted(missing)]
        )
    reader.fieldnames = header
    lines: list[ReturnLine] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for row in reader:
        number = reader.line_num
        get = {k: (v or "").strip() for k, v in row.items() if isinstance(k, str)}
        if not any(get.values()):
            continue
        ref, reason = get.get("end_to_end_id", ""), get.get("reason_code", "")
        raw_status = get.get("status", "").upper()
        row_errors: list[RowError] = []
        if not ref or len(ref) > 35:
            row_errors.append(RowError(number, "end_to_end_id", _("A reference of 1 to 35 characters is required.")))
        elif ref in seen:
            row_errors.append(RowError(number, "end_to_end_id", format_lazy(_("Already given on line {}."), seen[ref])))
        if raw_status in _PAID:
            status = ReturnStatus.PAID
        elif raw_status in _REJECTED:
            status = ReturnStatus.REJECTED
            if not _REASON.match(reason.upper()):
                row_errors.append(RowError(number, "reason_code", _("A rejection needs a 4-character reason code.")))
        else:
            status = ReturnStatus.PAID
            row_errors.append(RowError(number, "status", _("The status must be PAID or REJECTED.")))
        amount = None
        if get.get("amount"):
            try:
                amount = _amount(get["amount"])
            except (InvalidOperation, ValueError):
                row_errors.append(RowError(number, "amount", _("The amount must be positive with 2 decimals.")))
        value_date = None
        if get.get("value_date"):
            try:
                value_date = dt.date.fromisoformat(get["value_date"])
            except ValueError:
                row_errors.append(RowError(number, "value_date", _("The date must be YYYY-MM-DD.")))
        if row_errors:
            errors.extend(row_errors)
            continue
        seen[ref] = number
        code = reason.upper() if status == ReturnStatus.REJECTED else ""
        lines.append(ReturnLine(number, ref, status, code, amount, value_date))
    if errors:
        raise ReturnFileError(errors)
    if not lines:
        raise _file_error(_("The file holds no payment line."))
    return lines


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(elem: ET.Element | None, *path: str) -> ET.Element | None:
    for name in path:
        if elem is None:
            return None
        elem = next((c for c in elem if _local(c.tag) == name), None)
    return elem


def _text(elem: ET.Element | None, *path: str) -> str:
    found = _child(elem, *path)
    return (found.text or "").strip() if found is not None else ""


def _children(elem: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if elem is None else [c for c in elem if _local(c.tag) == name]


def _entry_status(entry: ET.Element) -> str:
    sts = _child(entry, "Sts")
    if sts is None:
        return ""
    return (_text(sts, "Cd") or (sts.text or "")).strip().upper()


def return_is_xml(data: bytes) -> bool:
    """Whether the file starts like XML (after a BOM and blanks), in UTF-8 or in UTF-16 with or without a BOM."""
    codec, skip = "utf-8", 0
    for bom, name in _BOMS:
        if data.startswith(bom):
            codec, skip = name, len(bom)
            break
    else:
        if data[:2] == b"<\x00":
            codec = "utf-16-le"
        elif data[:2] == b"\x00<":
            codec = "utf-16-be"
    return data[skip : skip + 256].decode(codec, errors="ignore").lstrip().startswith("<")


def camt054_parse(data: bytes) -> list[ReturnLine]:
    if len(data) > MAX_RETURN_BYTES:
        raise _file_error(_("The file is too large."))
    try:
        # Bytes, not text: expat reads the encoding from the BOM, the declaration or the first bytes.
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise _file_error(MSG_DTD) from None
    except ET.ParseError as exc:
        raise _file_error(format_lazy(_("The XML is malformed: {}"), str(exc))) from None
    if _local(root.tag) != "Document" or "camt.054" not in root.tag:
        raise _file_error(_("This is not a camt.054 notification."))
    ntfctn_root = _child(root, "BkToCstmrDbtCdtNtfctn")
    lines: list[ReturnLine] = []
    errors: list[RowError] = []
    seen: set[str] = set()
    number = 0
    for notification in _children(ntfctn_root, "Ntfctn"):
        for entry in _children(notification, "Ntry"):
            if _entry_status(entry) not in ("BOOK", ""):
                continue
            entry_sign = _text(entry, "CdtDbtInd")
            for details in _children(entry, "NtryDtls"):
                for tx in _children(details, "TxDtls"):
                    number += 1
                    ref = _text(tx, "Refs", "EndToEndId")
                    if not ref or ref == "NOTPROVIDED" or len(ref) > 35:
                        errors.append(RowError(number, "EndToEndId", _("The transaction has no end-to-end id.")))
                        continue
                    if ref in seen:
                        errors.append(RowError(number, "EndToEndId", _("This reference appears twice.")))
                        continue
                    seen.add(ref)
                    raw_amount = _text(tx, "Amt") or _text(tx, "AmtDtls", "TxAmt", "Amt")
                    amount = None
                    if raw_amount:
                        try:
                            amount = _amount(raw_amount)
                        except (InvalidOperation, ValueError):
                            errors.append(RowError(number, "Amt", _("The amount must be positive with 2 decimals.")))
                            continue
                    rtr = _child(tx, "RtrInf")
                    if rtr is not None:
                        reason = _text(rtr, "Rsn", "Cd").upper() or "NARR"
                        lines.append(ReturnLine(number, ref, ReturnStatus.REJECTED, reason, amount))
                    elif (_text(tx, "CdtDbtInd") or entry_sign) == "DBIT":
                        lines.append(ReturnLine(number, ref, ReturnStatus.PAID, "", amount))
    if errors:
        raise ReturnFileError(errors)
    if not lines:
        raise _file_error(_("The file holds no payment line."))
    return lines
