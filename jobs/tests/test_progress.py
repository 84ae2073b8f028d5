"""The progress partial a page polls for the jobs it queued, its scoping, and the admin's job list."""

from __future__ import annotations

import signal
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from jobs.models import Job, JobState
from jobs.services import job_claim, job_enqueue, job_run, job_run_chunk, job_work
from jobs.tests.handlers import KIND, PROGRESS_KIND

pytestmark = pytest.mark.django_db


def _poll(client: Any, *ids: int, htmx: bool = True) -> Any:
    query = "&".join(f"job={i}" for i in ids)
    headers = {"HX-Request": "true"} if htmx else {}
    return client.get(f"{reverse('jobs:progress')}?{query}", headers=headers)


def _items() -> list[int]:
    rows = AuditEvent.objects.filter(object_type="test.item").values_list("object_id", flat=True)
    return sorted(int(i) for i in rows)


def test_it_goes_from_queued_to_running_to_done_and_then_stops_polling(client_for: Any) -> None:
    client = client_for(Role.ADMINISTRATOR)  # jobs of a kind without a view permission: jobs.view_job
    job = job_enqueue(kind=PROGRESS_KIND, params={"n": 4, "size": 2})

    queued = _poll(client, job.pk)
    body = queued.content.decode()
    assert queued.status_code == 200 and 'hx-trigger="every 2s"' in body and "Queued" in body
    assert f'hx-get="{reverse("jobs:progress")}?job={job.pk}"' in body

    claimed = job_claim(worker="w")
    assert claimed is not None and job_run_chunk(job=claimed, worker="w") is False
    running = _poll(client, job.pk).content.decode()
    assert 'hx-trigger="every 2s"' in running and 'value="50"' in running
    assert "In progress: 2 of 4 (50%)." in running and 'data-job-state="running"' in running

    assert job_run_chunk(job=claimed, worker="w") is True
    done = _poll(client, job.pk)
    body = done.content.decode()
    assert "hx-trigger" not in body and "hx-get" not in body  # no trigger: the polling stops
    assert 'value="100"' in body and "Finished: 4 items processed." in body and 'data-job-state="done"' in body
    assert done["HX-Refresh"] == "true"  # the page reloads to show what the job changed
    assert "HX-Refresh" not in _poll(client, job.pk, htmx=False)


def test_it_sums_the_jobs_a_page_queued_into_one_bar(client_for: Any) -> None:
    client = client_for(Role.ADMINISTRATOR)
    a = job_enqueue(kind=PROGRESS_KIND, params={"n": 2, "size": 2})
    b = job_enqueue(kind=PROGRESS_KIND, params={"n": 6, "size": 3})
    job_work(worker="w", kinds=[PROGRESS_KIND])  # a, the oldest, runs to its end
    claimed = job_claim(worker="w")
    assert claimed is not None and claimed.pk == b.pk and job_run_chunk(job=claimed, worker="w") is False
    body = _poll(client, a.pk, b.pk).content.decode()
    assert "In progress: 5 of 8 (62%)." in body and 'hx-trigger="every 2s"' in body


def test_a_failed_job_ends_the_polling_with_an_error(client_for: Any) -> None:
    client = client_for(Role.ADMINISTRATOR)
    job = job_enqueue(kind=KIND, params={"n": "x", "size": 1})
    Job.objects.filter(pk=job.pk).update(max_attempts=1)
    assert job_work(worker="w") is not None
    body = _poll(client, job.pk).content.decode()
    assert "hx-trigger" not in body and 'data-job-state="failed"' in body and "failed" in body


@pytest.mark.parametrize("role", [Role.ACCOUNTANT, Role.CLAIMS_OFFICER, Role.AUDITOR, Role.MEMBER])
def test_it_shows_a_job_only_to_who_may_follow_its_kind(client_for: Any, role: Role) -> None:
    job = job_enqueue(kind=PROGRESS_KIND, params={"n": 1, "size": 1})
    assert _poll(client_for(role), job.pk).status_code == 404


def test_it_leaves_out_the_jobs_of_a_kind_the_user_may_not_follow(client_for: Any) -> None:
    client = client_for(Role.ACCOUNTANT)
    theirs = job_enqueue(kind="payments.prepare", params={"batch_id": 0})
    other = job_enqueue(kind=PROGRESS_KIND, params={"n": 1, "size": 1})
    body = _poll(client, theirs.pk, other.pk).content.decode()
    assert f"job={theirs.pk}" in body and f"job={other.pk}" not in body


