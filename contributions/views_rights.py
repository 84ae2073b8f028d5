"""Pages of the arrears and rights: the accountants' list of notices with the review button (a
job), and the formal notice's letter in Arabic or French."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from audit.services import AuditAction, audit_record
from claims.services.documents import pdf_render
from contributions.arrears_selectors import arrears_notices_list
from contributions.models import ArrearsNotice, RightsState
from contributions.services_common import RIGHTS_REVIEW
from contributions.services_rights import REVIEW_PERMISSION
from jobs.services import job_enqueue
from members.models import Relation
from referentials.selectors import basic_payer_on

MSG_REVIEW_QUEUED = _("The arrears review is running; this page shows its progress.")


class ReviewForm(forms.Form):
    as_of = forms.DateField(label=_("review as of"), widget=forms.DateInput(attrs={"type": "date"}))


class FilterForm(forms.Form):
    state = forms.ChoiceField(label=_("state"), required=False, choices=[("", _("all")), *RightsState.choices])


@require_GET
@login_required
@permission_required("contributions.view_arrearsnotice", raise_exception=True)
def arrears_list(request: HttpRequest) -> HttpResponse:
    filters = FilterForm(request.GET or None)
    state = filters.cleaned_data["state"] if filters.is_valid() else ""
    qs = arrears_notices_list(state=state)
    totals = qs.aggregate(count=Count("id"), amount=Sum("amount_due"))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    review = ReviewForm(initial={"as_of": timezone.localdate()}) if request.user.has_perm(REVIEW_PERMISSION) else None
    context = {
        "page": page, "filters": filters, "review_form": review, "count": totals["count"],
        "amount": totals["amount"] or Decimal("0.00"),
    }  # fmt: skip
    return render(request, "contributions/arrears_list.html", context)


@require_POST
@login_required
@permission_required(REVIEW_PERMISSION, raise_exception=True)
def arrears_review_start(request: HttpRequest) -> HttpResponse:
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400, content=str(_("Give a valid date.")))
    as_of: dt.date = form.cleaned_data["as_of"]
    with transaction.atomic(durable=True):
        job = job_enqueue(
            kind=RIGHTS_REVIEW,
            params={"as_of": as_of.isoformat(), "actor_id": request.user.pk},
            dedupe_key=f"{RIGHTS_REVIEW}:{as_of.isoformat()}",
        )
        audit_record(
            actor=request.user, action=AuditAction.CREATE, obj=job, after={"as_of": as_of.isoformat()}, note="review"
        )
    return redirect(reverse("contributions:arrears_list") + "?" + urlencode({"job": job.pk}))


def _may_read(user: Any, notice: ArrearsNotice) -> bool:
    own = notice.member.user_id is not None and notice.member.user_id == getattr(user, "pk", None)
    return own or user.has_perm("contributions.view_arrearsnotice")


@require_GET
@login_required
def arrears_letter(request: HttpRequest, pk: int, lang: str) -> HttpResponse:
    if lang not in ("ar", "fr"):
        raise Http404
    notice = get_object_or_404(ArrearsNotice.objects.select_related("member"), pk=pk)
    if not _may_read(request.user, notice):
        raise PermissionDenied
    member = notice.member
    holder = member.beneficiaries.filter(relation=Relation.SELF).first()
    payer = basic_payer_on(on=notice.noticed_on)
    context = {
        "notice": notice, "member": holder or member, "payer": payer, "payer_name": payer.name(lang) if payer else "",
        "mutual_name_ar": settings.MUTUAL_NAME_AR, "mutual_name_fr": settings.MUTUAL_NAME_FR,
    }  # fmt: skip
    data = pdf_render("contributions/arrears_letter_pdf.html", context, language=lang)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{notice.reference}-{lang}.pdf"'
    return response
