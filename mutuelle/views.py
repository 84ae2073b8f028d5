"""Project-level pages: the home page sends each user to their app (above every app, like the urls),
and the health check of load balancers and benchmarks."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from members.models import Member
from reports.homes import homes_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    # A member's home is their own space; staff (who may also be members) get the back office.
    user = request.user
    if not user.has_perm("members.view_member") and Member.objects.filter(user_id=user.pk or 0).exists():
        return redirect("portal:home")
    # Centre staff (coordinators, therapists) start from their centre's day.
    if user.has_perm("care.view_centre") and not user.has_perm("care.view_all_centres"):
        return redirect("care:home")
    # Everyone else: the search box and their work (reports.homes: counts linking to the lists).
    return render(request, "accounts/home.html", {"cards": homes_for(user=user)})


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """The process answers: no query, no session, no template (a load balancer's probe, and the
    benchmarks' floor: the fastest a request through the whole middleware stack can be)."""
    return HttpResponse(b"ok\n", content_type="text/plain")
