"""Helpers of the claim list page: its sortable columns, a paginator told the count, the export."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from claims.models import ClaimFile
from claims.selectors_list import DEFAULT_SORT, claims_export_rows
from mutuelle.spreadsheet import csv_stream, xlsx_file

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CountedPaginator(Paginator):
    """A paginator given the count the page's totals query already made (one query fewer)."""

    def __init__(self, object_list: Sequence[Any] | QuerySet[Any], per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


@dataclass(frozen=True)
class SortColumn:
    """A column header: `sort` is the URL's value its link sets (the other way round when it is the
    current one), `arrow` says how the list is sorted by it now ("" when it is not)."""

    key: str
    label: Any
    numeric: bool
    sort: str
    arrow: str
    aria: str  # "ascending" / "descending" / "none", for aria-sort


_COLUMNS: tuple[tuple[str, Any, bool], ...] = (
    ("number", _("Number"), False),
    ("", _("Beneficiary"), False),
    ("", _("Card"), False),
    ("filed", _("Filed on"), False),
    ("channel", _("Channel"), False),
    ("status", _("Status"), False),
    ("claimed", _("Claimed"), True),
    ("amo", _("Basic (AMO)"), True),
    ("complementary", _("Complementary"), True),
    ("remainder", _("Remainder"), True),
)


def sort_columns(current: str) -> list[SortColumn]:
    """The list's headers; a new column sorts dates and amounts highest first, text A to Z."""
    current = current or DEFAULT_SORT
    out = []
    for key, label, numeric in _COLUMNS:
        if not key:
            out.append(SortColumn(key, label, numeric, "", "", "none"))
        elif current == key:
            out.append(SortColumn(key, label, numeric, f"-{key}", "▲", "ascending"))
        elif current == f"-{key}":
            out.append(SortColumn(key, label, numeric, key, "▼", "descending"))
        else:
            first = f"-{key}" if numeric or key == "filed" else key
            out.append(SortColumn(key, label, numeric, first, "", "none"))
    return out


def claims_export_response(qs: QuerySet[ClaimFile], *, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """The filtered files as CSV (streamed row chunks) or XLSX (a write-only workbook streamed from a
    temporary file); through mutuelle.spreadsheet, so a name that looks like a formula stays text."""
    stamp = timezone.localdate().isoformat()
    title = _gettext("Claim files")
    if fmt == "csv":
        response = StreamingHttpResponse(csv_stream(claims_export_rows(qs)), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="claims-{stamp}.csv"'
        return response
    if fmt == "xlsx":
        return FileResponse(
            xlsx_file(claims_export_rows(qs), title=title), as_attachment=True, filename=f"claims-{stamp}.xlsx",
            content_type=XLSX,
        )  # fmt: skip
    raise Http404
