from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from audit.models import AuditAction
from audit.presentation import audit_events_present
from audit.selectors import audit_events_visible


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    events = audit_events_visible(user=request.user)
    object_type = request.GET.get("type", "").strip()
    if object_type:
        events = events.filter(object_type=object_type)
    action = request.GET.get("action", "").strip()
    if action in AuditAction.values:
        events = events.filter(action=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": audit_events_present(page.object_list),
        "object_type": object_type,
        "action": action,
        "actions": AuditAction.choices,
    }
    return render(request, "audit/list.html", context)
