"""`manage.py contributions_post_dues [--month YYYY-MM]`: the month's dues of the members off payroll.

Run it once a month from cron (e.g. `0 2 1 * *`, as `arrears_review` and `care_daily`). It queues the
month's job (contributions.dues_jobs; the one already pending for that month if any) and works it in
the foreground as the system, unless `--queue-only` leaves it to `manage.py worker`. Killed, it is run
again: the job resumes at its cursor, and a month already posted posts nothing more. Prints JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from contributions.dues_jobs import DUES_POST, dues_post_enqueue
from contributions.services_common import ContributionRefused
from jobs.models import Job, JobState
from jobs.services import job_work, worker_name


def _month(raw: str) -> dt.date:
    try:
        return dt.datetime.strptime(raw, "%Y-%m").date()
    except ValueError:
        raise CommandError(f"--month: not a month (YYYY-MM): {raw!r}") from None


class Command(BaseCommand):
    help = "Post the month's contribution dues of the members off payroll (leave, secondment, pension)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", default="", help="the month, YYYY-MM (default: this month)")
        parser.add_argument("--queue-only", action="store_true", help="queue the job for the worker and return")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        month = _month(options["month"]) if options["month"] else today.replace(day=1)
        try:
            job = dues_post_enqueue(actor=None, month=month, today=today)
        except ContributionRefused as refused:
            raise CommandError(str(refused.message)) from None
        if not options["queue_only"]:
            worker = worker_name()
            # This month's job, and any other month's left pending: each is taken by one worker only.
            while job_work(worker=worker, kinds=[DUES_POST]) is not None:
                pass
        job = Job.objects.get(pk=job.pk)
        if job.state == JobState.RUNNING:
            # Held by a live worker (or by a killed run whose lease has not expired yet): it finishes it.
            self.stderr.write(f"job {job.pk} is running in {job.locked_by}; run again later to see its result")
        posted = int((job.progress or {}).get("posted", 0))
        result = {"month": f"{month:%Y-%m}", "job": job.pk, "state": job.state, "posted": posted,
                  "members": job.items_done}  # fmt: skip
        self.stdout.write(json.dumps(result))
