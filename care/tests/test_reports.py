"""The centres' reports on known data: occupancy, waiting list and waits, attendance; the page and the XLSX."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from care.models import Application, Programme, Session
from care.selectors_reports import centres_report, percent
from care.services_enrolment import application_wait
from care.services_sessions import attendance_record, sessions_generate
from care.tests.centre_factories import application_assessed, child_make
from care.tests.test_sessions import MONDAY, published
from care.tests.test_week_builders import coordinator_of

pytestmark = pytest.mark.django_db
LAST = dt.date(2025, 12, 31)


def test_it_rounds_rates_half_up_to_a_tenth() -> None:
    assert percent(2, 3) == Decimal("66.7")  # 66.666… → 66.7
    assert percent(1, 8) == Decimal("12.5")  # exactly 12.5
    assert percent(1, 16) == Decimal("6.3")  # 6.25 → 6.3, half up
    assert percent(0, 0) is None


def known_centre():  # type: ignore[no-untyped-def]
    built, tt = published(children=2)  # capacity 7 (children + 5), 2 enrolled
    user = coordinator_of(built.centre)
    sessions_generate(actor=user, centre=built.centre, first=MONDAY, last=MONDAY + dt.timedelta(days=4))
    states = ["present", "present", "present", "absent", "cancelled", "present"]  # the 6 sessions of the week
    for s, state in zip(Session.objects.filter(timetable=tt).order_by("pk"), states, strict=True):
        reason = {"absent": "illness", "cancelled": "centre_closed"}.get(state, "")
        attendance_record(actor=user, session=s, state=state, reason=reason, today=LAST)
    # Two children waiting since 30 and 10 days before LAST: they wait while the programme is full (2 places);
    # it has 7 places again afterwards (no offer is made by this change, made outside the services).
    Programme.objects.filter(pk=built.programme.pk).update(capacity=2)
    for days in (30, 10):
        app = application_wait(actor=None, application=application_assessed(built.programme, child_make()))
        since = timezone.make_aware(dt.datetime.combine(LAST - dt.timedelta(days=days), dt.time(10)))
        Application.objects.filter(pk=app.pk).update(waiting_since=since)
    Programme.objects.filter(pk=built.programme.pk).update(capacity=7)
    return built, user


def test_it_counts_occupancy_the_waiting_list_and_attendance() -> None:
    _built, user = known_centre()
    (row,) = centres_report(user=user, first=dt.date(2025, 10, 1), last=LAST, on=LAST)
    assert (row.capacity, row.enrolled) == (7, 2)
    assert row.occupancy == Decimal("28.6")  # 2 / 7 = 28.571… %
    assert (row.waiting, row.waiting_days_avg, row.waiting_days_max) == (2, 20, 30)  # (30 + 10) / 2
    assert (row.planned, row.present, row.absent, row.cancelled) == (6, 4, 1, 1)
    assert row.attendance == Decimal("80.0")  # 4 present of 5 held (the cancelled one is the centre's)
    assert row.occupancy_bar == 28 and row.attendance_bar == 80


def test_it_shows_the_report_with_its_chart_and_exports_the_same_figures(client) -> None:  # type: ignore[no-untyped-def]
    built, user = known_centre()
    client.force_login(user)
    query = {"first": "2025-10-01", "last": "2025-12-31", "centre": built.centre.pk}
    page = client.get(reverse("care:reports"), query)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<rect x="0" y="0" width="80"' in html and '<rect x="0" y="0" width="28"' in html
    xlsx = client.get(reverse("care:reports_xlsx"), query)
    assert xlsx.status_code == 200
    ws = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    values = [c.value for c in ws[3]]
    assert values[2:6] == [7, 2, 28.6, 2] and values[-5:] == [6, 4, 1, 1, 80]


def test_it_refuses_the_reports_to_a_therapist(client) -> None:  # type: ignore[no-untyped-def]
    built, _user = known_centre()
    client.force_login(built.users["T1"])
    assert client.get(reverse("care:reports")).status_code == 403
