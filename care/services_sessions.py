"""Writes of the sessions: dated sessions from the published timetable, attendance, progress notes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import AuditAction, audit_record, model_snapshot
from care.models import (
    ABSENCE_REASONS,
    CANCEL_REASONS,
    AttendanceState,
    Centre,
    Enrolment,
    ProgressNote,
    Session,
    Therapy,
    Timetable,
    TimetableState,
)
from care.selectors_week import is_therapist_of_child, user_of
from mutuelle.errors import DomainError
from mutuelle.types import Actor

MAX_DAYS = 62  # one generation covers at most two months of dates

MSG_FORBIDDEN = _("You are not allowed to do this for this centre.")
MSG_NO_PUBLISHED = _("This centre has no published timetable.")
MSG_DATES = _("Choose a first and last date, at most 62 days apart, the last one not before the first.")
MSG_RECORDED_OTHER = _(
    "Attendance is already recorded on %(date)s for sessions of another timetable version; those dates keep it."
)
MSG_REASON = _("Choose a reason among those offered for this answer.")
MSG_FUTURE = _("Presence or absence is recorded on the day of the session or after it.")
MSG_BILLED = _("This session is billed already: its attendance can no longer change.")
MSG_NOT_THERAPIST = _("Only the child's therapists write its progress notes.")
MSG_EMPTY_NOTE = _("Write the note.")
MSG_STATE_BAD = _("Unknown attendance answer.")


class SessionError(DomainError):
    pass


@dataclass(frozen=True)
class SessionsGenerated:
    created: int
    replaced: int
    kept: int  # already there (generating again makes nothing more)


def _dates(first: dt.date, last: dt.date) -> list[dt.date]:
    if last < first or (last - first).days > MAX_DAYS:
        raise SessionError(MSG_DATES)
    days = (last - first).days + 1
    return [first + dt.timedelta(days=k) for k in range(days) if (first + dt.timedelta(days=k)).weekday() < 5]


def _active_on(enrolment: Enrolment, on: dt.date) -> bool:
    return enrolment.starts_on <= on < enrolment.leaves_on and (enrolment.ends_on is None or on < enrolment.ends_on)


def sessions_generate(*, actor: Actor, centre: Centre, first: dt.date, last: dt.date) -> SessionsGenerated:
    """The sessions of the published timetable on every weekday from `first` to `last`.

    Idempotent: a date already generated from this version keeps its sessions (unique entry and date).
    Sessions still planned from an older version on those dates are replaced by the published one's;
    a date with attendance recorded against another version is refused (nothing is rewritten)."""
    if actor is not None and not actor.has_perm("care.plan_week"):
        raise SessionError(MSG_FORBIDDEN)
    dates = _dates(first, last)
    with transaction.atomic(durable=True):
        tt = Timetable.objects.select_for_update().filter(centre=centre, state=TimetableState.PUBLISHED).first()
        if tt is None:
            raise SessionError(MSG_NO_PUBLISHED)
        others = Session.objects.filter(centre=centre, date__in=dates).exclude(timetable=tt)
        recorded = others.exclude(state=AttendanceState.PLANNED).order_by("date").first()
        if recorded is not None:
            raise SessionError(MSG_RECORDED_OTHER % {"date": recorded.date.isoformat()})
        replaced = others.count()
        if replaced:
            others.delete()
        entries = list(tt.entries.select_related("enrolment"))
        existing = set(Session.objects.filter(timetable=tt, date__in=dates).values_list("entry_id", "date"))
        rows = [
            Session(
                centre=centre, timetable=tt, entry=e, enrolment=e.enrolment, member_id=e.member_id,
                therapy_id=e.therapy_id, therapist_id=e.therapist_id, room_id=e.room_id, date=d, start=e.start,
                length=e.length,
            )
            for d in dates
            for e in entries
            if e.day == d.weekday() and _active_on(e.enrolment, d) and (e.pk, d) not in existing
        ]  # fmt: skip
        Session.objects.bulk_create(rows, batch_size=500)
        note = f"sessions {first.isoformat()}..{last.isoformat()}: {len(rows)} new, {replaced} replaced"
        audit_record(actor=actor, action=AuditAction.CREATE, obj=tt, note=note)
    return SessionsGenerated(created=len(rows), replaced=replaced, kept=len(existing))


def _may_record(actor: Actor, session: Session) -> bool:
    if actor is None:
        return True
    if session.therapist.user_id == getattr(actor, "pk", None) and actor.has_perm("care.record_attendance"):
        return True
    return actor.has_perm("care.plan_week") and actor.has_perm("care.record_attendance")


def attendance_record(
    *, actor: Actor, session: Session, state: str, reason: str = "", today: dt.date | None = None
) -> Session:
    """Present, absent (with a coded reason) or cancelled by the centre (with its reason); audited.

    A billed session keeps its attendance; presence and absence are not recorded ahead of the day."""
    if not _may_record(actor, session):
        raise SessionError(MSG_FORBIDDEN)
    if state not in AttendanceState.values:
        raise SessionError(MSG_STATE_BAD)
    allowed = {"planned": ("",), "present": ("",), "absent": ABSENCE_REASONS, "cancelled": CANCEL_REASONS}[state]
    if reason not in allowed:
        raise SessionError(MSG_REASON)
    today = today or timezone.localdate()
    with transaction.atomic(durable=True):
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if locked.bill_id is not None:
            raise SessionError(MSG_BILLED)
        if state in (AttendanceState.PRESENT, AttendanceState.ABSENT) and locked.date > today:
            raise SessionError(MSG_FUTURE)
        before = model_snapshot(locked)
        locked.state, locked.reason = state, reason
        locked.recorded_by = user_of(actor)
        locked.recorded_at = timezone.now()
        locked.save(update_fields=["state", "reason", "recorded_by", "recorded_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, member_id=locked.member_id, before=before,
                     after=model_snapshot(locked))  # fmt: skip
    return locked


def progress_note_add(
    *, actor: Any, enrolment: Enrolment, therapy: Therapy, text: str, for_parents: bool = False,
    session: Session | None = None, written_on: dt.date | None = None,
) -> ProgressNote:  # fmt: skip
    """A therapist's progress note on one of their children (medical: the audit keeps that it was written)."""
    if (
        actor is None
        or not actor.has_perm("care.add_progressnote")
        or not is_therapist_of_child(user=actor, enrolment=enrolment)
    ):
        raise SessionError(MSG_NOT_THERAPIST)
    text = (text or "").strip()
    if not text:
        raise SessionError(MSG_EMPTY_NOTE)
    with transaction.atomic(durable=True):
        note = ProgressNote.objects.create(
            enrolment=enrolment, member_id=enrolment.member_id, therapy=therapy, session=session, author=actor,
            written_on=written_on or timezone.localdate(), text=text[:5000], for_parents=for_parents,
        )  # fmt: skip
        audit_record(actor=actor, action=AuditAction.CREATE, obj=note, member_id=enrolment.member_id,
                     after=model_snapshot(note))  # fmt: skip
    return note
