"""One applier of the state changes of one row, for every app's explicit transition table.

Allowance requests, care applications and timetables, arrears cases and payment batches each
list their steps in a table `{(from, to): Step}`. `transition_apply` moves one row through its
table, always the same way: it locks the row, refuses a stale version (where the row has one), a
pair not in the table (or a step reserved to another kind of caller), an actor without the step's
permission and, where the step says so, the person named by its four-eyes field; then it stamps
who and when, runs the caller's other changes, saves, writes the caller's history row, the audit
event (through audit.services, the one writer) and queues the step's notification — all in a
savepoint of the caller's transaction, so that a refusal or a failure writes nothing.

What differs from one table to another is said by the table's `Machine` (typed hooks: how a
refusal reads, who else may make a step, the history row, the notification), never by an `if` on
the caller. Claim files are not rows moved one by one: they have their set-based service
(claims.services.transitions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

from django.db import models, transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import audit_record, model_snapshot
from mutuelle.types import Actor, actor_user

__all__ = [
    "Machine",
    "Moved",
    "Refusal",
    "Refused",
    "Step",
    "transition_allowed",
    "transition_apply",
    "transition_refusal",
    "transition_targets",
]


@dataclass(frozen=True)
class Step:
    """One allowed step of a table: who may make it and what it writes besides the state."""

    permission: str | None  # what a person needs; None: no one's permission is checked (a system step)
    action: AuditAction = AuditAction.TRANSITION  # the audit event's action
    stamp: str | None = None  # "checked": <stamp>_by and <stamp>_at get the actor and the time
    dated: str | None = None  # a date-only stamp: this field gets the time ("cancelled_at")
    four_eyes: str | None = None  # the field naming the user who may not make it ("checked_by_id")
    only: str | None = None  # made only by this kind of caller ("batch", "job"); None: by anyone
    event: str | None = None  # the notification the step queues (Machine.notify), if any


class Refusal(StrEnum):
    NOT_ALLOWED = "not_allowed"  # the pair is not in the table, or not for this kind of caller
    FORBIDDEN = "forbidden"  # the actor lacks the permission
    FOUR_EYES = "four_eyes"  # the actor is the one the step's four-eyes field names
    STALE = "stale"  # the row changed since the version the person saw


M = TypeVar("M", bound=models.Model)
S = TypeVar("S", bound=Step)


@dataclass(frozen=True)
class Refused(Generic[M, S]):
    """What the caller's `refuse` hook gets to build its own (translated) error."""

    kind: Refusal
    row: M  # the locked row, in its current state
    to: str
    step: S | None  # None when the pair is not in the table


@dataclass(frozen=True)
class Moved(Generic[M, S]):
    """A step just saved: what the history and notification hooks get."""

    row: M
    frm: str
    to: str
    step: S
    actor: Actor
    at: dt.datetime
    note: str


def _never_else(actor: Actor, row: Any, step: Any) -> bool:
    return False


@dataclass(frozen=True)
class Machine(Generic[M, S]):
    """One model's table and how its steps differ from the common shape."""

    model: type[M]
    table: Mapping[tuple[str, str], S]
    refuse: Callable[[Refused[M, S]], Exception]  # the caller's error for a refusal (raised)
    state_field: str = "state"  # the column holding the state
    version: str | None = None  # an optimistic version column, checked when given and bumped by every step
    member: str | None = None  # the attribute giving the audit event's member id ("member_id")
    system_allowed: bool = True  # the system (actor None) may make any step the table lists
    exact_by: bool = False  # a step without `only` is refused to a caller that says what it is
    related: tuple[str, ...] = ()  # select_related of the locked read
    # Another way to be allowed than the permission (a child's parent for their own application).
    allowed_else: Callable[[Actor, M, S], bool] = _never_else
    record: Callable[[Moved[M, S]], None] | None = None  # the model's own history row
    notify: Callable[[Moved[M, S], str], None] | None = None  # queue the step's event
    audit_note: Callable[[Moved[M, S]], str] | None = None  # the audit note (default: the call's note)
    # What the audit event keeps of the row before and after (default: every field, medical ones
    # masked by the writer); a model whose free text stays out of the trail says so here.
    snapshot: Callable[[M], dict[str, Any]] = model_snapshot
    auto_fields: tuple[str, ...] = field(default=(), init=False)

    def __post_init__(self) -> None:
        # auto_now columns are saved with every step (update_fields would leave them behind).
        auto = tuple(f.name for f in self.model._meta.concrete_fields if getattr(f, "auto_now", False))
        object.__setattr__(self, "auto_fields", auto)


