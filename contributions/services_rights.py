"""Arrears and rights: the formal notice, the suspension of rights and their restoration.

One review (`rights_review_run`, from the page's job, `manage.py arrears_review` or the job the
payments queue) looks at members in arrears and at the open cases, and moves each through
RIGHTS_TRANSITIONS, applied by `rights_transition_apply` only. Each member is one savepoint: a
refusal for one leaves the others done, and running the review again changes nothing more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.services import AuditAction, audit_record, model_snapshot
from contributions import arrears_selectors as sel
from contributions.models import ArrearsNotice, RightsState
from contributions.selectors import MemberArrears, member_arrears_list
from members.models import MemberStatus
from members.outbox import notifications_enqueue
from members.services_rights import rights_suspension_close, rights_suspension_open
from mutuelle import transitions
from mutuelle.errors import DomainError
from mutuelle.types import Actor

REVIEW_PERMISSION = "contributions.review_arrears"
EVENT_NOTICE = "contributions.arrears_notice"
EVENT_SUSPENDED = "contributions.rights_suspended"
EVENT_RESTORED = "contributions.rights_restored"
# Statuses whose members owe contributions (a deceased or resigned member gets no notice).
CONTRIBUTING = (MemberStatus.ACTIVE, MemberStatus.RETIRED, MemberStatus.SUSPENDED)
_DAY = dt.timedelta(days=1)

MSG_STATE = _("This arrears case cannot go from “%(from)s” to “%(to)s”.")
MSG_FORBIDDEN = _("You are not allowed to run the arrears review.")


class RightsRefused(DomainError):
    """A step of an arrears case refused, with a translated message."""


# A step of an arrears case: who may make it, how it is audited, what the member is told. No four
# eyes: the review decides by the dated rules; nobody chooses whom to suspend.
RightsStep = transitions.Step


S = RightsState
# Every step of an arrears case; a pair not listed here is refused. "" is the case not yet opened.
RIGHTS_TRANSITIONS: dict[tuple[str, str], RightsStep] = {
    ("", S.NOTICED): RightsStep(REVIEW_PERMISSION, AuditAction.CREATE, event=EVENT_NOTICE),
    (S.NOTICED, S.SUSPENDED): RightsStep(REVIEW_PERMISSION, AuditAction.TRANSITION, event=EVENT_SUSPENDED),
    (S.SUSPENDED, S.RESTORED): RightsStep(REVIEW_PERMISSION, AuditAction.TRANSITION, event=EVENT_RESTORED),
    (S.NOTICED, S.SETTLED): RightsStep(REVIEW_PERMISSION, AuditAction.TRANSITION),
}


def _require(actor: Actor, permission: str | None) -> None:
    # None is the system (the worker, the command); a person needs the permission.
    if actor is not None and permission is not None and not actor.has_perm(permission):
        raise PermissionDenied(MSG_FORBIDDEN)


def _step(current: str, to: str) -> RightsStep:
    step = RIGHTS_TRANSITIONS.get((current, to))
    if step is None:
        labels = dict(RightsState.choices)
        raise RightsRefused(MSG_STATE % {"from": labels.get(current, "—"), "to": labels.get(to, to)})
    return step


def _notify(step: RightsStep, case: ArrearsNotice) -> None:
    if step.event:
        _enqueue(case, step.event)


def _enqueue(case: ArrearsNotice, event: str) -> None:
    params = {
        "notice": str(case.pk),
        "amount": f"{case.amount_due:.2f}",
        "months": str(case.unpaid_months),
        "suspend_on": case.suspend_on.isoformat(),
        "suspended_from": case.suspension.starts_on.isoformat() if case.suspension else "",
        "restored_from": case.closed_on.isoformat() if case.closed_on else "",
    }
    notifications_enqueue(event=event, member_ids=[case.member_id], params=params)


def arrears_notice_open(*, actor: Actor, arrears: MemberArrears, on: dt.date, grace_days: int) -> ArrearsNotice:
    """Send the formal notice (the case opens as noticed): a record with its date and amount,
    audited, and the e-mail/SMS queued in the same transaction. The letter is its PDF."""
    step = _step("", S.NOTICED)
    _require(actor, step.permission)
    with transaction.atomic():
        case = ArrearsNotice.objects.create(
            member_id=arrears.member_id,
            noticed_on=on,
            unpaid_months=arrears.unpaid_months,
            first_unpaid_month=arrears.first_unpaid_month,
            amount_due=arrears.amount_due,
            suspend_on=on + dt.timedelta(days=grace_days),
        )
        audit_record(
            actor=actor,
            action=step.action,
            obj=case,
            member_id=case.member_id,
            after=model_snapshot(case),
            note="notice",
        )
        _notify(step, case)
    return case


def _refuse(refused: transitions.Refused[ArrearsNotice, RightsStep]) -> Exception:
    if refused.kind == transitions.Refusal.FORBIDDEN:
        return PermissionDenied(MSG_FORBIDDEN)
    labels = dict(RightsState.choices)
    return RightsRefused(
        MSG_STATE % {"from": labels.get(refused.row.state, "—"), "to": labels.get(refused.to, refused.to)}
    )


def _moved_notify(moved: transitions.Moved[ArrearsNotice, RightsStep], event: str) -> None:
    _enqueue(moved.row, event)


def _moved_note(moved: transitions.Moved[ArrearsNotice, RightsStep]) -> str:
    return f"{moved.frm}->{moved.to}"


# The system (actor None: the worker, the command) may make every step; the member row is locked
# with the case (the suspension is written on it).
CASES = transitions.Machine(
    model=ArrearsNotice, table=RIGHTS_TRANSITIONS, refuse=_refuse, member="member_id", related=("member",),
    notify=_moved_notify, audit_note=_moved_note,
)  # fmt: skip


def rights_transition_apply(*, actor: Actor, case: ArrearsNotice, to: str, on: dt.date) -> ArrearsNotice:
    """Move `case` to `to` as RIGHTS_TRANSITIONS allows, inside the caller's transaction.

    suspended: the rights are suspended from the case's suspension date (members row, read by
    eligibility for the member and every dependant); restored: the suspension ends on `on`, the
    payment date (its dates stay refused); settled: closed on `on`. Audited and notified.
    """

    def _effects(locked: ArrearsNotice) -> list[str]:
        try:
            if to == S.SUSPENDED:
                locked.suspension = rights_suspension_open(member=locked.member, starts_on=locked.suspend_on)
                return ["suspension"]
            if to == S.RESTORED:
                assert locked.suspension is not None  # a suspended case has one (constraint)
                locked.suspension = rights_suspension_close(suspension=locked.suspension, ends_on=on)
            locked.closed_on = on
            return ["closed_on"]
        except ValidationError as e:
            raise RightsRefused(e.messages[0]) from e

    def _after(locked: ArrearsNotice) -> dict[str, Any]:
        after: dict[str, Any] = {"on": on.isoformat()}
        if locked.suspension is not None:
            after["suspension"] = [locked.suspension.starts_on.isoformat(), _iso(locked.suspension.ends_on)]
        return after

    return transitions.transition_apply(CASES, actor=actor, row=case, to=to, changes=_effects, audit_extra=_after)


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


@dataclass
class ReviewResult:
    """What one review did, by step (member ids)."""

    noticed: list[int] = field(default_factory=list)
    suspended: list[int] = field(default_factory=list)
    restored: list[int] = field(default_factory=list)
    settled: list[int] = field(default_factory=list)

    def add(self, other: ReviewResult) -> None:
        for name in ("noticed", "suspended", "restored", "settled"):
            getattr(self, name).extend(getattr(other, name))

    def as_dict(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in ("noticed", "suspended", "restored", "settled")}


def review_candidates(*, as_of: dt.date) -> list[int]:
    """Members the review must look at: in arrears now, or with an open case."""
    ids = {a.member_id for a in member_arrears_list(as_of=as_of)}
    return sorted(ids | set(sel.open_case_member_ids()))


def rights_review_run(*, actor: Actor, as_of: dt.date, member_ids: Sequence[int] | None = None) -> ReviewResult:
    """Review these members (all candidates when None) on `as_of`: notice, suspend, restore, settle.

    Idempotent: a member with an open case gets no second notice, a suspended one is not
    suspended again, and a closed case stays closed.
    """
    _require(actor, REVIEW_PERMISSION)
    ids = review_candidates(as_of=as_of) if member_ids is None else sorted(set(member_ids))
    rules = sel.arrears_rules_on(on=as_of)
    arrears = {a.member_id: a for a in member_arrears_list(as_of=as_of, member_ids=ids)} if ids else {}
    cases = sel.open_cases(member_ids=ids)
    paid = sel.last_payment_dates(member_ids=list(cases), as_of=as_of)
    statuses = sel.member_statuses(member_ids=[m for m in arrears if m not in cases])
    result = ReviewResult()
    for member_id in ids:
        case = cases.get(member_id)
        owed = arrears.get(member_id)
        if case is None:
            if owed is not None and owed.unpaid_months >= rules.notice_months and owed.amount_due > Decimal("0"):
                if statuses.get(member_id) in CONTRIBUTING:
                    arrears_notice_open(actor=actor, arrears=owed, on=as_of, grace_days=rules.grace_days)
                    result.noticed.append(member_id)
            continue
        _case_review(actor=actor, case=case, owed=owed, paid_on=paid.get(member_id), as_of=as_of, result=result)
    return result


def _case_review(
    *, actor: Actor, case: ArrearsNotice, owed: MemberArrears | None, paid_on: dt.date | None, as_of: dt.date,
    result: ReviewResult,
) -> None:  # fmt: skip
    """The next steps of an open case. Paid means no month is unpaid any more; the payment date is
    the member's last payment (never before the suspension's second day: an interval is not empty)."""
    member_id = case.member_id
    paid_day = min(paid_on or as_of, as_of)
    if case.state == S.NOTICED:
        if owed is None and paid_day <= case.suspend_on:
            rights_transition_apply(actor=actor, case=case, to=S.SETTLED, on=paid_day)
            result.settled.append(member_id)
            return
        if as_of < case.suspend_on:
            return
        case = rights_transition_apply(actor=actor, case=case, to=S.SUSPENDED, on=as_of)
        result.suspended.append(member_id)
    if case.state == S.SUSPENDED and owed is None:
        assert case.suspension is not None
        restored_from = max(paid_day, case.suspension.starts_on + _DAY)
        rights_transition_apply(actor=actor, case=case, to=S.RESTORED, on=restored_from)
        result.restored.append(member_id)
