"""The accountants' button that posts a month's dues of the members off payroll (a job, its progress shown)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from contributions.dues_jobs import dues_post_enqueue
from contributions.forms import MonthField
from contributions.services_common import ContributionRefused
from contributions.services_payroll import MANAGE
from mutuelle.forms import BootstrapMixin

MSG_DUES_QUEUED = _("The dues of %(month)s are being posted for the members off payroll; this page shows the progress.")
MSG_DUES_MONTH = _("Give the month as YYYY-MM.")


class DuesPostForm(BootstrapMixin, forms.Form):
    month = MonthField(label=_("Month of the dues"))


def dues_post_form() -> DuesPostForm:
    return DuesPostForm(initial={"month": f"{timezone.localdate():%Y-%m}"})


@require_POST
@login_required
@permission_required(MANAGE, raise_exception=True)
def dues_post_start(request: HttpRequest) -> HttpResponse:
    form = DuesPostForm(request.POST)
    if not form.is_valid():
        messages.error(request, MSG_DUES_MONTH)
        return redirect("contributions:payroll_list")
    month = form.cleaned_data["month"]
    try:
        job = dues_post_enqueue(actor=request.user, month=month, today=timezone.localdate())
    except ContributionRefused as refused:
        messages.error(request, refused.message)
        return redirect("contributions:payroll_list")
    messages.success(request, MSG_DUES_QUEUED % {"month": f"{month:%Y-%m}"})
    return redirect(reverse("contributions:payroll_list") + "?" + urlencode({"job": job.pk}))
