from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Certificate(models.Model):
    """A certificate of affiliation (attestation) issued to a member, checked at /verify/<code>."""

    code = models.CharField(_("verification code"), max_length=16, unique=True)
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="certificates", verbose_name=_("member")
    )
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("issued by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    # A second certificate of the same member and day, issued before there was one a day (each
    # GET made one); kept so that its printed code still verifies, never made any more.
    extra_of_day = models.BooleanField(default=False, editable=False, verbose_name=_("extra document of the day"))

    class Meta:
        verbose_name = _("certificate of affiliation")
        verbose_name_plural = _("certificates of affiliation")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("issued_on")), name="certificate_dates"
            ),
            # One certificate per member and day, whatever the language it is printed in.
            models.UniqueConstraint(
                fields=["member", "issued_on"], condition=models.Q(extra_of_day=False), name="certificate_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return self.code
