from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
@permission_required("members.import_roster", raise_exception=True)
def roster_import(request: HttpRequest) -> HttpResponse:
    # Placeholder until the roster import lands (issue 2).
    return render(request, "base.html")
