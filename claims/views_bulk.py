from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from claims.job_handlers import claims_adjudicate_enqueue

BULK_QUEUED = _("The received files are queued for adjudication; the worker processes them in the background.")


@login_required
@permission_required("claims.adjudicate_claimfile", raise_exception=True)
@require_POST
def adjudicate_received_view(request: HttpRequest) -> HttpResponse:
    """Queue the bulk run (the worker does it) and show its progress on the list of files."""
    jobs = claims_adjudicate_enqueue(actor=request.user)  # type: ignore[arg-type]
    messages.success(request, BULK_QUEUED)
    response = redirect("claims:list")
    response["Location"] += "?" + urlencode([("job", job.pk) for job in jobs])
    return response
