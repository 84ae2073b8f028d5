"""A claim file as its member sees it: where it stands, when it should be decided and paid, its lines in
words, and (returned files) the missing pieces to send online. No internal field (version, actors)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from claims.models import ClaimFile, ClaimStatus
from claims.selectors import claim_get, claim_lines_shown, claim_transitions_shown, is_the_member
from claims.selectors_codes import codes_labels
from claims.selectors_member import DELAY_WINDOW_DAYS, claim_delays, claim_progress
from claims.services import CHECKLIST
from claims.services.intake import ClaimIntakeError
from engine import REASONS, reason_label
from portal.forms import CompletionForm, person_name
from portal.services import portal_claim_complete

# The moves a member hears of (the back office's own steps, adjudicated or sent to review, are not theirs).
SHOWN_MOVES = (ClaimStatus.RETURNED, ClaimStatus.RECEIVED, ClaimStatus.APPROVED, ClaimStatus.REJECTED,
               ClaimStatus.PAID, ClaimStatus.CANCELLED)  # fmt: skip
MSG_SENT = _("Thank you: the pieces were sent. File %(number)s is back with the claims officers.")


def _own_claim(request: HttpRequest, pk: int) -> ClaimFile:
    """The member's own file; 404 for another's (claim_get), 403 for staff (their page is the back office's)."""
    claim = claim_get(user=request.user, pk=pk)
    if not is_the_member(user=request.user, member_user_id=claim.member.user_id):
        raise PermissionDenied
    return claim


def _pieces(claim: ClaimFile) -> list[tuple[str, Any]]:
    return [(p, CHECKLIST[p]) for p in claim.missing_pieces if p in CHECKLIST]


def _page(request: HttpRequest, claim: ClaimFile, completion: CompletionForm | None, status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    lang = get_language() or "fr"
    lines = claim_lines_shown(user=request.user, claim=claim)
    labels = codes_labels(codes=[(ln.kind, ln.code) for ln in lines])
    rows = [
        {"line": ln, "label": labels.get((ln.kind, ln.code), ""), "reimbursed": ln.amo + ln.complementary,
         "reasons": [reason_label(r, lang) for r in ln.reasons if r in REASONS]}
        for ln in lines
    ]  # fmt: skip
    if completion is None and claim.status == ClaimStatus.RETURNED:
        completion = CompletionForm(pieces=_pieces(claim))
    context = {
        "claim": claim, "rows": rows, "who": person_name(claim.beneficiary),
        "progress": claim_progress(claim=claim, delays=claim_delays(today=today), today=today),
        "window": DELAY_WINDOW_DAYS, "completion": completion, "decided": claim.adjudicated_at is not None,
        "attachments": list(claim.attachments.all()),
        "history": [t for t in claim_transitions_shown(user=request.user, claim=claim) if t.to_status in SHOWN_MOVES],
    }  # fmt: skip
    return render(request, "portal/claim.html", context, status=status)


@login_required
def portal_claim(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _own_claim(request, pk), None)


@login_required
@require_POST
def portal_claim_complete_view(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _own_claim(request, pk)
    form = CompletionForm(request.POST, request.FILES, pieces=_pieces(claim))
    if claim.status != ClaimStatus.RETURNED:
        messages.error(request, _("This file is not waiting for pieces from you."))
        return redirect("portal:claim", pk=pk)
    if form.is_valid():
        try:
            portal_claim_complete(user=request.user, claim=claim, pieces=form.pieces())
        except ClaimIntakeError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, MSG_SENT % {"number": claim.number})
            return redirect("portal:claim", pk=pk)
    return _page(request, claim, form, status=400)
