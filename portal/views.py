"""The member's self-service pages: own file, claims, online claim, prior-approval request."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.forms import ApprovalRequestForm
from claims.selectors import prior_approvals_of_member
from claims.services.approvals import ApprovalError, prior_approval_request
from claims.services.intake import ClaimIntakeError
from contributions.arrears_selectors import member_rights
from members.models import Beneficiary, Member
from members.selectors import beneficiary_eligibility, eligibility_reason_label
from portal.forms import MAX_LINES, PortalClaimForm, PortalLineBaseFormSet, PortalLineFormSet, what_search
from portal.selectors import portal_member, portal_recent_claims
from portal.services import portal_claim_submit

MSG_FILED = _("Claim file %(number)s received. A claims officer will check it against the original papers.")
MSG_REQUESTED = _("Request %(number)s sent: the mutual's doctor will decide it.")
MSG_CORRECT = _("Please correct the errors below. Nothing has been sent.")


def _people(member: Member) -> list[Beneficiary]:
    people = list(member.beneficiaries.all())
    for b in people:
        b.member = member  # the prefetched status history is on this instance
    return people


@login_required
def portal_home(request: HttpRequest) -> HttpResponse:
    member = portal_member(user=request.user)
    today = timezone.localdate()
    people = []
    for b in _people(member):
        eligibility = beneficiary_eligibility(beneficiary=b, on=today)
        people.append({"b": b, "eligibility": eligibility, "why_not": eligibility_reason_label(eligibility)})
    context = {
        "member": member, "people": people, "today": today, "claims": portal_recent_claims(member=member),
        "approvals": prior_approvals_of_member(user=request.user, member=member),
        "rights": member_rights(member=member, today=today),
    }  # fmt: skip
    return render(request, "portal/home.html", context)


@login_required
def portal_claim_new(request: HttpRequest) -> HttpResponse:
    member = portal_member(user=request.user)
    people = _people(member)
    form = PortalClaimForm(request.POST or None, request.FILES or None, beneficiaries=people)
    formset = cast(PortalLineBaseFormSet, PortalLineFormSet(request.POST or None, prefix="lines"))
    error = ""
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            claim = portal_claim_submit(
                user=request.user, beneficiary=next(b for b in people if b.pk == data["beneficiary"]),
                lines=formset.line_inputs(), scans=form.scans(), provider_inpe=data["provider_inpe"],
                provider_sector=data["provider_sector"],
            )  # fmt: skip
        except ClaimIntakeError as exc:
            error = str(exc.message)
        else:
            messages.success(request, MSG_FILED % {"number": claim.number})
            return redirect("portal:claim", pk=claim.pk)
    invalid = request.method == "POST"
    context = {"form": form, "formset": formset, "error": error or (MSG_CORRECT if invalid else ""),
               "max_lines": MAX_LINES}  # fmt: skip
    return render(request, "portal/claim_form.html", context, status=400 if invalid else 200)


@login_required
def portal_claim_line(request: HttpRequest) -> HttpResponse:
    """One more line of the online claim (htmx "Add a line"), and the formset's new count."""
    portal_member(user=request.user)
    raw = request.GET.get("lines-TOTAL_FORMS", "")
    index = int(raw) if raw.isdigit() else 0
    if index >= MAX_LINES:
        return HttpResponse(status=204)  # the last line is there: nothing to add
    form = PortalLineFormSet(prefix="lines").empty_form
    form.prefix = f"lines-{index}"
    form.fields["what"].widget.attrs["autofocus"] = True
    return render(request, "portal/claim_line.html", {"f": form, "n": index + 1, "total": index + 1})


@login_required
def portal_codes(request: HttpRequest) -> HttpResponse:
    """The options of "Which one": the acts or medicines of the kind chosen whose name holds the text."""
    portal_member(user=request.user)
    options = what_search(what=request.GET.get("what", ""), query=request.GET.get("q", ""))
    return render(request, "portal/codes.html", {"options": options})


@login_required
def portal_approval_new(request: HttpRequest) -> HttpResponse:
    member = portal_member(user=request.user)
    people = _people(member)
    form = ApprovalRequestForm(request.POST or None, beneficiaries=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pa = prior_approval_request(
                actor=request.user, beneficiary=next(b for b in people if b.pk == data["beneficiary"]),
                kind=data["kind"], code=data["code"], justification=data["justification"],
            )  # fmt: skip
        except ApprovalError as exc:
            form.add_error("code", exc.message)
        else:
            messages.success(request, MSG_REQUESTED % {"number": pa.number})
            return redirect("portal:home")
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/approval_form.html", {"form": form}, status=status)
