"""A job handler for the queue's own tests: writes numbered audit rows, chunk by chunk.

params: n (items), size (per chunk), kill_at (chunk index at which the process "dies" after
writing half of its rows: a BaseException in-process, or a hang the test SIGKILLs), marker
(a file path: when given, the kill happens only while the file does not exist yet).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

from audit.models import AuditEvent
from jobs.models import Job
from jobs.registry import ChunkResult, job_handler

KIND = "test.count"


class Killed(BaseException):  # stands for the process dying
    """Raised to simulate a worker killed in the middle of a chunk."""


def _write(job: Job, start: int, stop: int) -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(action="create", object_type="test.item", object_id=str(i), note=f"job {job.pk}")
        for i in range(start, stop)
    )


@job_handler(KIND)
def count_chunk(*, job: Job, cursor: Any) -> ChunkResult:
    p = job.params
    start = int(cursor or 0)
    stop = min(start + int(p["size"]), int(p["n"]))
    chunk_index = start // int(p["size"])
    if chunk_index == p.get("kill_at"):
        half = start + (stop - start) // 2
        _write(job, start, half)
        marker = Path(p["marker"]) if p.get("marker") else None
        if marker is None or not marker.exists():
            if p.get("hang"):
                assert marker is not None
                marker.write_text("half written")
                time.sleep(3600)  # the test kills the process with SIGKILL here
            raise Killed
        _write(job, half, stop)
    else:
        _write(job, start, stop)
    return ChunkResult(cursor=stop, done=stop >= int(p["n"]), progress={"done": stop})


PROGRESS_KIND = "test.progress"


@job_handler(PROGRESS_KIND)
def progress_chunk(*, job: Job, cursor: Any) -> ChunkResult:
    """`size` items per chunk out of `n`, counted for the progress bar; `sigterm`: the first chunk
    sends SIGTERM to its own process (a worker told to stop while it works)."""
    n, size = int(job.params["n"]), int(job.params["size"])
    start = int(cursor or 0)
    done = min(start + size, n)
    if job.params.get("sigterm") and cursor is None:
        os.kill(os.getpid(), signal.SIGTERM)
    _write(job, start, done)
    return ChunkResult(cursor=done, done=done >= n, items_done=done, items_total=n)
