"""`manage.py reports_refresh [--on YYYY-MM-DD] [--enqueue]`: rebuild the dashboard's summary tables.

Run it each night from cron, as `care_daily`: the dashboard's figures are as of its last run (the
page says when). `--enqueue` queues the job for `manage.py worker` instead of running it here.
Safe to run again: each table is rebuilt whole.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jobs.services import job_enqueue
from reports.summary import JOB_KIND, reports_refresh_run


class Command(BaseCommand):
    help = "Rebuild the management dashboard's summary tables."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", help="the day the backlog's ages count from (default: today)")
        parser.add_argument("--enqueue", action="store_true", help="queue the job for the worker instead")

    def handle(self, *args: Any, **options: Any) -> None:
        on = None
        if options.get("on"):
            try:
                on = dt.date.fromisoformat(options["on"])
            except ValueError as exc:
                raise CommandError(f"--on: {exc}") from None
        if options["enqueue"]:
            params = {"as_of": on.isoformat()} if on else {}
            job = job_enqueue(kind=JOB_KIND, params=params, dedupe_key=JOB_KIND)
            self.stdout.write(json.dumps({"job": job.pk}))
            return
        done = reports_refresh_run(today=on)
        self.stdout.write(json.dumps({t.table: {"rows": t.rows, "seconds": round(t.seconds, 3)} for t in done}))
