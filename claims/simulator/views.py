"""The public page "Simulate my reimbursement": thin views over simulation_run."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from claims.simulator.forms import LINES_PREFIX, FileForm, LineForm, LineFormSet, scenario_from_forms
from claims.simulator.services import MAX_LINES, SimulationError, simulation_run
from claims.simulator.throttle import simulation_allowed

MSG_TOO_MANY = _("Too many simulations from your address; try again in a minute.")


def _count(value: str | None) -> int:
    """The form's line count as posted: anything but a small whole number reads as one line."""
    text = (value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 3 else 1


@require_http_methods(["GET", "POST"])
def simulate_page(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"result": None, "errors": []}
    status = 200
    if request.method == "POST":
        file_form = FileForm(request.POST)
        lines = LineFormSet(request.POST, prefix=LINES_PREFIX)
        if "add_line" in request.POST:  # without JavaScript: the same form with one more empty line
            data = request.POST.copy()
            total = min(_count(data.get(f"{LINES_PREFIX}-TOTAL_FORMS")) + 1, MAX_LINES)
            data[f"{LINES_PREFIX}-TOTAL_FORMS"] = str(total)
            file_form = FileForm(data)
            lines = LineFormSet(data, prefix=LINES_PREFIX)
            file_form.errors.clear()
            for form in lines:
                form.errors.clear()
        elif not simulation_allowed(request):
            context["errors"] = [str(MSG_TOO_MANY)]
            status = 429
        elif file_form.is_valid() and lines.is_valid():
            try:
                context["result"] = simulation_run(
                    data=scenario_from_forms(file_form, lines), lang=get_language() or "fr"
                )
            except SimulationError as e:
                context["errors"] = [f"{err['field']}: {err['message']}" for err in e.errors]
                status = 422
        else:
            status = 422
    else:
        file_form = FileForm(initial={"filed_by": "member", "sector": "private", "member_status": "active"})
        lines = LineFormSet(prefix=LINES_PREFIX)
    context.update(file_form=file_form, lines=lines)
    return render(request, "simulator/page.html", context, status=status)


@require_GET
def simulate_line(request: HttpRequest) -> HttpResponse:
    """htmx: one more empty line form, numbered after the lines already on the page."""
    try:
        index = int(request.GET.get(f"{LINES_PREFIX}-TOTAL_FORMS", "1"))
    except ValueError:
        index = 1
    index = max(0, min(index, MAX_LINES - 1))
    form = LineForm(prefix=f"{LINES_PREFIX}-{index}")
    return render(request, "simulator/_line.html", {"form": form, "index": index, "total": index + 1, "oob": True})
