"""The receipt printed for the member at the counter: the mutual's name, the file number, who, what was
filed and the papers handed in. A print-styled page (static/css/counter.css), offered right after Save."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from claims.models import Channel
from claims.selectors import claim_get
from claims.selectors_codes import codes_labels
from claims.services import CHECKLIST
from mutuelle.branding import mutual_name

RECEIPT_PERMS = ("claims.add_claimfile", "members.view_beneficiary")  # the counter's


def receipt_url(pk: int, pieces: list[str]) -> str:
    """The receipt of file `pk`; the pieces handed in ride in the address (the file keeps no list of them)."""
    query = urlencode([("piece", p) for p in pieces if p in CHECKLIST])
    return reverse("claims:counter_receipt", args=[pk]) + (f"?{query}" if query else "")


@login_required
@permission_required(RECEIPT_PERMS, raise_exception=True)
def counter_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    claim = claim_get(user=request.user, pk=pk)
    lines = list(claim.lines.all())
    labels = codes_labels(codes=[(ln.kind, ln.code) for ln in lines])
    arabic = (get_language() or "").startswith("ar")
    pieces = [CHECKLIST[p] for p in dict.fromkeys(request.GET.getlist("piece")) if p in CHECKLIST]
    context = {
        "claim": claim,
        "rows": [(ln, labels.get((ln.kind, ln.code), "")) for ln in lines],
        "mutual": mutual_name(),
        "address": settings.MUTUAL_ADDRESS_AR if arabic else settings.MUTUAL_ADDRESS_FR,
        "phone": settings.MUTUAL_PHONE,
        "pieces": pieces,
        "scans": [a for a in claim.attachments.all() if not a.is_medical],
        "printed_at": timezone.localtime(),
        "at_counter": claim.channel == Channel.COUNTER,
    }
    return render(request, "claims/counter_receipt.html", context)
