from __future__ import annotations

import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jobs.registry import handlers_discover
from jobs.services import DEFAULT_LEASE_SECONDS, job_work, worker_name

# How often an idle worker looks at its stop flag while it waits for the next poll.
STOP_CHECK_SECONDS = 0.2


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
        stop = {"asked": False}

        # SIGTERM (sent by `make run` when the web server stops) or SIGINT: finish the chunk in
        # hand, give its job back to the queue and exit, so the next worker resumes it at once
        # instead of waiting for the lease to expire.
        def ask_stop(signum: int, frame: FrameType | None) -> None:
            stop["asked"] = True

        previous = {sig: signal.signal(sig, ask_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            self._loop(name, options, stop)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _loop(self, name: str, options: dict[str, Any], stop: dict[str, bool]) -> None:
        while not stop["asked"]:
            job = job_work(
                worker=name, kinds=options["kinds"], lease_seconds=options["lease"], should_stop=lambda: stop["asked"]
            )
            if job is not None:
                self.stdout.write(f"{job.kind}#{job.pk}: {job.state}")
                continue
            if options["once"]:
                return
            waited = 0.0
            while waited < options["sleep"] and not stop["asked"]:
                time.sleep(STOP_CHECK_SECONDS)
                waited += STOP_CHECK_SECONDS
