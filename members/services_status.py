"""Writes on a member's status history (active, retired, deceased, resigned, suspended)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from audit.services import audit_record
from members.models import Member, MemberStatus, MemberStatusChange
from mutuelle.types import Actor, actor_user

STATUS_BEFORE_JOINING = _("A status change cannot be dated before the joining date.")
STATUS_SAME_DAY = _("A status change is already recorded on that day.")
STATUS_INVALID = _("Choose a valid status.")


def member_status_change(
    *, actor: Actor, member: Member, status: str, valid_from: dt.date, note: str = ""
) -> MemberStatusChange:
    """Record a status from `valid_from`; the member's current status follows once that day has come."""
    errors: dict[str, list[Any]] = {}
    if status not in MemberStatus.values:
        errors["status"] = [STATUS_INVALID]
    if valid_from < member.joined_on:
        errors["valid_from"] = [STATUS_BEFORE_JOINING]
    elif MemberStatusChange.objects.filter(member=member, valid_from=valid_from).exists():
        errors["valid_from"] = [STATUS_SAME_DAY]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        member = Member.objects.select_for_update().get(pk=member.pk)
        before = {"status": member.status, "status_since": member.status_since.isoformat()}
        change = MemberStatusChange.objects.create(
            member=member, status=status, valid_from=valid_from, note=note.strip(), recorded_by=actor_user(actor)
        )
        _status_current_apply(member, timezone.localdate())
        audit_record(
            actor=actor,
            action=AuditEvent.Action.TRANSITION,
            obj=member,
            member_id=member.pk,
            before=before,
            after={
                "status": member.status,
                "status_since": member.status_since.isoformat(),
                "recorded": f"{status} {valid_from.isoformat()}",
            },
            note=note,
        )
    return change


def _status_current_apply(member: Member, today: dt.date) -> bool:
    """Copy the history row in force on `today` onto Member.status/status_since; True when changed."""
    current = (
        MemberStatusChange.objects.filter(member=member, valid_from__lte=today).order_by("-valid_from", "-id").first()
    )
    if current is None or (member.status, member.status_since) == (current.status, current.valid_from):
        return False
    member.status, member.status_since = current.status, current.valid_from
    member.save(update_fields=["status", "status_since", "updated_at"])
    return True


def member_statuses_apply_due(*, actor: Actor, today: dt.date) -> int:
    """Daily: make the current status follow the dated changes whose day has come. Safe to rerun."""
    due = (
        Member.objects.filter(status_history__valid_from__gt=F("status_since"), status_history__valid_from__lte=today)
        .values_list("pk", flat=True)
        .distinct()
    )
    applied = 0
    for pk in list(due):
        with transaction.atomic(durable=True):
            member = Member.objects.select_for_update().get(pk=pk)
            before = {"status": member.status, "status_since": member.status_since.isoformat()}
            if _status_current_apply(member, today):
                applied += 1
                after = {"status": member.status, "status_since": member.status_since.isoformat()}
                audit_record(
                    actor=actor,
                    action=AuditEvent.Action.TRANSITION,
                    obj=member,
                    member_id=member.pk,
                    before=before,
                    after=after,
                    note="dated status change now in force",
                )
    return applied
