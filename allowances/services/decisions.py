"""The agents' verbs on a request: check (the amounts, deductions and shares are computed then),
approve (a second agent), refuse (a coded reason), send back, mark incomplete, cancel."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allowances.checklist import checklist_missing
from allowances.models import (
    Advance,
    AdvanceState,
    AllowanceDeduction,
    AllowanceRequest,
    AllowanceShare,
    DeductionKind,
    HeirRelation,
    RefusalReason,
    RequestState,
)
from allowances.rules import age_on, from_centimes, months_between, shares_split, to_centimes
from allowances.services.errors import (
    MSG_AGE,
    MSG_MEMBERSHIP,
    MSG_MISSING,
    MSG_NO_PAYEE,
    MSG_NO_RATE,
    MSG_NOTHING_LEFT,
    MSG_PAYEE_RIB,
    MSG_REASON,
    AllowanceError,
)
from allowances.services.requests import rate_in_force
from allowances.services.transitions import allowance_transition_apply
from members.rib import rib_is_valid
from mutuelle.types import Actor

S = RequestState


class DeductionLine(NamedTuple):
    kind: str
    advance_id: int | None
    centimes: int


class Figures(NamedTuple):
    """A request's amounts in centimes: gross, the deductions line by line, net, one amount per share."""

    gross: int
    deductions: list[DeductionLine]
    net: int
    shares: list[int]


def arrears_owed(*, member_id: int, as_of: object) -> Decimal:
    """Unpaid contributions of the member on that day (the contributions ledger's balance)."""
    from contributions.selectors import member_balance

    return Decimal(member_balance(member_id=member_id, as_of=as_of))  # type: ignore[arg-type]


def request_figures(request: AllowanceRequest, shares: list[AllowanceShare]) -> Figures:
    """Gross from the rate of the event's day (per child when the rate says so), the arrears then the
    advances still owed withheld (never more than the gross), the net shared by parts."""
    rate = rate_in_force(type_id=request.type_id, on=request.event_date)
    if rate is None:
        raise AllowanceError(MSG_NO_RATE, code="no_rate")
    gross = to_centimes(rate.amount) * (len(shares) if rate.per_child else 1)
    left, lines = gross, []
    if request.type.deducts_arrears:
        owed = min(left, to_centimes(arrears_owed(member_id=request.member_id, as_of=request.event_date)))
        if owed > 0:
            lines.append(DeductionLine(DeductionKind.ARREARS, None, owed))
            left -= owed
    if request.type.deducts_advances:
        advances = Advance.objects.filter(member_id=request.member_id, state=AdvanceState.PAID).order_by("pk")
        for advance in advances:
            owed = min(left, to_centimes(advance.owed))
            if owed > 0:
                lines.append(DeductionLine(DeductionKind.ADVANCE, advance.pk, owed))
                left -= owed
    return Figures(gross, lines, left, shares_split(left, [s.parts for s in shares]))


def _eligibility(request: AllowanceRequest, shares: list[AllowanceShare]) -> None:
    rate = rate_in_force(type_id=request.type_id, on=request.event_date)
    if rate is None:
        raise AllowanceError(MSG_NO_RATE, code="no_rate")
    months = months_between(request.member.joined_on, request.event_date)
    if months < rate.min_membership_months:
        raise AllowanceError(MSG_MEMBERSHIP % {"months": months, "min": rate.min_membership_months},
                             code=RefusalReason.MEMBERSHIP_TOO_SHORT)  # fmt: skip
    if rate.age_limit is not None:
        for s in shares:
            if (
                s.relation == HeirRelation.CHILD
                and s.birth_date
                and age_on(s.birth_date, request.event_date) > rate.age_limit
            ):
                raise AllowanceError(MSG_AGE % {"name": s.name, "limit": rate.age_limit}, code=RefusalReason.AGE_LIMIT)


