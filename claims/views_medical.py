"""Medical review queue and prior-approval queue (medical controllers)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from claims.forms_approvals import ApprovalDecisionForm
from claims.models import PriorApproval
from claims.selectors import claim_get, review_queue
from claims.selectors_approvals import approvals_shown, approvals_waiting
from claims.services.approvals import ApprovalError, medical_note_set, prior_approval_decide
from claims.services.routing import REVIEW_REASONS

MSG_GRANTED = _("Prior approval %(number)s granted.")
MSG_REFUSED = _("Prior approval %(number)s refused.")


@login_required
@permission_required("claims.review_claimfile", raise_exception=True)
def review_queue_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(review_queue(user=request.user).order_by("filed_on", "id"), 25).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for claim in page.object_list:  # the reasons' labels, not their codes ("amount", "flagged_act")
        claim.review_labels = [str(REVIEW_REASONS.get(r, r)) for r in claim.review_reasons]  # type: ignore[attr-defined]
    return render(request, "claims/review_queue.html", {"page": page})


@login_required
@permission_required("claims.decide_priorapproval", raise_exception=True)
def approval_queue(request: HttpRequest) -> HttpResponse:
    return _queue(request)


def _queue(
    request: HttpRequest, *, failed: int | None = None, form: ApprovalDecisionForm | None = None
) -> HttpResponse:
    """The queue page; after a refused decision, that request's form with its errors on its fields (400)."""
    page = Paginator(approvals_waiting(user=request.user), 25).get_page(request.GET.get("page"))
    rows = approvals_shown(user=request.user, rows=list(page.object_list))
    page.object_list = rows
    forms = [(pa, form if pa.pk == failed and form is not None else ApprovalDecisionForm(prefix=f"pa{pa.pk}"))
             for pa in rows]  # fmt: skip
    return render(request, "claims/approval_queue.html", {"page": page, "forms": forms}, status=400 if failed else 200)


@login_required
@require_POST
@permission_required("claims.decide_priorapproval", raise_exception=True)
def approval_decide(request: HttpRequest, pk: int) -> HttpResponse:
    approval = get_object_or_404(PriorApproval, pk=pk)
    form = ApprovalDecisionForm(request.POST, prefix=f"pa{pk}")
    if not form.is_valid():
        return _queue(request, failed=pk, form=form)
    d = form.cleaned_data
    try:
        prior_approval_decide(
            actor=request.user, approval=approval, grant=d["decision"] == "grant", note=d.get("note") or "",
            valid_from=d.get("valid_from"), valid_to=d.get("valid_to"), quantity=d.get("quantity") or 0,
            amount=d.get("amount") or 0, reason=d.get("reason") or "",
        )  # fmt: skip
    except ApprovalError as exc:
        messages.error(request, exc.message)
    else:
        granted = d["decision"] == "grant"
        messages.success(request, (MSG_GRANTED if granted else MSG_REFUSED) % {"number": approval.number})
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
