"""Rebuilding the dashboard's summary tables: the one writer of reports' summary rows.

Each table is rebuilt whole (its rows deleted and the GROUP BY results inserted) in one
transaction, with its SummaryRefresh row: a reader sees the old figures or the new ones, never
half, and running it again gives the same rows (idempotent). The job `reports_refresh` rebuilds
one table per chunk (progress: tables done out of all); `manage.py reports_refresh` runs it from
cron each night (like `care_daily`), the demo runs it after loading, and an administrator queues
it from the dashboard ("Refresh now").
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobs.models import Job
from jobs.registry import ChunkResult, job_handler
from jobs.services import job_enqueue
from reports import summary_claims as claims
from reports import summary_grievances as grievances
from reports import summary_money as money
from reports.dashboard_cache import panels_prerender
from reports.models import (
    BacklogStats,
    ContributionStats,
    DecisionStats,
    DelayStats,
    GrievanceStats,
    MonthlySpending,
    RejectionStats,
    SpendingRollup,
    SummaryRefresh,
    SummaryTable,
    WeeklyClaimStats,
)

JOB_KIND = "reports_refresh"
VIEW_PERMISSION = "reports.view_dashboard"
REFRESH_PERMISSION = "reports.refresh_dashboard"
MSG_FORBIDDEN = _("You are not allowed to refresh the dashboard's figures.")
BATCH = 5000


@dataclass(frozen=True, slots=True)
class Builder:
    model: type[models.Model]
    rows: Callable[[dt.date], Sequence[models.Model]]
    # A table derived from this one, rebuilt right after it in the same transaction.
    then: tuple[type[models.Model], Callable[[], Sequence[models.Model]]] | None = None


BUILDERS: dict[str, Builder] = {
    SummaryTable.WEEKLY: Builder(WeeklyClaimStats, lambda today: claims.weekly_rows()),
    SummaryTable.BACKLOG: Builder(BacklogStats, lambda today: claims.backlog_rows(today=today)),
    SummaryTable.DELAYS: Builder(DelayStats, lambda today: claims.delay_rows()),
    SummaryTable.DECISIONS: Builder(DecisionStats, lambda today: claims.decision_rows()),
    SummaryTable.REJECTIONS: Builder(RejectionStats, lambda today: claims.rejection_rows()),
    SummaryTable.SPENDING: Builder(
        MonthlySpending, lambda today: money.spending_rows(), then=(SpendingRollup, money.rollup_rows)
    ),
    SummaryTable.CONTRIBUTIONS: Builder(ContributionStats, lambda today: money.contribution_rows()),
    SummaryTable.GRIEVANCES: Builder(GrievanceStats, lambda today: grievances.grievance_rows(today=today)),
}
ORDER: list[str] = list(BUILDERS)


@dataclass(frozen=True, slots=True)
class TableRefreshed:
    table: str
    rows: int
    seconds: float


def summary_table_refresh(*, table: str, today: dt.date | None = None) -> TableRefreshed:
    """Rebuild one summary table inside the caller's transaction (the job's chunk, or the run below)."""
    builder = BUILDERS[table]
    day = today or timezone.localdate()
    started = time.perf_counter()
    with transaction.atomic():
        rows = list(builder.rows(day))
        builder.model._default_manager.all().delete()
        builder.model._default_manager.bulk_create(rows, batch_size=BATCH)
        if builder.then is not None:
            derived, derive = builder.then
            derived._default_manager.all().delete()
            derived._default_manager.bulk_create(derive(), batch_size=BATCH)
        seconds = time.perf_counter() - started
        SummaryRefresh.objects.update_or_create(
            table=table,
            defaults={"refreshed_at": timezone.now(), "as_of": day, "rows": len(rows), "seconds": seconds},
        )
    return TableRefreshed(table=table, rows=len(rows), seconds=seconds)


def reports_refresh_run(*, today: dt.date | None = None) -> list[TableRefreshed]:
    """Rebuild every summary table now, each in its own transaction (the command and the demo),
    then draw the dashboard's panels for the page views (reports.dashboard_cache)."""
    done = []
    for table in ORDER:
        with transaction.atomic(durable=True):
            done.append(summary_table_refresh(table=table, today=today))
    panels_prerender()
    return done


def reports_refresh_enqueue(*, actor: Any) -> Job:
    """Queue a refresh for the worker (the dashboard's button); a refresh already waiting is reused."""
    if not (getattr(actor, "is_authenticated", False) and actor.has_perm(REFRESH_PERMISSION)):
        raise PermissionDenied(MSG_FORBIDDEN)
    return job_enqueue(kind=JOB_KIND, params={"actor_id": actor.pk}, dedupe_key=JOB_KIND)


@job_handler(JOB_KIND, view_perm=VIEW_PERMISSION)
def reports_refresh_chunk(*, job: Job, cursor: Any) -> ChunkResult:
    """Cursor: {"next": index in ORDER of the table to rebuild, "as_of": the day}; one table a chunk,
    then the panels."""
    day = job.params.get("as_of") or timezone.localdate().isoformat()
    state = dict(cursor or {"next": 0, "as_of": day})
    position = int(state["next"])
    if position < len(ORDER):
        summary_table_refresh(table=ORDER[position], today=dt.date.fromisoformat(state["as_of"]))
    else:  # one more step once every table is rebuilt: the panels the page views read
        panels_prerender()
    position += 1
    state["next"] = position
    steps = len(ORDER) + 1
    return ChunkResult(cursor=state, done=position >= steps, items_done=position, items_total=steps, progress={})