def test_it_sends_an_anonymous_visitor_to_the_login_page(client: Any) -> None:
    job = job_enqueue(kind=PROGRESS_KIND, params={"n": 1, "size": 1})
    response = _poll(client, job.pk, htmx=False)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_it_refuses_ids_that_are_not_job_ids(client_for: Any) -> None:
    client = client_for(Role.ADMINISTRATOR)
    for query in ("job=abc", "job=-1", "job=1e3", "job=%EF%BC%91", "job=" + "9" * 40, ""):
        assert client.get(f"{reverse('jobs:progress')}?{query}").status_code == 404
    assert client.post(reverse("jobs:progress")).status_code == 405  # a GET never writes, a POST is refused


def test_the_admin_lists_jobs_read_only_with_filters(client_for: Any) -> None:
    client = client_for(Role.ADMINISTRATOR)
    job = job_enqueue(kind=PROGRESS_KIND, params={"n": 1, "size": 1})
    job_enqueue(kind=KIND, params={"n": 1, "size": 1})
    listing = client.get(reverse("admin:jobs_job_changelist"), {"kind": PROGRESS_KIND, "state": JobState.QUEUED})
    body = listing.content.decode()
    assert listing.status_code == 200 and f'field-kind">{PROGRESS_KIND}<' in body
    assert f'field-kind">{KIND}<' not in body  # filtered out (it is only in the filter's choices)
    assert client.get(reverse("admin:jobs_job_add")).status_code == 403
    assert client.get(reverse("admin:jobs_job_change", args=[job.pk])).status_code == 200  # a view page
    client.post(reverse("admin:jobs_job_change", args=[job.pk]), {"kind": "changed"})
    assert client.post(reverse("admin:jobs_job_delete", args=[job.pk]), {"post": "yes"}).status_code == 403
    job.refresh_from_db()
    assert job.kind == PROGRESS_KIND


def test_the_admin_job_list_is_for_administrators_only(client_for: Any) -> None:
    assert client_for(Role.ACCOUNTANT).get(reverse("admin:jobs_job_changelist")).status_code == 302


def test_a_worker_asked_to_stop_gives_its_job_back_between_two_chunks() -> None:
    job = job_enqueue(kind=PROGRESS_KIND, params={"n": 6, "size": 2})
    claimed = job_claim(worker="leaving")
    assert claimed is not None
    stopped = job_run(job=claimed, worker="leaving", should_stop=lambda: True)
    assert stopped.state == JobState.QUEUED and stopped.locked_by == "" and stopped.cursor == 2
    resumed = job_work(worker="next")  # at once: no lease to wait for
    assert resumed is not None and resumed.pk == job.pk and resumed.state == JobState.DONE
    assert _items() == list(range(6))  # each item once


def test_the_worker_command_ends_its_chunk_then_exits_on_sigterm() -> None:
    before = signal.getsignal(signal.SIGTERM)
    job = job_enqueue(kind=PROGRESS_KIND, params={"n": 6, "size": 2, "sigterm": True})
    call_command("worker", "--name", "w", "--sleep", "0")  # no --once: only the signal ends it
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.cursor == 2 and job.locked_by == "" and _items() == [0, 1]
    assert job.items_done == 2 and job.items_total == 6
    assert signal.getsignal(signal.SIGTERM) is before  # the test process's own handler is back


@pytest.mark.parametrize(
    ("language", "running", "finished"),
    [
        ("ar", "قيد التنفيذ: 2 من 4 (50%).", "انتهى: عولجت 4 عناصر."),
        ("fr", "En cours : 2 sur 4 (50 %).", "Terminé : 4 éléments traités."),
    ],
)
def test_the_bar_reads_in_the_users_language(
    client_for: Any, settings: Any, language: str, running: str, finished: str
) -> None:
    client = client_for(Role.ADMINISTRATOR)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    job = job_enqueue(kind=PROGRESS_KIND, params={"n": 4, "size": 2})
    claimed = job_claim(worker="w")
    assert claimed is not None and job_run_chunk(job=claimed, worker="w") is False
    body = _poll(client, job.pk).content.decode()
    assert running in body and "In progress" not in body
    job_run(job=claimed, worker="w")
    body = _poll(client, job.pk).content.decode()
    assert finished in body and "Finished" not in body