def allowance_request_check(*, actor: Actor, request: AllowanceRequest, version: int | None = None) -> AllowanceRequest:
    """received -> checked: the conditions, the checklist and the payees' RIBs verified; gross,
    deductions (one line each) and the shares computed and stored."""

    def _computed(locked: AllowanceRequest) -> list[str]:
        shares = list(locked.shares.order_by("rank"))
        _eligibility(locked, shares)
        missing = checklist_missing(locked)
        if missing:
            names = ", ".join(f"{m.label} ({m.payee})" if m.payee else m.label for m in missing)
            raise AllowanceError(MSG_MISSING % {"missing": names}, code="missing")
        if not shares:
            raise AllowanceError(MSG_NO_PAYEE, code="no_payee")
        if any(not rib_is_valid(s.rib) for s in shares):
            raise AllowanceError(MSG_PAYEE_RIB, code="rib")
        figures = request_figures(locked, shares)
        if figures.net <= 0:
            raise AllowanceError(MSG_NOTHING_LEFT, code=RefusalReason.NOTHING_LEFT)
        AllowanceDeduction.objects.filter(request=locked).delete()
        AllowanceDeduction.objects.bulk_create(
            AllowanceDeduction(request=locked, member_id=locked.member_id, kind=d.kind, advance_id=d.advance_id,
                               amount=from_centimes(d.centimes))
            for d in figures.deductions
        )  # fmt: skip
        for share, amount in zip(shares, figures.shares, strict=True):
            AllowanceShare.objects.filter(pk=share.pk).update(amount=from_centimes(amount))
        locked.gross = from_centimes(figures.gross)
        locked.deductions = from_centimes(sum(d.centimes for d in figures.deductions))
        locked.net = from_centimes(figures.net)
        locked.rate = rate_in_force(type_id=locked.type_id, on=locked.event_date)
        return ["gross", "deductions", "net", "rate"]

    with transaction.atomic(durable=True):
        return allowance_transition_apply(actor=actor, request=request, to=S.CHECKED, version=version,
                                          changes=_computed)  # fmt: skip


def allowance_request_approve(
    *, actor: Actor, request: AllowanceRequest, version: int | None = None
) -> AllowanceRequest:
    """checked -> approved by a second agent, in one transaction with what it withholds: the advances are
    repaid by it (one repayment each) and the arrears are paid into the member's contributions ledger (a
    receipt "deducted from allowance no. …", which queues the rights review: a suspension is lifted from
    the day of the approval, the payment's date, as for any payment)."""
    from allowances.services.advances import advance_repay_apply
    from contributions.services_receipts import receipt_from_allowance_record

    def _repaid(locked: AllowanceRequest) -> list[str]:
        for line in locked.deduction_lines.filter(kind=DeductionKind.ADVANCE, advance__isnull=False):
            assert line.advance_id is not None  # the filter
            advance_repay_apply(actor=actor, advance_id=line.advance_id, amount=line.amount, allowance_request=locked)
        arrears = sum(locked.deduction_lines.filter(kind=DeductionKind.ARREARS).values_list("amount", flat=True))
        if arrears:
            receipt_from_allowance_record(actor=actor, member=locked.member, amount=Decimal(arrears),
                                          request_number=locked.number, received_on=timezone.localdate(),
                                          as_of=locked.event_date)  # fmt: skip
        return []

    with transaction.atomic(durable=True):
        return allowance_transition_apply(actor=actor, request=request, to=S.APPROVED, version=version, changes=_repaid)


def allowance_request_refuse(*, actor: Actor, request: AllowanceRequest, reason: str, note: str = "",
                             version: int | None = None) -> AllowanceRequest:  # fmt: skip
    """A refusal carries its coded reason (the letter gives its label and the route of appeal)."""
    if reason not in RefusalReason.values:
        raise AllowanceError(MSG_REASON, code="reason")

    def _reason(locked: AllowanceRequest) -> list[str]:
        locked.refusal_reason, locked.refusal_note = reason, note[:300]
        return ["refusal_reason", "refusal_note"]

    with transaction.atomic(durable=True):
        return allowance_transition_apply(actor=actor, request=request, to=S.REFUSED, note=note, version=version,
                                          changes=_reason)  # fmt: skip


MSG_SENT_BACK = _("sent back to the checker")


def allowance_request_move(*, actor: Actor, request: AllowanceRequest, to: str, note: str = "",
                           version: int | None = None) -> AllowanceRequest:  # fmt: skip
    """The verbs without computation: incomplete, complete again, sent back, cancelled."""
    if to not in (S.INCOMPLETE, S.RECEIVED, S.CANCELLED):
        raise AllowanceError(MSG_REASON, code="not_allowed")

    def _cleared(locked: AllowanceRequest) -> list[str]:
        if to != S.RECEIVED or locked.checked_by_id is None:
            return []
        # Sent back: the figures are computed again at the next check, by whoever checks then.
        locked.checked_by, locked.checked_at = None, None
        return ["checked_by", "checked_at"]

    with transaction.atomic(durable=True):
        return allowance_transition_apply(actor=actor, request=request, to=to, note=note, version=version,
                                          changes=_cleared)  # fmt: skip
