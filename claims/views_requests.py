"""Prior-approval requests taken by staff for a member's beneficiary (the member's own form is in portal)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from claims.forms import ApprovalRequestForm
from claims.services.approvals import ApprovalError, prior_approval_request
from members.selectors import member_get

MSG_REQUESTED = _("Prior approval request %(number)s recorded: a medical controller will decide it.")


@login_required
@permission_required("claims.add_priorapproval", raise_exception=True)
def approval_request(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = member_get(user=request.user, pk=member_pk)
    people = list(member.beneficiaries.all())
    form = ApprovalRequestForm(request.POST or None, beneficiaries=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        beneficiary = next(b for b in people if b.pk == data["beneficiary"])
        beneficiary.member = member
        try:
            pa = prior_approval_request(actor=request.user, beneficiary=beneficiary, kind=data["kind"],
                                        code=data["code"], justification=data["justification"])  # fmt: skip
        except ApprovalError as exc:
            form.add_error("code", exc.message)
        else:
            messages.success(request, MSG_REQUESTED % {"number": pa.number})
            return redirect("members:detail", pk=member.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "title": _("Request a prior approval"), "member": member}
    return render(request, "members/form.html", context, status=status)
