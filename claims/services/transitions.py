"""The one write path of claim file states: every caller moves files through `claims_transition`.

The file page (one file, through workflow.transition_apply), the adjudication engine (thousands of
files per chunk), payment batches and bank returns all call the same core: it checks each (from, to)
pair against the table of the caller's kind (`By`) and the actor's permission, writes the files'
status and version, one ClaimTransition per step, one audit event per file (audit's bulk writer),
and queues the member notifications, all in the caller's transaction. It is set-based: a call costs
one statement per table whatever the number of files (COPY on PostgreSQL).

Nothing else writes a claim's status or its transition rows (claims/tests/test_one_write_path.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from audit.masking import MASKED_NOTE
from audit.models import AuditAction
from audit.services import AuditRow, audit_events_write
from claims.models import ClaimFile, ClaimStatus
from claims.models.files import transition_reason_text
from claims.services.notify import FileOfMember, claims_notify_enqueue
from claims.services.transitions_store import decided_files_write, files_selected_move, transitions_write
from mutuelle import bulk
from mutuelle.errors import DomainError
from mutuelle.types import actor_id

S = ClaimStatus


class By(StrEnum):
    """Who asks for the move; each kind of caller has its own table of allowed moves."""

    PERSON = "person"  # a button on the file page
    SERVICE = "service"  # a service acting for the actor (claim_transition without `manual`)
    ENGINE = "engine"  # the adjudication engine (claim_adjudicate, the bulk job)
    BATCH = "batch"  # payment batches and bank returns
    MEMBER = "member"  # the member themself, in their space (portal), on their own file


# The file page's moves: (from, to) -> permission the actor needs. Anything not listed is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.RECEIVED, S.INCOMPLETE): "claims.change_claimfile",
    (S.RECEIVED, S.CANCELLED): "claims.change_claimfile",
    (S.INCOMPLETE, S.RETURNED): "claims.change_claimfile",
    (S.INCOMPLETE, S.RECEIVED): "claims.add_claimfile",
    (S.INCOMPLETE, S.CANCELLED): "claims.change_claimfile",
    (S.RETURNED, S.INCOMPLETE): "claims.add_claimfile",
    (S.RETURNED, S.RECEIVED): "claims.add_claimfile",
    (S.RETURNED, S.CANCELLED): "claims.change_claimfile",
    (S.ADJUDICATED, S.MEDICAL_REVIEW): "claims.adjudicate_claimfile",
    (S.ADJUDICATED, S.APPROVED): "claims.adjudicate_claimfile",
    (S.ADJUDICATED, S.REJECTED): "claims.adjudicate_claimfile",
    (S.ADJUDICATED, S.RECEIVED): "claims.change_claimfile",
    (S.MEDICAL_REVIEW, S.APPROVED): "claims.review_claimfile",
    (S.MEDICAL_REVIEW, S.REJECTED): "claims.review_claimfile",
    (S.MEDICAL_REVIEW, S.ADJUDICATED): "claims.review_claimfile",
    (S.APPROVED, S.IN_PAYMENT): "payments.prepare_paymentbatch",
    (S.IN_PAYMENT, S.PAID): "payments.validate_paymentbatch",
    (S.IN_PAYMENT, S.APPROVED): "payments.prepare_paymentbatch",
}

# Moved by payment batches, never by a button on the file page.
BATCH_TRANSITIONS: dict[tuple[str, str], str] = {
    pair: TRANSITIONS[pair] for pair in ((S.APPROVED, S.IN_PAYMENT), (S.IN_PAYMENT, S.PAID), (S.IN_PAYMENT, S.APPROVED))
}
BATCH_ONLY: frozenset[tuple[str, str]] = frozenset(BATCH_TRANSITIONS)

# Reached only by the engine, which stores the line decisions with the state: a hand-made
# "adjudicated" would carry none. None: the engine's caller says who may adjudicate (an officer,
# or the counter when it adjudicates the file it takes).
ENGINE_TRANSITIONS: dict[tuple[str, str], str | None] = {
    (S.RECEIVED, S.ADJUDICATED): None,
    (S.ADJUDICATED, S.MEDICAL_REVIEW): None,
}
ENGINE_ONLY: frozenset[tuple[str, str]] = frozenset({(S.RECEIVED, S.ADJUDICATED)})

# The member's own moves: a returned file completed online goes back to the officers. None: the
# member holds no staff permission; their caller (portal.services) checks the file is theirs.
MEMBER_TRANSITIONS: dict[tuple[str, str], str | None] = {(S.RETURNED, S.RECEIVED): None}

ALLOWED: dict[By, Mapping[tuple[str, str], str | None]] = {
    By.PERSON: {k: v for k, v in TRANSITIONS.items() if k not in BATCH_ONLY},
    By.SERVICE: TRANSITIONS,
    By.ENGINE: ENGINE_TRANSITIONS,
    By.BATCH: BATCH_TRANSITIONS,
    By.MEMBER: MEMBER_TRANSITIONS,
}

# The member hears of these states (claims.services.notify).
NOTIFIED = (S.RETURNED, S.APPROVED, S.PAID)

MSG_NOT_ALLOWED = _("A file cannot go from “%(from)s” to “%(to)s”.")
MSG_FORBIDDEN = _("You are not allowed to move a file to “%(to)s”.")
MSG_STALE = _("This file was changed by someone else in the meantime. Reload it and try again.")
MSG_ENGINE_ONLY = _("Only the adjudication engine decides a received file: press “Adjudicate”.")
MSG_BATCH_ONLY = _("Payment batches move a file to “%(to)s”, not the file page.")


class ClaimTransitionError(DomainError):
    """A refused transition; `message` is translated, `code` is stable."""

    def __init__(self, message: Any, *, code: str) -> None:
        super().__init__(message)
        self.code = code


class Step(NamedTuple):
    """One move of one file: `frm` -> `to`, reaching `version`. A file may take several in one call
    (the engine: received -> adjudicated -> medical review), in order, versions following each other."""

    file_id: int
    member_id: int
    frm: str
    to: str
    version: int
    reason: str = ""
    note: str = ""


class Reason(NamedTuple):
    """A service's reason: its code (models.files.TRANSITION_REASONS) and parameters; the history
    renders it in the reader's language, the audit note in English (`english`)."""

    code: str
    params: dict[str, Any]

    def english(self) -> str:
        with translation.override("en"):
            return transition_reason_text(self.code, self.params)


