"""The coordinator's and therapist's pages of the centres: the day at the centre, the centres' set-up."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from care.models import SLOTS_PER_DAY, Centre, Weekday
from care.selectors_centres import centre_get, centres_list, centres_visible
from care.selectors_home import centre_day

VIEW = "care.view_centre"


@login_required
@permission_required(VIEW, raise_exception=True)
def care_home(request: HttpRequest) -> HttpResponse:
    """The centre's day: assessments, new applications, open offers, arrivals, children ageing out."""
    today = timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time(0)))
    end = start + dt.timedelta(days=1)
    days = [
        centre_day(centre=centre, on=today, start=start, end=end)
        for centre in centres_visible(user=request.user).prefetch_related("programmes")
    ]
    return render(request, "care/home.html", {"days": days, "today": today})


@login_required
@permission_required(VIEW, raise_exception=True)
def centre_list(request: HttpRequest) -> HttpResponse:
    return render(request, "care/centre_list.html", {"centres": centres_list(user=request.user)})


@login_required
@permission_required(VIEW, raise_exception=True)
def centre_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        centre = centre_get(user=request.user, pk=pk)
    except Centre.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "care/centre_detail.html",
        {"centre": centre, "weekdays": Weekday.choices, "slots": range(SLOTS_PER_DAY)},
    )
