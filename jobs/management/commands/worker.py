from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jobs.registry import handlers_discover
from jobs.services import DEFAULT_LEASE_SECONDS, job_work, worker_name


class Command(BaseCommand):
    help = "Run queued jobs (batch adjudication, payment runs, imports); resumable after a kill."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run the jobs queued now, then exit.")
        parser.add_argument("--kinds", nargs="*", default=None, help="Only these job kinds.")
        parser.add_argument("--lease", type=int, default=DEFAULT_LEASE_SECONDS, help="Lease in seconds.")
        parser.add_argument("--sleep", type=float, default=2.0, help="Pause when the queue is empty.")
        parser.add_argument("--name", default="", help="Worker name (default host:pid).")

    def handle(self, *args: Any, **options: Any) -> None:
        handlers_discover()
        name = options["name"] or worker_name()
        while True:
            job = job_work(worker=name, kinds=options["kinds"], lease_seconds=options["lease"])
            if job is not None:
                self.stdout.write(f"{job.kind}#{job.pk}: {job.state}")
                continue
            if options["once"]:
                return
            time.sleep(options["sleep"])
