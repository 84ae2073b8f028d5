"""The management dashboard (managers, read-only; administrators) and its XLSX exports.

The page reads the summary tables only (reports.selectors_dashboard); the one write is the
administrator's "Refresh now", a POST that queues the refresh job.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from mutuelle.spreadsheet import workbook_new, xlsx_bytes
from reports import selectors_dashboard as sel
from reports.dashboard_cache import as_of, panels_read
from reports.dashboard_panels import Panel, kpis, panel_find
from reports.summary import REFRESH_PERMISSION, VIEW_PERMISSION, reports_refresh_enqueue

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _context(request: HttpRequest) -> tuple[sel.Period, list[Panel], dict[str, sel.Freshness]]:
    fresh = sel.freshness()
    period = sel.period_parse(request.GET.get("period"), as_of=as_of(fresh))
    return period, panels_read(period=period, fresh=fresh), fresh


@login_required
@permission_required(VIEW_PERMISSION, raise_exception=True)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    period, panels, fresh = _context(request)
    context = {
        "period": period,
        "periods": ["12m", *[str(y) for y in sel.years_with_data()], "all"],
        "panels": [(p, fresh.get(p.table)) for p in panels],
        "kpis": kpis(panels),
        "never_refreshed": not fresh,
        "can_refresh": request.user.has_perm(REFRESH_PERMISSION),
    }
    return render(request, "reports/dashboard.html", context)


def _sheet_title(text: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\ in a sheet's name.
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in text)
    return cleaned[:31] or "sheet"


def _write(wb: object, panel: Panel) -> None:
    ws = wb.create_sheet(_sheet_title(panel.title))  # type: ignore[attr-defined]
    ws.append(panel.headers)
    for row in panel.rows:
        ws.append(list(row))


@login_required
@permission_required(VIEW_PERMISSION, raise_exception=True)
@require_GET
def dashboard_export(request: HttpRequest, key: str) -> HttpResponse:
    """One panel's numbers as an XLSX sheet (`all`: every panel, one sheet each), formula-safe."""
    period, panels, _fresh = _context(request)
    chosen = panels if key == "all" else [p for p in [panel_find(panels, key)] if p is not None]
    if not chosen:
        raise Http404
    wb = workbook_new()
    for panel in chosen:
        _write(wb, panel)
    response = HttpResponse(xlsx_bytes(wb), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="dashboard-{key}-{period.key}.xlsx"'
    return response


@login_required
@require_POST
def dashboard_refresh(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(REFRESH_PERMISSION):
        raise PermissionDenied
    job = reports_refresh_enqueue(actor=request.user)
    return redirect(f"{reverse('reports:dashboard')}?{urlencode({'job': job.pk})}")