def _for_caller(machine: Machine[M, S], step: S, by: str | None) -> bool:
    """Is the step one this kind of caller may ask for? A reserved step (`only`) is its caller's
    alone; with `exact_by`, a caller that says what it is may ask for its own steps only."""
    if machine.exact_by:
        return step.only == by
    return step.only is None or step.only == by


def _refusal(machine: Machine[M, S], actor: Actor, row: M, to: str, by: str | None) -> Refused[M, S] | None:
    """Why `actor` may not move `row` to `to` now (None: allowed); reads only the row in hand."""
    step = machine.table.get((getattr(row, machine.state_field), to))
    if step is None or not _for_caller(machine, step, by):
        return Refused(Refusal.NOT_ALLOWED, row, to, step)
    if step.permission is not None:
        if actor is None:
            if not machine.system_allowed:
                return Refused(Refusal.FORBIDDEN, row, to, step)
        elif not actor.has_perm(step.permission) and not machine.allowed_else(actor, row, step):
            return Refused(Refusal.FORBIDDEN, row, to, step)
    if step.four_eyes and actor is not None and getattr(row, step.four_eyes) == actor.pk:
        return Refused(Refusal.FOUR_EYES, row, to, step)
    return None


def transition_refusal(
    machine: Machine[M, S], *, actor: Actor, row: M, to: str, by: str | None = None
) -> Refused[M, S] | None:
    """Why `actor` may not move `row` (as read, unlocked) to `to` now; None when allowed."""
    return _refusal(machine, actor, row, to, by)


def transition_allowed(machine: Machine[M, S], *, actor: Actor, row: M, to: str, by: str | None = None) -> bool:
    """May `actor` move `row` (as read, unlocked) to `to`? For the verbs a page shows."""
    return _refusal(machine, actor, row, to, by) is None


def transition_targets(machine: Machine[M, S], *, actor: Actor, row: M, by: str | None = None) -> Iterator[str]:
    """The states `actor` may move `row` to now, in the table's order."""
    current = getattr(row, machine.state_field)
    for frm, to in machine.table:
        if frm == current and _refusal(machine, actor, row, to, by) is None:
            yield to


def transition_apply(
    machine: Machine[M, S],
    *,
    actor: Actor,
    row: M,
    to: str,
    note: str = "",
    by: str | None = None,
    version: int | None = None,
    changes: Callable[[M], list[str]] | None = None,
    audit_extra: Callable[[M], Mapping[str, Any]] | None = None,
) -> M:
    """Move `row` to `to` as `machine.table` allows, in a savepoint of the caller's transaction; the
    locked row, saved.

    `by`: what kind of caller asks ("batch", "job"), for the steps reserved to one. `version`: the
    version the person saw (machine.version). `changes` runs on the locked row once the state and
    stamps are set and returns the other fields it set. `audit_extra`: added to the event's after.
    A refusal raises machine.refuse's error and writes nothing.
    """
    with transaction.atomic():
        query = machine.model._default_manager.select_for_update()
        locked = (query.select_related(*machine.related) if machine.related else query).get(pk=row.pk)
        if machine.version is not None and version is not None and getattr(locked, machine.version) != version:
            raise machine.refuse(Refused(Refusal.STALE, locked, to, None))
        refused = _refusal(machine, actor, locked, to, by)
        if refused is not None:
            raise machine.refuse(refused)
        step = machine.table[getattr(locked, machine.state_field), to]
        before = machine.snapshot(locked)
        frm, now = getattr(locked, machine.state_field), timezone.now()
        setattr(locked, machine.state_field, to)
        fields = [machine.state_field]
        if machine.version is not None:
            setattr(locked, machine.version, getattr(locked, machine.version) + 1)
            fields.append(machine.version)
        if step.stamp:
            setattr(locked, f"{step.stamp}_by", actor_user(actor))
            setattr(locked, f"{step.stamp}_at", now)
            fields += [f"{step.stamp}_by", f"{step.stamp}_at"]
        if step.dated:
            setattr(locked, step.dated, now)
            fields.append(step.dated)
        if changes is not None:
            fields += changes(locked)
        locked.save(update_fields=list(dict.fromkeys([*fields, *machine.auto_fields])))
        moved = Moved(locked, frm, to, step, actor, now, note)
        if machine.record is not None:
            machine.record(moved)
        after: dict[str, Any] = machine.snapshot(locked)
        if audit_extra is not None:
            after = {**after, **audit_extra(locked)}
        audit_record(
            actor=actor, action=step.action, obj=locked, before=before, after=after,
            member_id=getattr(locked, machine.member) if machine.member else None,
            note=machine.audit_note(moved) if machine.audit_note is not None else note,
        )  # fmt: skip
        if step.event and machine.notify is not None:
            machine.notify(moved, step.event)
    return locked
