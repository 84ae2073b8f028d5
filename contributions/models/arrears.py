"""Arrears notices and the steps from notice to suspension and restoration.

An `ArrearsNotice` is one arrears case: the formal notice sent when the unpaid months reach the
dated threshold, then either settled (paid before the suspension date) or suspended from that
date (the interval itself is a members.RightsSuspension row, which eligibility reads) and later
restored from the payment date. The states move only through
contributions.services_rights.RIGHTS_TRANSITIONS.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = ["ArrearsNotice", "RightsState"]


class RightsState(models.TextChoices):
    NOTICED = "noticed", _("formal notice sent")
    SUSPENDED = "suspended", _("rights suspended")
    RESTORED = "restored", _("rights restored")
    SETTLED = "settled", _("arrears paid before the suspension")


OPEN_STATES = (RightsState.NOTICED, RightsState.SUSPENDED)


class ArrearsNotice(models.Model):
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))
    state = models.CharField(_("state"), max_length=10, choices=RightsState.choices, default=RightsState.NOTICED)
    noticed_on = models.DateField(_("notice date"))
    unpaid_months = models.PositiveSmallIntegerField(_("unpaid months"))
    first_unpaid_month = models.DateField(_("first unpaid month"))
    amount_due = models.DecimalField(_("amount due (MAD)"), max_digits=12, decimal_places=2)
    # The day rights are suspended without payment: notice date + the grace days in force then.
    suspend_on = models.DateField(_("suspended from, without payment"))
    suspension = models.OneToOneField(
        "members.RightsSuspension",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("suspension"),
    )
    closed_on = models.DateField(_("settled or restored on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("arrears notice")
        verbose_name_plural = _("arrears notices")
        ordering = ["-noticed_on", "-id"]
        permissions = [("review_arrears", "Can run the arrears review")]
        indexes = [models.Index(fields=["member", "noticed_on"], name="arrears_member_noticed")]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=RightsState.values), name="arrears_state_valid"),
            models.CheckConstraint(condition=Q(amount_due__gt=0), name="arrears_amount_positive"),
            models.CheckConstraint(condition=Q(suspend_on__gte=models.F("noticed_on")), name="arrears_grace_forward"),
            models.UniqueConstraint(
                fields=["member"], condition=Q(state__in=OPEN_STATES), name="arrears_one_open_case_per_member"
            ),
            models.CheckConstraint(
                condition=Q(state__in=OPEN_STATES, closed_on__isnull=True)
                | Q(state__in=(RightsState.RESTORED, RightsState.SETTLED), closed_on__isnull=False),
                name="arrears_closed_when_done",
            ),
            models.CheckConstraint(
                condition=Q(state=RightsState.NOTICED, suspension__isnull=True)
                | Q(state=RightsState.SETTLED, suspension__isnull=True)
                | Q(state__in=(RightsState.SUSPENDED, RightsState.RESTORED), suspension__isnull=False),
                name="arrears_suspension_when_suspended",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.state}"

    @property
    def reference(self) -> str:
        return f"MD{self.pk:08d}"
