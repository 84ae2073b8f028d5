"""What a page shows of the jobs it queued: one bar for all of them, until every one has ended."""

from __future__ import annotations

from dataclasses import dataclass

from jobs.models import Job, JobState


@dataclass(frozen=True, slots=True)
class Progress:
    jobs: list[Job]
    done: int
    total: int | None
    percent: int
    finished: bool
    failed: bool
    queued: bool

    @property
    def ids(self) -> list[int]:
        return [job.pk for job in self.jobs]


def progress_of(jobs: list[Job]) -> Progress:
    """The sum of the jobs' counters; the total is unknown while one job has not counted yet."""
    done = sum(job.items_done for job in jobs)
    finished = all(job.finished for job in jobs)
    totals = [job.items_total for job in jobs if not job.finished]
    total: int | None = None
    if None not in totals:
        # A job that ended counts for what it did; one still running for what it has to do.
        total = sum(job.items_done if job.finished else (job.items_total or 0) for job in jobs)
        total = max(total, done)
    if finished:
        percent = 100
    elif total:
        percent = min(99, done * 100 // total)
    else:
        percent = 0
    failed = any(job.state == JobState.FAILED for job in jobs)
    queued = all(job.state == JobState.QUEUED for job in jobs) and done == 0
    return Progress(jobs=jobs, done=done, total=total, percent=percent, finished=finished, failed=failed, queued=queued)
