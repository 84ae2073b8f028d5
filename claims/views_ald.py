"""Long-term illnesses recognised from the member's file (medical controllers)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from claims.models import AldRecognition
from claims.services.ald import MSG_DATES, AldError, ald_end, ald_recognise
from members.selectors import member_get

MSG_RECOGNISED = _("Long-term illness recorded.")
MSG_ENDED = _("Long-term illness closed.")


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise AldError(MSG_DATES) from None


@login_required
@require_POST
@permission_required("claims.add_aldrecognition", raise_exception=True)
def ald_add(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = member_get(user=request.user, pk=member_pk)
    p = request.POST
    beneficiary = next((b for b in member.beneficiaries.all() if str(b.pk) == p.get("beneficiary")), None)
    try:
        start = _date(p.get("valid_from"))
        if beneficiary is None or start is None:
            raise AldError(_("Choose the person and the first day."))
        ald_recognise(actor=request.user, beneficiary=beneficiary, code=p.get("code", ""), valid_from=start,
                      valid_to=_date(p.get("valid_to")))  # fmt: skip
    except AldError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, MSG_RECOGNISED)
    return redirect("members:detail", pk=member.pk)


@login_required
@require_POST
@permission_required("claims.change_aldrecognition", raise_exception=True)
def ald_close(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(AldRecognition, pk=pk)
    try:
        last = _date(request.POST.get("last_day"))
        if last is None:
            raise AldError(MSG_DATES)
        ald_end(actor=request.user, recognition=row, last_day=last)
    except AldError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, MSG_ENDED)
    return redirect("members:detail", pk=row.member_id)
