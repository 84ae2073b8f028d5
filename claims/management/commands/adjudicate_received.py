from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from claims.job_handlers import claims_adjudicate_enqueue


class Command(BaseCommand):
    help = "Queue a bulk adjudication run of every received claim file (run `manage.py worker` to process it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partitions", type=int, default=None, help="jobs to split the run into (workers)")

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = claims_adjudicate_enqueue(partitions=options["partitions"])
        self.stdout.write(f"queued jobs: {', '.join(str(job.pk) for job in jobs)}")
