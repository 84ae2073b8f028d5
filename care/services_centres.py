"""Writes of the centres' set-up: centres, programmes with their first rule, rooms, staff, classes.

The administrator edits the same rows in the admin (care/admin.py, audited there); the demo and
the tests create them through these functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from audit.models import AuditAction
from audit.services import audit_record, model_snapshot
from care.models import (
    Centre,
    CentreHours,
    GroupClass,
    Programme,
    ProgrammeRule,
    Room,
    StaffAvailability,
    StaffKind,
    StaffMember,
    Therapy,
)
from mutuelle.types import Actor


def _created(actor: Actor, obj: Any) -> None:
    audit_record(actor=actor, action=AuditAction.CREATE, obj=obj, after=model_snapshot(obj))


@dataclass(frozen=True)
class Hours:
    weekday: int
    opens_at: dt.time
    closes_at: dt.time


def centre_create(*, actor: Actor, hours: Iterable[Hours] = (), **fields: Any) -> Centre:
    with transaction.atomic():
        centre = Centre.objects.create(**fields)
        for h in hours:
            CentreHours.objects.create(centre=centre, weekday=h.weekday, opens_at=h.opens_at, closes_at=h.closes_at)
        _created(actor, centre)
    return centre


@dataclass(frozen=True)
class RuleValues:
    """A programme's waiting-list weights and notice periods (see ProgrammeRule)."""

    valid_from: dt.date
    age_window_months: int
    age_bonus_days: int
    partner_penalty_days: int
    offer_deadline_days: int
    age_out_notice_months: int


def programme_create(*, actor: Actor, centre: Centre, rule: RuleValues, **fields: Any) -> Programme:
    """A programme and the rule its waiting list starts with."""
    with transaction.atomic():
        programme = Programme.objects.create(centre=centre, **fields)
        _created(actor, programme)
        programme_rule_add(actor=actor, programme=programme, rule=rule)
    return programme


def programme_rule_add(*, actor: Actor, programme: Programme, rule: RuleValues) -> ProgrammeRule:
    """A new rule from its date on: the one in force until then ends the day before."""
    with transaction.atomic():
        open_rule = (
            ProgrammeRule.objects.select_for_update()
            .filter(programme=programme, valid_to__isnull=True, valid_from__lt=rule.valid_from)
            .first()
        )
        if open_rule is not None:
            before = model_snapshot(open_rule)
            open_rule.valid_to = rule.valid_from - dt.timedelta(days=1)
            open_rule.save(update_fields=["valid_to"])
            audit_record(
                actor=actor, action=AuditAction.UPDATE, obj=open_rule, before=before, after=model_snapshot(open_rule)
            )
        row = ProgrammeRule.objects.create(programme=programme, **rule.__dict__)
        _created(actor, row)
    return row


def room_create(*, actor: Actor, centre: Centre, code: str, name: str, therapies: Sequence[str]) -> Room:
    with transaction.atomic():
        room = Room.objects.create(centre=centre, code=code, name=name)
        room.therapies.set(Therapy.objects.filter(code__in=therapies))
        _created(actor, room)
    return room


@dataclass(frozen=True)
class Availability:
    day: int
    start_slot: int
    end_slot: int


def staff_create(
    *,
    actor: Actor,
    centre: Centre,
    therapies: Sequence[str] = (),
    availability: Iterable[Availability] = (),
    kind: str = StaffKind.THERAPIST,
    **fields: Any,
) -> StaffMember:
    with transaction.atomic():
        staff = StaffMember.objects.create(centre=centre, kind=kind, **fields)
        staff.therapies.set(Therapy.objects.filter(code__in=therapies))
        StaffAvailability.objects.bulk_create(
            StaffAvailability(staff=staff, day=a.day, start_slot=a.start_slot, end_slot=a.end_slot)
            for a in availability
        )
        _created(actor, staff)
    return staff


def group_class_create(
    *, actor: Actor, programme: Programme, name: str, day: int, start_slot: int, length: int
) -> GroupClass:
    with transaction.atomic():
        row = GroupClass.objects.create(programme=programme, name=name, day=day, start_slot=start_slot, length=length)
        _created(actor, row)
    return row
