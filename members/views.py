from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
@permission_required("members.view_member", raise_exception=True)
def member_list(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")




# Placeholders until the member pages land (issue 2).
member_create = member_detail = member_edit = member_status_change = member_list
beneficiary_create = beneficiary_edit = member_list
