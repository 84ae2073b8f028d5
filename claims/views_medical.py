"""Medical review queue and prior-approval queue (medical controllers)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from claims.models import PriorApproval
from claims.selectors import claim_get, prior_approvals_pending, review_queue
from claims.services.approvals import ApprovalError, medical_note_set, prior_approval_decide


@login_required
@permission_required("claims.review_claimfile", raise_exception=True)
def review_queue_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(review_queue(user=request.user).order_by("filed_on", "id"), 25).get_page(request.GET.get("page"))
    return render(request, "claims/review_queue.html", {"page": page})


@login_required
@permission_required("claims.decide_priorapproval", raise_exception=True)
def approval_queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(prior_approvals_pending(user=request.user).order_by("requested_at", "id"), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "claims/approval_queue.html", {"page": page})


@login_required
@require_POST
@permission_required("claims.decide_priorapproval", raise_exception=True)
def approval_decide(request: HttpRequest, pk: int) -> HttpResponse:
    approval = get_object_or_404(PriorApproval, pk=pk)
    p = request.POST
    try:
        prior_approval_decide(
            actor=request.user, approval=approval, grant=p.get("decision") == "grant", note=p.get("note", ""),
            valid_from=p.get("valid_from") or None, valid_to=p.get("valid_to") or None,
            quantity=p.get("quantity") or "0", amount=p.get("amount") or "0",
        )  # fmt: skip
    except ApprovalError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("claims:approval_queue")


@login_required
@require_POST
@permission_required("claims.view_medical", raise_exception=True)
def diagnosis_edit(request: HttpRequest, pk: int) -> HttpResponse:
    claim = claim_get(user=request.user, pk=pk)
    try:
        medical_note_set(actor=request.user, claim=claim, diagnosis=request.POST.get("diagnosis", ""))
    except ApprovalError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Diagnosis saved."))
    return redirect("claims:detail", pk=pk)
