"""Writes of the rights suspensions (members.RightsSuspension); called inside the transition of an
arrears case (contributions.services_rights), which is the outermost transaction and audits the step."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from members.models import Member, RightsSuspension

MSG_ALREADY_SUSPENDED = _("The member's rights are already suspended.")
MSG_RESTORE_BEFORE_START = _("Rights can only be restored after the day they were suspended.")
MSG_SUSPENSION_OVERLAP = _("The member's rights were already suspended on that date.")


def rights_suspension_open(*, member: Member, starts_on: dt.date) -> RightsSuspension:
    """Suspend `member`'s rights (and so every dependant's) from `starts_on`, until restored."""
    with transaction.atomic():
        Member.objects.select_for_update().filter(pk=member.pk).first()
        rows = RightsSuspension.objects.filter(member=member)
        if rows.filter(ends_on__isnull=True).exists():
            raise ValidationError(MSG_ALREADY_SUSPENDED)
        if rows.filter(ends_on__gt=starts_on).exists():
            raise ValidationError(MSG_SUSPENSION_OVERLAP)
        return RightsSuspension.objects.create(member=member, starts_on=starts_on)


def rights_suspension_close(*, suspension: RightsSuspension, ends_on: dt.date) -> RightsSuspension:
    """Restore the rights from `ends_on` (exclusive end of the suspension); the row stays."""
    with transaction.atomic():
        row = RightsSuspension.objects.select_for_update().get(pk=suspension.pk)
        if ends_on <= row.starts_on:
            raise ValidationError(MSG_RESTORE_BEFORE_START)
        row.ends_on = ends_on
        row.save(update_fields=["ends_on", "updated_at"])
        return row
