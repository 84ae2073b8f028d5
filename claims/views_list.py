"""Helpers of the claim pages: the list's sortable columns, a paginator told the count, the export;
the file page's word on why no button is offered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from claims.models import ClaimFile, ClaimStatus
from claims.selectors_list import DEFAULT_SORT, claims_export_rows
from claims.services.transitions import TRANSITIONS
from claims.services.workflow import MSG_NOTHING_TO_PAY, VERBS
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
    title = gettext("Claim files")
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


# Who takes the next step of a file, when the user reading it may not: said instead of a button
# that would be refused after the click.
MSG_FOR_OFFICER = _("A claims officer decides the next step of this file.")
MSG_FOR_DOCTOR = _("A medical controller decides this file (medical review).")
MSG_FOR_BATCH = _("The accountants' payment batches take this file further.")
MSG_CLOSED = _("This file is closed: no further step.")
_NEXT_BY = {
    ClaimStatus.RECEIVED: MSG_FOR_OFFICER,
    ClaimStatus.INCOMPLETE: MSG_FOR_OFFICER,
    ClaimStatus.RETURNED: MSG_FOR_OFFICER,
    ClaimStatus.ADJUDICATED: MSG_FOR_OFFICER,
    ClaimStatus.MEDICAL_REVIEW: MSG_FOR_DOCTOR,
    ClaimStatus.APPROVED: MSG_FOR_BATCH,
    ClaimStatus.IN_PAYMENT: MSG_FOR_BATCH,
}


def why_no_action(*, user: Any, claim: ClaimFile) -> Any:
    """Why the file page offers this user no verb of the transition table, or "" when it offers one.

    "Approve" is withheld from a file with nothing to reimburse (it would wait for a payment for
    ever): the officer reads why, and rejects it instead.
    """
    mine = [pair for pair in VERBS if pair[0] == claim.status and user.has_perm(TRANSITIONS[pair])]
    approvable = (claim.status, ClaimStatus.APPROVED) in mine
    if approvable and claim.reimbursed <= 0:
        return MSG_NOTHING_TO_PAY
    if mine or (claim.status == ClaimStatus.RECEIVED and user.has_perm("claims.adjudicate_claimfile")):
        return ""
    return _NEXT_BY.get(ClaimStatus(claim.status), MSG_CLOSED)
