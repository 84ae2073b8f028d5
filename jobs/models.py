"""The database job queue: resumable background work run by `manage.py worker`.

A job's `cursor` is the handler's progress marker. A worker commits each chunk of work and
the new cursor in one transaction, so a job killed at any point resumes from the last
committed chunk and nothing is done twice. A running job holds a lease (`locked_by`,
`locked_until`) renewed at every chunk; a lease that expired is taken over by another worker.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # At most one job per dedupe key while it is not finished (see the partial unique constraint).
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, blank=True, default="")
    state = models.CharField(_("state"), max_length=8, choices=JobState.choices, default=JobState.QUEUED)
    cursor = models.JSONField(_("progress cursor"), null=True, blank=True)
    progress = models.JSONField(_("progress"), default=dict, blank=True)
    # What the progress bar shows: items done out of items to do (None while the total is unknown).
    items_done = models.PositiveIntegerField(_("items done"), default=0)
    items_total = models.PositiveIntegerField(_("items to do"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveIntegerField(_("maximum attempts"), default=5)
    locked_by = models.CharField(_("locked by"), max_length=100, blank=True, default="")
    locked_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    run_after = models.DateTimeField(_("not before"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["id"]
        indexes = [models.Index(fields=["state", "kind", "id"], name="job_state_kind")]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=JobState.values), name="job_state_valid"),
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=~Q(dedupe_key="") & Q(state__in=["queued", "running"]),
                name="job_dedupe_while_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}#{self.pk} {self.state}"

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)
