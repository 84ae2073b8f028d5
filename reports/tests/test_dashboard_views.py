"""The dashboard page, its exports and its refresh: who may, what it writes, how many queries."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from jobs.models import Job
from jobs.services import job_work
from reports.models import SummaryRefresh
from reports.summary import JOB_KIND, ORDER, reports_refresh_run
from reports.tests import fixture

pytestmark = pytest.mark.django_db
URL = reverse("reports:dashboard")


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_it_shows_the_figures_to_a_manager_with_their_freshness(client_for) -> None:  # type: ignore[no-untyped-def]
    fixture.build()
    reports_refresh_run(today=fixture.TODAY)
    client = client_for(Role.MANAGER)
    page = client.get(URL, {"period": "all"}).content.decode()
    assert "panel-delays" in page and "panel-money" in page
    assert "<svg" in page and 'role="img"' in page
    at = SummaryRefresh.objects.get(table="delays").refreshed_at
    assert at.astimezone().strftime("%Y-%m-%d") in page


@pytest.mark.parametrize("role", [Role.MEMBER, Role.RECEPTION, Role.CLAIMS_OFFICER, Role.ACCOUNTANT, Role.AUDITOR])
def test_it_refuses_the_dashboard_to_other_roles(client_for, role: Role) -> None:  # type: ignore[no-untyped-def]
    client = client_for(role)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("reports:dashboard_export", args=["all"])).status_code == 403


def test_it_lets_a_manager_write_nothing(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.MANAGER)
    assert client.post(URL).status_code == 405
    assert client.post(reverse("reports:dashboard_refresh")).status_code == 403
    assert client.post(reverse("reports:dashboard_export", args=["all"])).status_code == 405
    assert not Job.objects.filter(kind=JOB_KIND).exists()
    assert not SummaryRefresh.objects.exists()


def test_it_refreshes_through_a_job_the_administrator_queues(client_for) -> None:  # type: ignore[no-untyped-def]
    fixture.build()
    client = client_for(Role.ADMINISTRATOR)
    response = client.post(reverse("reports:dashboard_refresh"))
    job = Job.objects.get(kind=JOB_KIND)
    assert response.status_code == 302 and f"job={job.pk}" in response["Location"]
    # Pressing again while it waits gives the same job.
    client.post(reverse("reports:dashboard_refresh"))
    assert Job.objects.filter(kind=JOB_KIND).count() == 1
    assert client.get(response["Location"]).status_code == 200  # the page shows the bar
    done = job_work(worker="test", kinds=[JOB_KIND])
    assert (
        done is not None and done.state == "done" and done.items_done == len(ORDER) + 1
    )  # the tables, then the panels
    assert SummaryRefresh.objects.count() == len(ORDER)


def test_it_reads_a_constant_number_of_queries(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.MANAGER)
    fixture.build()
    reports_refresh_run(today=fixture.TODAY)
    few = _queries(client, URL + "?period=all")
    for _ in range(3):
        fixture.build()
    reports_refresh_run(today=fixture.TODAY)
    assert _queries(client, URL + "?period=all") == few


def test_it_draws_the_charts_right_to_left_in_arabic(client_for) -> None:  # type: ignore[no-untyped-def]
    fixture.build()
    reports_refresh_run(today=fixture.TODAY)
    client = client_for(Role.MANAGER)
    client.cookies["django_language"] = "ar"
    page = client.get(URL, {"period": "all"}, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in page
    assert 'direction="rtl"' in page and 'direction="ltr"' not in page.split("<svg", 1)[0]
    assert "تأخر" in page or "لوحة" in page  # Arabic labels (catalogue)
    assert 'style="' not in page.split("<main", 1)[1]  # the CSP allows no inline style


def test_it_exports_each_panel_as_a_formula_safe_sheet(client_for) -> None:  # type: ignore[no-untyped-def]
    fixture.build()
    reports_refresh_run(today=fixture.TODAY)
    client = client_for(Role.MANAGER)
    response = client.get(reverse("reports:dashboard_export", args=["category"]), {"period": "all"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][0] == "consultation" and rows[1][2] == 3
    everything = client.get(reverse("reports:dashboard_export", args=["all"]), {"period": "all"})
    assert (
        len(load_workbook(io.BytesIO(everything.content)).worksheets) == 11
    )  # ten claims and money panels, and complaints and appeals
    assert client.get(reverse("reports:dashboard_export", args=["nope"])).status_code == 404


def test_it_serves_the_panels_the_refresh_drew_and_writes_nothing_on_a_miss(client_for) -> None:  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    from reports import selectors_dashboard as sel
    from reports.dashboard_cache import panels_read
    from reports.dashboard_panels import panels_build

    fixture.build()
    reports_refresh_run(today=fixture.TODAY)
    fresh = sel.freshness()
    period = sel.period_parse("all", as_of=fixture.TODAY)
    drawn = panels_read(period=period, fresh=fresh)
    live = panels_build(period=period, on=fixture.TODAY, rtl=False)
    assert [(p.key, p.rows, str(p.chart)) for p in drawn] == [(p.key, p.rows, str(p.chart)) for p in live]
    client = client_for(Role.MANAGER)
    cached = client.get(URL, {"period": "all"}).content
    cache.clear()
    assert client.get(URL, {"period": "all"}).content.count(b"panel-") == cached.count(b"panel-")
    # The view drew the panels itself and stored nothing (a GET never writes).
    from reports.dashboard_cache import _key, _token

    assert cache.get(_key(language="fr", period="all", fresh=fresh, token=_token())) is None