class Decided(NamedTuple):
    """The engine's totals of one file (centimes), written with its new state in one statement."""

    file_id: int
    paid: int
    basis: int
    amo: int
    complementary: int
    remainder: int
    review_reasons: list[str]


def _label(status: str) -> str:
    return str(ClaimStatus(status).label)


def transition_check(*, actor: Any, frm: str, to: str, by: By) -> None:
    """Refuse (ClaimTransitionError) a move the caller's table does not list or the actor may not make."""
    table = ALLOWED[by]
    if (frm, to) not in table:
        if (frm, to) in ENGINE_ONLY:
            raise ClaimTransitionError(MSG_ENGINE_ONLY, code="engine_only")
        if by == By.PERSON and (frm, to) in BATCH_ONLY:
            raise ClaimTransitionError(MSG_BATCH_ONLY % {"to": _label(to)}, code="batch_only")
        raise ClaimTransitionError(MSG_NOT_ALLOWED % {"from": _label(frm), "to": _label(to)}, code="refused")
    perm = table[frm, to]
    if perm is not None and actor is not None and not actor.has_perm(perm):
        raise ClaimTransitionError(MSG_FORBIDDEN % {"to": _label(to)}, code="forbidden")


def claims_transition(
    *,
    actor: Any,
    steps: Sequence[Step],
    by: By,
    reason: Reason | None = None,
    also: Mapping[str, Any] | None = None,
    decided: Sequence[Decided] = (),
    audit_extra: Mapping[int, tuple[dict[str, Any], dict[str, Any]]] | None = None,
    audit_note: str | None = None,
    now: dt.datetime | None = None,
    checked: bool = False,
) -> int:
    """Apply `steps` inside the caller's transaction, whose rows it has locked; how many files moved.

    `reason`: a service's coded reason, for every step (its text where a step gives none).
    `also`: other columns set on every moved file (the file page's missing pieces).
    `decided`: the engine's totals, one per file, written with the state.
    `audit_extra`: file id -> (before, after) added to the audit event's state.
    `audit_note`: the audit events' note (by default each file's last reason, masked when it is a
    medical decision).
    `checked`: the caller ran transition_check on every (from, to) of `steps` already (the file page,
    whose refusals come before its own checks).
    A file not in the state its first step starts from makes the whole call fail ("stale"); the
    engine's files (`decided`) were locked and read as received by its caller.
    """
    if not steps:
        return 0
    if not checked:
        for frm, to in {(s.frm, s.to) for s in steps}:
            transition_check(actor=actor, frm=frm, to=to, by=by)
    with transaction.atomic():  # a savepoint: all of the set or none, even if the caller goes on
        return _steps_apply(actor=actor, steps=steps, reason=reason, also=also, decided=decided,
                            audit_extra=audit_extra, audit_note=audit_note, now=now or timezone.now())  # fmt: skip


