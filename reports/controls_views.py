"""The control signals page (medical controllers): one signal per tab, paginated, exportable.

A GET reads only (reports.controls); every signal links to the claim file, where the controller
decides through the claims services. Nothing here changes a file.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from reports import controls as c
from reports.controls_export import signals_xlsx

PER_PAGE = 25
EXPORT_MAX = 10_000
TITLES = {
    "duplicates": _("Same care in files of different providers"),
    "providers": _("Providers far above their peers"),
    "frequency": _("Unusual frequency of consultations"),
    "approvals": _("Prior approvals used faster than granted"),
}


class WindowForm(forms.Form):
    start = forms.DateField(label=_("Care from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Care until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    signal = forms.ChoiceField(choices=[(k, v) for k, v in TITLES.items()], required=False)
    page = forms.IntegerField(min_value=1, max_value=100_000, required=False)
    format = forms.ChoiceField(choices=[("", ""), ("xlsx", "XLSX")], required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The period ends before it starts."))
        if start and end and (end - start).days > 3 * 366:
            raise forms.ValidationError(_("At most three years at a time."))
        return data


def _window(data: dict[str, Any]) -> c.Window:
    start, end = data.get("start"), data.get("end")
    if start is None and end is None:
        return c.window_default(today=timezone.localdate())
    end = end or (start + timedelta(days=364) if isinstance(start, date) else timezone.localdate())
    return c.Window(start or end - timedelta(days=364), end)


def _found(signal: str, window: c.Window, values: dict[str, Any], page: slice) -> c.Found:
    if signal == "duplicates":
        return c.duplicate_signals(window, page=page)
    if signal == "providers":
        return c.provider_signals(window, values, page=page)
    if signal == "frequency":
        return c.frequency_signals(window, values, page=page)
    return c.approval_signals(window, values, page=page)


@login_required
@permission_required("reports.view_controls", raise_exception=True)
@require_GET
def controls(request: HttpRequest) -> HttpResponse:
    form = WindowForm(request.GET)
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponseBadRequest(gettext("Bad request: %(errors)s") % {"errors": errors})
    data = form.cleaned_data
    signal = data.get("signal") or "duplicates"
    window = _window(data)
    values = c.thresholds_on(window.end)
    if data.get("format") == "xlsx":
        found = _found(signal, window, values, slice(0, EXPORT_MAX))
        response = HttpResponse(
            signals_xlsx(signal, str(TITLES[signal]), found.items),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="controls-{signal}-{window.end:%Y%m%d}.xlsx"'
        return response
    number = data.get("page") or 1
    found = _found(signal, window, values, slice((number - 1) * PER_PAGE, number * PER_PAGE))
    page = Paginator(range(found.total), PER_PAGE).get_page(number)
    # Counts and days read as whole numbers ("3", not "3.00"); ratios keep their decimals.
    shown = {k: (int(v) if v == v.to_integral_value() and not k.endswith(("ratio", "pace")) else v)
             for k, v in values.items()}  # fmt: skip
    context = {
        "form": form, "signal": signal, "titles": TITLES, "window": window, "values": shown,
        "items": found.items, "total": found.total, "page": page,
    }  # fmt: skip
    return render(request, "reports/controls.html", context)
