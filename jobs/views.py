"""The progress partial polled by a page that queued jobs (htmx, every 2 s until they end)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jobs.progress import progress_of
from jobs.selectors import job_ids_parse, jobs_followed
from jobs.templatetags.job_progress import progress_context


@login_required
@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    """The bar of the `?job=` ids this user may follow (404 for none: a job of someone else's
    kind does not exist for them). Once they have all ended the markup has no trigger, so the
    polling stops, and the page reloads to show what the jobs changed."""
    jobs = jobs_followed(user=request.user, ids=job_ids_parse(request.GET.getlist("job")))
    if not jobs:
        raise Http404
    state = progress_of(jobs)
    response = render(request, "jobs/progress.html", progress_context(progress=state))
    if state.finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response