def _steps_apply(
    *,
    actor: Any,
    steps: Sequence[Step],
    reason: Reason | None,
    also: Mapping[str, Any] | None,
    decided: Sequence[Decided],
    audit_extra: Mapping[int, tuple[dict[str, Any], dict[str, Any]]] | None,
    audit_note: str | None,
    now: dt.datetime,
) -> int:
    first: dict[int, Step] = {}
    last: dict[int, Step] = {}
    for step in steps:
        first.setdefault(step.file_id, step)
        last[step.file_id] = step
    if decided:
        decided_files_write([(d, last[d.file_id]) for d in decided], now)
    else:
        _files_write(first, last, now=now, also=also or {})
    who = actor_id(actor)
    code, params = reason if reason else ("", {})
    text = reason.english() if reason else ""  # the audit note's, where a step gives no reason of its own
    transitions_write(steps, code=code, params=params, actor_id=who, now=now)
    extra = audit_extra or {}
    audits = []
    for fid, start in first.items():
        end = last[fid]
        before, after = extra.get(fid, ({}, {}))
        note = audit_note
        if note is None:
            said = end.reason or text
            note = MASKED_NOTE if end.frm == S.MEDICAL_REVIEW and said else said
        audits.append(AuditRow(ClaimFile._meta.label_lower, str(fid), start.member_id,
                               {"status": start.frm, "version": start.version - 1, **before},
                               {"status": end.to, "version": end.version, **after}, note[:300]))  # fmt: skip
    audit_events_write(action=AuditAction.TRANSITION, rows=audits, actor_id=who, at=now)
    _notify([FileOfMember(fid, end.member_id) for fid, end in last.items()], [end.to for end in last.values()])
    return len(last)


def _notify(files: Sequence[FileOfMember], reached: Sequence[str]) -> None:
    """Queue the notifications of the files that reached a state their member hears of."""
    for target in NOTIFIED:
        told = [f for f, to in zip(files, reached, strict=True) if to == target]
        if told:
            claims_notify_enqueue(files=told, event=target)


def claims_transition_to(*, actor: Any, claim_ids: Sequence[int], to: str, by: By, reason: Reason | None = None) -> int:
    """The files `claim_ids` to `to` in the caller's transaction: row-locked in id order, those already
    there left as they are; how many moved."""
    if not claim_ids:
        return 0
    locked = ClaimFile.objects.select_for_update().filter(bulk.one_of(ClaimFile, "id", claim_ids)).order_by("pk")
    steps = [Step(pk, member_id, status, to, version + 1)
             for pk, member_id, status, version in locked.values_list("pk", "member_id", "status", "version")
             if status != to]  # fmt: skip
    return claims_transition(actor=actor, steps=steps, by=by, reason=reason)


def claims_transition_selected(
    *,
    actor: Any,
    selection: QuerySet[ClaimFile],
    span: tuple[str, int, int],
    frm: str,
    to: str,
    by: By,
    reason: Reason,
    into: str,
    audit_note: str = "",
    now: dt.datetime | None = None,
) -> int:
    """PostgreSQL: the same move for every file of `selection` still in `frm`, in the caller's transaction,
    in one statement (a payment batch's chunk); how many moved.

    The moved files (id, number, member_id, provider_id, amo, complementary, version reached) are
    left in the temporary table `into` (dropped at commit) for the caller's next statement.
    """
    transition_check(actor=actor, frm=frm, to=to, by=by)
    now = now or timezone.now()
    moved = files_selected_move(selection=selection, span=span, frm=frm, to=to, code=reason.code,
                                params=reason.params, actor_id=actor_id(actor), now=now, into=into,
                                audit_note=audit_note, returning=to in NOTIFIED)  # fmt: skip
    _notify([FileOfMember(m.file_id, m.member_id) for m in moved.files], [to] * len(moved.files))
    return moved.moved


def _files_write(first: dict[int, Step], last: dict[int, Step], *, now: dt.datetime, also: Mapping[str, Any]) -> None:
    """Status and version of the files, one UPDATE per (from, to, steps) group: usually one."""
    groups: dict[tuple[str, str, int], list[int]] = {}
    for fid, start in first.items():
        end = last[fid]
        groups.setdefault((start.frm, end.to, end.version - start.version + 1), []).append(fid)
    for (frm, to, n), ids in groups.items():
        moved = (
            ClaimFile.objects.filter(bulk.one_of(ClaimFile, "id", ids), status=frm)
            .order_by()
            .update(status=to, version=F("version") + n, updated_at=now, **also)
        )
        if moved != len(ids):
            raise ClaimTransitionError(MSG_STALE, code="stale")
