"""Policy what-if runs and the thresholds of the control signals.

A `WhatIfRun` is a question the board asks (a period of stored claims and a proposal) and, once the
`whatif` job has replayed the engine, its answer. Nothing in it is a decision: the replay never
writes a claim, a line, a transition or an audit row (reports.whatif_replay).

The control signals' thresholds (how far above its peers a provider must be, how many
consultations in how many days) are a medical policy the mutual revises: dated rows, never
constants in code (reports.controls reads the rows in force on the day the page is computed for).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from referentials.models import DatedRow


class WhatIfState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class WhatIfRun(models.Model):
    name = models.CharField(_("name"), max_length=120, blank=True)
    period_from = models.DateField(_("care from"))
    period_to = models.DateField(_("care until (inclusive)"))
    # The proposal as validated (reports.whatif_proposal.proposal_parse gives it back unchanged).
    proposal = models.JSONField(_("proposal"))
    state = models.CharField(_("state"), max_length=8, choices=WhatIfState.choices, default=WhatIfState.QUEUED)
    # reports.whatif_result.Result.to_json(), once done.
    result = models.JSONField(_("result"), null=True, blank=True)
    lines = models.PositiveIntegerField(_("lines replayed"), default=0)
    job = models.ForeignKey("jobs.Job", verbose_name=_("job"), null=True, blank=True, on_delete=models.SET_NULL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("policy what-if")
        verbose_name_plural = _("policy what-ifs")
        ordering = ["-created_at", "-id"]
        default_permissions = ("view",)
        permissions = [("run_whatif", "Can run policy what-ifs")]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=WhatIfState.values), name="whatifrun_state_valid"),
            models.CheckConstraint(condition=Q(period_to__gte=models.F("period_from")), name="whatifrun_period"),
            models.CheckConstraint(
                condition=~Q(state=WhatIfState.DONE) | Q(result__isnull=False), name="whatifrun_done_has_result"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.pk} {self.period_from}..{self.period_to}"


class ControlThresholdName(models.TextChoices):
    # A provider is flagged when its figure exceeds this multiple of its peers' median ...
    PROVIDER_RATIO = "provider_ratio", _("Provider: multiple of the peer median")
    # ... provided the peer group counts at least this many providers (a median of two means little).
    PROVIDER_MIN_PEERS = "provider_min_peers", _("Provider: smallest peer group")
    # A beneficiary with more than this many consultations ...
    FREQUENCY_MAX = "frequency_max", _("Beneficiary: consultations allowed in the window")
    # ... within this many days.
    FREQUENCY_DAYS = "frequency_days", _("Beneficiary: window (days)")
    # An approval is flagged when the share of its quantity used exceeds this multiple of the share
    # of its validity elapsed ...
    APPROVAL_PACE = "approval_pace", _("Prior approval: pace of use against time elapsed")
    # ... and at least this share (percent) of its quantity is used.
    APPROVAL_MIN_USED = "approval_min_used", _("Prior approval: smallest share used (%)")


class ControlThreshold(DatedRow):
    """One threshold of the control signals, from `valid_from` (inclusive) to `valid_to` (exclusive)."""

    key_fields = ("name",)

    name = models.CharField(_("threshold"), max_length=24, choices=ControlThresholdName.choices)
    value = models.DecimalField(_("value"), max_digits=10, decimal_places=2)
    source = models.CharField(_("decided by"), max_length=200, blank=True)

    class Meta(DatedRow.Meta):
        verbose_name = _("control threshold")
        verbose_name_plural = _("control thresholds")
        ordering = ["name", "-valid_from"]
        permissions = [("view_controls", "Can view the control signals")]
        constraints = [
            *DatedRow.Meta.constraints,
            models.CheckConstraint(condition=Q(name__in=ControlThresholdName.values), name="controlthreshold_name"),
            models.CheckConstraint(condition=Q(value__gt=0), name="controlthreshold_positive"),
            models.UniqueConstraint(fields=["name", "valid_from"], name="controlthreshold_one_per_start"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.value} ({self.valid_from})"
