"""Payroll deduction files: the list and upload, a file's reconciliation, its exports."""

from __future__ import annotations

import itertools
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from audit.models import AuditAction
from audit.services import audit_record
from contributions.forms import DifferenceFilterForm, PayrollUploadForm
from contributions.models import PayrollFile
from contributions.selectors_payroll import (
    VIEW,
    member_names,
    payroll_file_get,
    payroll_files,
    reconciliation_differences,
    reconciliation_totals,
)  # fmt: skip
from contributions.services_common import ContributionRefused
from contributions.services_payroll import MANAGE, payroll_file_upload
from contributions.views_dues import dues_post_form
from mutuelle.spreadsheet import csv_text, workbook_new, xlsx_bytes

PAGE = 50
DIFF_PAGE = 100
MSG_QUEUED = _("The file is being imported; this page shows its progress.")
EXPORT_HEADER = ("kind", "line", "matricule", "status", "fund", "expected", "withheld", "difference")


@login_required
@permission_required(VIEW, raise_exception=True)
def payroll_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(payroll_files(user=request.user), PAGE).get_page(request.GET.get("page"))
    may = request.user.has_perm(MANAGE)
    form, dues = (PayrollUploadForm(), dues_post_form()) if may else (None, None)
    return render(request, "contributions/payroll_list.html", {"page": page, "form": form, "dues_form": dues})


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def payroll_upload(request: HttpRequest) -> HttpResponse:
    form = PayrollUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        page = Paginator(payroll_files(user=request.user), PAGE).get_page(1)
        return render(request, "contributions/payroll_list.html", {"page": page, "form": form}, status=422)
    upload = form.cleaned_data["file"]
    try:
        outcome = payroll_file_upload(
            actor=request.user, administration=form.cleaned_data["administration"],
            period=form.cleaned_data["period"], file=upload.file, filename=upload.name,
        )  # fmt: skip
    except ContributionRefused as refused:
        form.add_error("file", str(refused.message))
        page = Paginator(payroll_files(user=request.user), PAGE).get_page(1)
        return render(request, "contributions/payroll_list.html", {"page": page, "form": form}, status=422)
    if outcome.duplicate:
        messages.info(request, outcome.message)
        return redirect("contributions:payroll_detail", pk=outcome.file.pk)
    messages.success(request, str(MSG_QUEUED))
    response = redirect("contributions:payroll_detail", pk=outcome.file.pk)
    response["Location"] += f"?{urlencode({'job': outcome.job.pk if outcome.job else ''})}"
    return response


def _file(request: HttpRequest, pk: int) -> PayrollFile:
    try:
        return payroll_file_get(user=request.user, pk=pk)
    except PayrollFile.DoesNotExist:
        raise Http404 from None


@login_required
@permission_required(VIEW, raise_exception=True)
def payroll_detail(request: HttpRequest, pk: int) -> HttpResponse:
    file = _file(request, pk)
    filters = DifferenceFilterForm(request.GET or None)
    kind = fund = None
    if filters.is_valid():
        kind, fund = filters.cleaned_data["kind"] or None, filters.cleaned_data["fund"] or None
    context: dict[str, object] = {"file": file, "filters": filters, "errors": file.errors.all()[:1000]}
    if file.state in (PayrollFile.State.IMPORTED, PayrollFile.State.SUPERSEDED):
        totals = reconciliation_totals(file=file, fund=fund)
        shown = [t for t in totals if kind in (None, t.kind)]
        count = sum(t.count for t in shown)
        number = max(1, int(request.GET.get("page", "1")) if request.GET.get("page", "1").isdigit() else 1)
        start = (number - 1) * DIFF_PAGE
        rows = list(
            itertools.islice(reconciliation_differences(file=file, kind=kind, fund=fund), start, start + DIFF_PAGE)
        )
        names = member_names({d.member_id for d in rows if d.member_id})
        context |= {
            "totals": totals, "shown_count": count, "rows": [(d, names.get(d.member_id or 0)) for d in rows],
            "expected_sum": sum((t.expected for t in shown), Decimal("0")),
            "withheld_sum": sum((t.withheld for t in shown), Decimal("0")),
            "page_number": number, "has_next": len(rows) == DIFF_PAGE, "has_previous": number > 1,
        }  # fmt: skip
    return render(request, "contributions/payroll_detail.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_POST
def payroll_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The differences as CSV or XLSX (POST: the export is recorded in the audit trail)."""
    file = _file(request, pk)
    filters = DifferenceFilterForm(request.POST)
    kind = fund = None
    if filters.is_valid():
        kind, fund = filters.cleaned_data["kind"] or None, filters.cleaned_data["fund"] or None
    rows = [
        (d.kind, d.line or "", d.matricule, d.status, d.fund, d.expected, d.withheld, d.gap)
        for d in reconciliation_differences(file=file, kind=kind, fund=fund)
    ]
    audit_record(
        actor=request.user, action=AuditAction.EXPORT, obj=file,
        after={"format": fmt, "rows": len(rows), "kind": kind or "", "fund": fund or ""},
    )  # fmt: skip
    name = f"reconciliation-{file.administration.code}-{file.period:%Y-%m}-{file.pk}"
    if fmt == "xlsx":
        wb = workbook_new()
        ws = wb.create_sheet("differences")
        ws.append(EXPORT_HEADER)
        for row in rows:
            ws.append(row)
        response = HttpResponse(
            xlsx_bytes(wb), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    response = HttpResponse(csv_text([EXPORT_HEADER, *rows]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
