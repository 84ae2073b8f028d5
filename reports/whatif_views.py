"""Policy what-if pages (managers and administrators): ask, follow the job, read the answer, export it.

Views only validate, call reports.whatif_services (the run and its job, one transaction) and render;
the replay runs in the worker (job kind `whatif`).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from mutuelle.errors import DomainError
from mutuelle.spreadsheet import workbook_new, xlsx_bytes
from reports.models_whatif import WhatIfRun, WhatIfState
from reports.whatif_proposal import ProposalError
from reports.whatif_report import report_json, report_of
from reports.whatif_services import whatif_run_create

RUN = "reports.run_whatif"
VIEW = "reports.view_whatifrun"
EXAMPLE = {
    "name": "Consultation 15 DH",
    "changes": [{"type": "complementary", "category": "consultation", "flat": "15.00"}],
}
MAX_JSON = 20_000
GROUP_AMOUNTS = ("mutual_current", "mutual_proposed", "change", "remainder_current", "remainder_proposed")


class WhatIfForm(forms.Form):
    start = forms.DateField(
        label=_("Care from"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    end = forms.DateField(
        label=_("Care until (inclusive)"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    proposal = forms.CharField(
        label=_("Proposal (JSON)"), max_length=MAX_JSON, widget=forms.Textarea(attrs={"rows": 8, "dir": "ltr"})
    )

    def clean_proposal(self) -> Any:
        try:
            return json.loads(self.cleaned_data["proposal"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("Not JSON (line %(line)s, column %(col)s)."), params={"line": exc.lineno, "col": exc.colno}
            ) from None


@login_required
@permission_required(VIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
def whatif_list(request: HttpRequest) -> HttpResponse:
    problems: list[Any] = []
    if request.method == "POST":
        if not request.user.has_perm(RUN):
            return HttpResponse(gettext("You may not run policy what-ifs."), status=403)
        form = WhatIfForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                run = whatif_run_create(actor=request.user, start=d["start"], end=d["end"], raw=d["proposal"])  # type: ignore[arg-type]
            except ProposalError as exc:
                problems = exc.problems
            except DomainError as exc:
                return HttpResponse(str(exc.message), status=403)
            else:
                response = redirect("reports:whatif_detail", pk=run.pk)
                if run.job_id:
                    response["Location"] += f"?job={run.job_id}"
                return response
        status = 400
    else:
        form = WhatIfForm(initial={"proposal": json.dumps(EXAMPLE, indent=2, ensure_ascii=False)})
        status = 200
    runs = WhatIfRun.objects.select_related("created_by").only(
        "pk", "name", "period_from", "period_to", "state", "lines", "created_at", "created_by__username"
    )[:20]
    context = {"form": form, "problems": problems, "runs": runs, "can_run": request.user.has_perm(RUN)}
    return render(request, "reports/whatif_list.html", context, status=status)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def whatif_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(WhatIfRun.objects.select_related("job", "created_by"), pk=pk)
    report = report_of(run.result) if run.state == WhatIfState.DONE and run.result else None
    failed = run.job is not None and run.job.state == "failed"
    proposal = json.dumps(run.proposal, indent=2, ensure_ascii=False)
    context = {"run": run, "report": report, "failed": failed, "proposal_text": proposal}
    return render(request, "reports/whatif_detail.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def whatif_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The answer as XLSX (formula-safe; amounts as numbers in dirhams)."""
    run = get_object_or_404(WhatIfRun, pk=pk, state=WhatIfState.DONE)
    out = report_json(report_of(run.result or {}), period=(str(run.period_from), str(run.period_to)), name=run.name)
    wb = workbook_new()
    ws = wb.create_sheet(gettext("Totals"))
    ws.append([gettext("Amount"), gettext("Current rules"), gettext("Proposal"), gettext("Change")])
    for name, t in out["totals"].items():
        ws.append([name, *(_num(t[k]) for k in ("current", "proposed", "change"))])
    heads = [
        gettext("Key"),
        gettext("Label"),
        gettext("Lines"),
        gettext("Mutual pays now"),
        gettext("Mutual pays, proposal"),
        gettext("Change"),
        gettext("Members pay now"),
        gettext("Members pay, proposal"),
    ]
    for title, key in ((gettext("By category"), "by_category"), (gettext("By region"), "by_region"),
                       (gettext("By administration"), "by_administration")):  # fmt: skip
        ws = wb.create_sheet(title[:31])
        ws.append(heads)
        for r in out[key]:
            ws.append([r["key"], r["label"], r["lines"], *(_num(r[k]) for k in GROUP_AMOUNTS)])
    ws = wb.create_sheet(gettext("Largest changes"))
    ws.append(
        [
            gettext("Line"),
            gettext("File"),
            gettext("Category"),
            gettext("Code"),
            gettext("Date of care"),
            gettext("Mutual pays now"),
            gettext("Mutual pays, proposal"),
            gettext("Members pay now"),
            gettext("Members pay, proposal"),
        ]
    )
    for t in out["top_lines"]:
        ws.append([t["line"], t["file"], t["category"], t["code"], t["care_date"], *(_num(t[k]) for k in (
            "mutual_current", "mutual_proposed", "remainder_current", "remainder_proposed"))])  # fmt: skip
    response = HttpResponse(
        xlsx_bytes(wb), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="whatif-{run.pk}.xlsx"'
    return response


def _num(text: str) -> Decimal:
    return Decimal(text)
