"""The centres' reports: occupancy per programme, the waiting list and its waits, attendance; page and XLSX."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from care.selectors_centres import centres_visible
from care.selectors_reports import centres_report, centres_report_xlsx

VIEW = "care.view_care_reports"


class PeriodForm(forms.Form):
    first = forms.DateField(label=_("From"), required=False)
    last = forms.DateField(label=_("To"), required=False)
    centre = forms.TypedChoiceField(label=_("Centre"), required=False, coerce=int, empty_value=None)


def _period(request: HttpRequest) -> tuple[PeriodForm, dt.date, dt.date, int | None]:
    """The period asked (default: the last 90 days up to today) and the centre (default: all the user's)."""
    form = PeriodForm(request.GET or None)
    choices = [("", _("Every centre")), *((c.pk, c.name) for c in centres_visible(user=request.user))]
    form.fields["centre"].choices = choices  # type: ignore[attr-defined]
    today = timezone.localdate()
    first, last, centre = today - dt.timedelta(days=90), today, None
    if form.is_valid():
        first = form.cleaned_data["first"] or first
        last = form.cleaned_data["last"] or last
        centre = form.cleaned_data["centre"]
    if last < first:
        first, last = last, first
    return form, first, last, centre


@login_required
@permission_required(VIEW, raise_exception=True)
def report_page(request: HttpRequest) -> HttpResponse:
    form, first, last, centre = _period(request)
    rows = centres_report(user=request.user, first=first, last=last, on=last, centre=centre)
    totals = {
        "capacity": sum(r.capacity for r in rows), "enrolled": sum(r.enrolled for r in rows),
        "waiting": sum(r.waiting for r in rows), "planned": sum(r.planned for r in rows),
        "present": sum(r.present for r in rows), "absent": sum(r.absent for r in rows),
        "cancelled": sum(r.cancelled for r in rows),
    }  # fmt: skip
    context = {"form": form, "rows": rows, "first": first, "last": last, "totals": totals,
               "query": request.GET.urlencode()}  # fmt: skip
    return render(request, "care/report_centres.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
def report_xlsx(request: HttpRequest) -> HttpResponse:
    _form, first, last, centre = _period(request)
    rows = centres_report(user=request.user, first=first, last=last, on=last, centre=centre)
    data = centres_report_xlsx(rows, first=first, last=last, on=last)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="centres-{first.isoformat()}-{last.isoformat()}.xlsx"'
    return response
