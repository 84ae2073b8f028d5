"""The control signals as XLSX (mutuelle.spreadsheet: formula-safe; amounts and counts as numbers)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from mutuelle.spreadsheet import workbook_new, xlsx_bytes
from reports import controls as c


def _file(f: c.FileRef | None) -> str:
    return f.number if f is not None else ""


def _rows(signal: str, items: list[Any]) -> tuple[list[str], list[list[Any]]]:
    if signal == "duplicates":
        head = [_("Card number"), _("Kind"), _("Code"), _("Date of care"), _("Providers"), _("Files")]
        return head, [[s.card_number, s.kind, s.code, s.care_date, s.providers,
                       ", ".join(f"{f.number} ({f.provider_inpe})" for f in s.files)] for s in items]  # fmt: skip
    if signal == "providers":
        head = [_("INPE"), _("Provider"), _("Kind"), _("City"), _("Region"), _("Files"), _("Patients"), _("Lines"),
                _("Basis per file"), _("Peer median"), _("Lines per patient"), _("Peer median"), _("Peers"),
                _("Ratio to the median"), _("Latest file")]  # fmt: skip
        return head, [[s.inpe, s.name, s.kind, s.city, s.region_label, s.files, s.patients, s.lines, s.basis_per_file,
                       s.median_basis_per_file, s.lines_per_patient, s.median_lines_per_patient, s.peers, s.ratio,
                       _file(s.latest_file)] for s in items]  # fmt: skip
    if signal == "frequency":
        head = [_("Card number"), _("Consultations"), _("From"), _("To"), _("Window (days)"), _("Allowed"), _("Files")]
        return head, [[s.card_number, s.count, s.first, s.last, s.days, s.allowed,
                       ", ".join(f.number for f in s.files)] for s in items]  # fmt: skip
    head = [_("Approval"), _("Card number"), _("Kind"), _("Code"), _("Valid from"), _("Valid until"), _("Granted"),
            _("Used"), _("Share used (%)"), _("Share of validity elapsed (%)"), _("Latest file")]  # fmt: skip
    return head, [[s.number, s.card_number, s.kind, s.code, s.valid_from, s.valid_to, s.granted, s.consumed,
                   s.used_pct, s.elapsed_pct, _file(s.latest_file)] for s in items]  # fmt: skip


def signals_xlsx(signal: str, title: str, items: list[Any]) -> bytes:
    wb = workbook_new()
    ws = wb.create_sheet("".join(" " if ch in "[]:*?/\\" else ch for ch in title)[:31] or "signals")
    head, rows = _rows(signal, items)
    ws.append(head)
    for row in rows:
        ws.append(row)
    return xlsx_bytes(wb)
