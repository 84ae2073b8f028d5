"""Back-office pages of claim files: work list, file page, actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from claims.forms_list import ClaimFilterForm
from claims.models import Attachment, ClaimStatus
from claims.selectors import claim_get, claim_lines_shown, claim_transitions_shown, is_the_member, medical_note_read
from claims.selectors_list import ClaimFilters, claims_filtered, claims_totals
from claims.services import CHECKLIST, ClaimTransitionError, claim_adjudicate, claim_transition
from claims.services.routing import REVIEW_REASONS
from claims.services.workflow import transitions_for
from claims.views_list import CountedPaginator, claims_export_response, sort_columns, why_no_action
from engine import REASONS, reason_label

PAGE_SIZE = 25


@login_required
def claim_list_view(request: HttpRequest) -> HttpResponseBase:
    """The claim files the user may see, filtered by the GET form (so a list is a bookmark and other
    pages link to filtered lists), with the count and sums of everything filtered; `export=csv|xlsx`
    gives the same rows, every page, as a file."""
    form = ClaimFilterForm(request.GET or None)
    staff = request.user.has_perm("claims.view_claimfile")
    if form.is_bound and not form.is_valid():
        context = {"form": form, "staff": staff, "page": None, "totals": None, "columns": []}
        return render(request, "claims/list.html", context, status=400)
    filters = form.filters() if form.is_bound else ClaimFilters()
    qs = claims_filtered(user=request.user, filters=filters)
    export = request.GET.get("export", "")
    if export:
        if not staff:
            raise PermissionDenied
        return claims_export_response(qs, fmt=export)
    totals = claims_totals(qs)
    page = CountedPaginator(qs, PAGE_SIZE, count=totals.count).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    context = {"form": form, "staff": staff, "page": page, "totals": totals, "columns": sort_columns(filters.sort)}
    return render(request, "claims/list.html", context)


def _labels(codes: list[str]) -> list[str]:
    lang = get_language() or "fr"
    return [reason_label(c, lang) if c in REASONS else c for c in codes]


@login_required
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = claim_get(user=request.user, pk=pk)
    staff = request.user.has_perm("claims.view_claimfile")
    if not staff and is_the_member(user=request.user, member_user_id=claim.member.user_id):
        return redirect("portal:claim", pk=pk)  # the member's own page: in words, no internal field
    lines = [(line, _labels(line.reasons)) for line in claim_lines_shown(user=request.user, claim=claim)]
    medical = request.user.has_perm("claims.view_medical")
    context = {
        "claim": claim,
        "lines": lines,
        "transitions": claim_transitions_shown(user=request.user, claim=claim),
        "staff": staff,
        "note": medical_note_read(user=request.user, claim=claim) if staff else None,
        "targets": transitions_for(actor=request.user, claim=claim) if staff else [],
        "why_no_action": why_no_action(user=request.user, claim=claim) if staff else "",
        "can_adjudicate": claim.status == ClaimStatus.RECEIVED and request.user.has_perm("claims.adjudicate_claimfile"),
        "checklist": list(CHECKLIST.items()),
        "attachment_kinds": Attachment.Kind.choices,
        "missing": [CHECKLIST.get(p, p) for p in claim.missing_pieces],
        "review": [REVIEW_REASONS.get(r, r) for r in claim.review_reasons],
        "attachments": [a for a in claim.attachments.all() if not a.is_medical or medical],
    }  # fmt: skip
    return render(request, "claims/detail.html", context)


@login_required
@require_POST
def claim_transition_view(request: HttpRequest, pk: int) -> HttpResponse:
    # The workflow is the back office's: a provider holds claims.add_claimfile (for the API) and could
    # otherwise send its own returned files back as received without the missing pieces.
    if not request.user.has_perm("claims.view_claimfile"):
        raise PermissionDenied
    claim = claim_get(user=request.user, pk=pk)
    version = request.POST.get("version", "")
    try:
        claim_transition(
            actor=request.user, claim=claim, to=request.POST.get("to", ""), reason=request.POST.get("reason", ""),
            expected_version=int(version) if version.isdigit() else None, missing=request.POST.getlist("missing"),
            manual=True,
        )  # fmt: skip
    except (ClaimTransitionError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", _("Unknown state.")))
    else:
        messages.success(request, _("The file was updated."))
    return redirect("claims:detail", pk=pk)


@login_required
@require_POST
def claim_adjudicate_view(request: HttpRequest, pk: int) -> HttpResponse:
    claim = claim_get(user=request.user, pk=pk)
    try:
        claim_adjudicate(actor=request.user, claim=claim)
    except ClaimTransitionError as exc:
        messages.error(request, exc.message)
    return redirect("claims:detail", pk=pk)
