"""The complaints and appeals panel (summary table, table, chart, XLSX) and the answerers' home card."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from accounts.roles import Role
from grievances.models import AnswerReason, Channel, Grievance, Kind, Outcome
from grievances.services import Answer, grievance_answer, grievance_file
from grievances.tests.factories import category, member_with_rib
from reports.dashboard_panels import panel_find, panels_build
from reports.homes import grievances_card
from reports.models import GrievanceStats
from reports.selectors_dashboard import period_parse
from reports.summary import reports_refresh_run

pytestmark = pytest.mark.django_db
NO = Answer(Outcome.REJECTED, AnswerReason.RULES_APPLIED, "The rules in force were applied.")


def _complaint(actor: Any, member: Any, *, days_ago: int = 0) -> Grievance:
    return grievance_file(actor=actor, member=member, kind=Kind.COMPLAINT, category=category("delay"),
                          channel=Channel.COUNTER, text="Where is my money?",
                          now=timezone.now() - dt.timedelta(days=days_ago))  # fmt: skip


def _three(make_user: Any) -> None:
    """Three complaints of category "delay" (5 working days): one filed 30 days ago and still open
    (late), one filed today and answered at once (in time), one filed today and open (not late)."""
    officer = make_user(Role.CLAIMS_OFFICER)
    member = member_with_rib()
    _complaint(officer, member, days_ago=30)
    grievance_answer(actor=officer, grievance=_complaint(officer, member), answer=NO)
    _complaint(officer, member)


def test_it_counts_complaints_by_category_and_delay(make_user: Any) -> None:
    _three(make_user)
    reports_refresh_run(today=timezone.localdate())
    # By hand: filed 3, open 2 (the late one and today's open one), late 1, answered 1, in time 1
    # (100.0 %), upheld 0 (the answer is a rejection); open by age: 0–5 days 1, 6–30 days 1 (30 days
    # ago is in 6–30, both ends included), 31 or more 0.
    with translation.override("fr"):
        period = period_parse("all", as_of=timezone.localdate())
        panel = panel_find(panels_build(period=period, on=timezone.localdate(), rtl=False), "grievances")
    assert panel is not None and panel.table == "grievances"
    delay, total, young, middle, old = panel.rows
    assert "delay" not in str(delay[0]) and delay[2:] == [3, 2, 1, 1, 1, 100, 0]
    assert total[2:] == [3, 2, 1, 1, 1, 100, 0]
    assert [young[3], middle[3], old[3]] == [1, 1, 0]
    assert "<svg" in panel.chart and 'role="img"' in panel.chart
    with translation.override("ar"):
        arabic = panel_find(panels_build(period=period, on=timezone.localdate(), rtl=True), "grievances")
    assert arabic is not None and arabic.title == "الشكايات والطعون حسب الفئة والأجل"
    assert arabic.headers[-1] == "مقبولة (كليًا أو جزئيًا)"


def test_it_reads_the_summary_table_not_the_grievances(client_for: Any, make_user: Any) -> None:
    _three(make_user)
    reports_refresh_run(today=timezone.localdate())
    Grievance.objects.update(due_on=timezone.localdate() + dt.timedelta(days=90))  # after the refresh: not shown
    assert GrievanceStats.objects.exclude(category="").count() >= 1
    client = client_for(Role.MANAGER)
    page = client.get(reverse("reports:dashboard"), {"period": "all"}).content.decode()
    assert 'id="panel-grievances"' in page
    sheet = client.get(reverse("reports:dashboard_export", args=["grievances"]), {"period": "all"})
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[1][2:] == (3, 2, 1, 1, 1, 100, 0)  # the late one still counted late: the figures of the refresh


def test_it_shows_the_answerer_open_and_late_grievances(client_for: Any, make_user: Any) -> None:
    _three(make_user)
    client = client_for(Role.CLAIMS_OFFICER)
    page = client.get(reverse("home")).content.decode()
    assert 'id="home-grievances"' in page
    assert f'href="{reverse("grievances:queue")}?late=on"' in page
    card = grievances_card(user=client.user, today=timezone.localdate())
    assert [i.count for i in card.items] == [2, 1]
