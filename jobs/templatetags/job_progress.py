"""`{% job_progress %}`: the progress of the jobs a page queued (its `?job=` ids), polled until they end."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse

from jobs.progress import Progress, progress_of
from jobs.selectors import job_ids_parse, jobs_followed

register = template.Library()


def progress_context(*, progress: Progress | None) -> dict[str, Any]:
    """The partial's context: the bar and, while a job runs, the URL that polls it."""
    if progress is None:
        return {"progress": None}
    query = urlencode([("job", pk) for pk in progress.ids])
    return {"progress": progress, "poll_url": f"{reverse('jobs:progress')}?{query}"}


@register.inclusion_tag("jobs/progress.html", takes_context=True)
def job_progress(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    if request is None:
        return {"progress": None}
    jobs = jobs_followed(user=request.user, ids=job_ids_parse(request.GET.getlist("job")))
    return progress_context(progress=progress_of(jobs) if jobs else None)
