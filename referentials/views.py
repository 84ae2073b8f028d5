"""Referential pages: each dated parameter's history (past, current and future rows), the
basic-insurance payer's, and the public holidays from this year on. Read-only; values change in
the administration (referentials.admin)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from referentials.selectors import basic_payers_history, parameters_history, public_holidays_from


@require_GET
@login_required
@permission_required("referentials.view_referentials", raise_exception=True)
def parameters_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "today": today,
        "parameters": parameters_history(),
        "payers": basic_payers_history(),
        "holidays": public_holidays_from(start=today),
    }
    return render(request, "referentials/parameters.html", context)
