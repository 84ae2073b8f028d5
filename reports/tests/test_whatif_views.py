"""The what-if pages and job: asked by a manager, replayed by the worker, shown; never a decision written."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from accounts.roles import Role
from claims.models import ClaimLine
from claims.services import claim_adjudicate
from claims.tests.factories import CONSULTATION, file_make, member_make
from jobs.models import Job
from jobs.services import job_work
from reports.models_whatif import WhatIfRun, WhatIfState

pytestmark = pytest.mark.django_db
URL = "/reports/whatif/"
FLAT_15 = {"name": "C 15", "changes": [{"type": "complementary", "category": "consultation", "flat": "15.00"}]}


@pytest.fixture(autouse=True)
def _no_sample(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CLAIMS_REVIEW_SAMPLE_SHARE = "0"


def _post(client: Any, proposal: Any, **kw: str) -> Any:
    data = {"start": "2025-01-01", "end": "2025-12-31", **kw}
    data["proposal"] = proposal if isinstance(proposal, str) else json.dumps(proposal)
    return client.post(URL, data)


def test_it_runs_in_the_background_and_shows_the_cost(client_for: Any) -> None:
    member = member_make()
    for day in (3, 10, 17):  # the referentials as seeded: C 80.00, flat 10.00 (same figures as the factories)
        claim_adjudicate(
            actor=None, claim=file_make(member=member, lines=[{**CONSULTATION, "care_date": date(2025, 3, day)}])
        )
    client = client_for(Role.MANAGER)
    response = _post(client, FLAT_15)
    assert response.status_code == 302
    run = WhatIfRun.objects.get()
    assert response["Location"] == f"/reports/whatif/{run.pk}/?job={run.job_id}"
    assert run.state == WhatIfState.QUEUED and run.job.items_total == 3  # type: ignore[union-attr]
    page = client.get(response["Location"])
    assert b"job-progress" in page.content  # the bar, polled while the job runs
    lines_before = list(ClaimLine.objects.order_by("pk").values_list())
    job = job_work(worker="test")
    assert job is not None and job.state == "done"
    run.refresh_from_db()
    assert run.state == WhatIfState.DONE and run.lines == 3
    assert list(ClaimLine.objects.order_by("pk").values_list()) == lines_before
    body = client.get(f"/reports/whatif/{run.pk}/").content.decode()
    assert "+15.00" in body.replace("\xa0", "").replace(",", ".") or "+15,00" in body
    export = client.get(f"/reports/whatif/{run.pk}/export.xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_a_bad_proposal_is_refused_with_a_400_and_nothing_is_queued(client_for: Any) -> None:
    client = client_for(Role.MANAGER)
    bad = {"changes": [{"type": "complementary", "category": "consultation", "flat": "1.234"}]}
    response = _post(client, bad)
    assert response.status_code == 400 and b"changes[0].flat" in response.content
    assert _post(client, "{not json").status_code == 400
    assert _post(client, FLAT_15, end="2024-01-01").status_code == 400
    assert not WhatIfRun.objects.exists() and not Job.objects.exists()


@pytest.mark.parametrize("role", [Role.CLAIMS_OFFICER, Role.MEDICAL_CONTROLLER, Role.AUDITOR])
def test_it_is_for_managers_and_administrators(client_for: Any, role: Role) -> None:
    client = client_for(role)
    assert client.get(URL).status_code == 403
    assert _post(client, FLAT_15).status_code == 403


def test_the_administrator_may_run_it_and_a_get_writes_nothing(client_for: Any) -> None:
    client = client_for(Role.ADMINISTRATOR)
    assert client.get(URL).status_code == 200
    assert not WhatIfRun.objects.exists()
    assert _post(client, FLAT_15).status_code == 302
