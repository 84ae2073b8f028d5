"""Advances on the quote of costly care: requested, approved by a second agent, paid through a
batch, repaid by deduction (from the care's claim, from an allowance) or by instalments."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allowances.models import Advance, AdvanceRepayment, AdvanceState, AllowanceRequest, RepaymentKind
from allowances.services.errors import MSG_FORBIDDEN, MSG_NOT_ALLOWED, AllowanceError, actor_user
from allowances.services.transitions import APPROVE, FILE
from audit.services import AuditAction, audit_record, model_snapshot
from members.models import Beneficiary, Member
from members.validators import validate_rib
from mutuelle.transitions import Machine, Refusal, Refused, Step, transition_apply
from mutuelle.types import Actor

INSTALMENT = "payments.prepare_paymentbatch"  # the accountant records instalments received
MSG_ADVANCE_FOUR_EYES = _("An advance must be approved by another agent than the one who filed it.")
MSG_ADVANCE_AMOUNT = _("The advance must be more than zero and at most the amount of the quote.")
MSG_REPAY_TOO_MUCH = _("This is more than what is still owed on the advance (%(owed)s).")
MSG_CLAIM_NOT_THEIRS = _("No claim file with this number for this member (and patient).")
MSG_CLAIM_TOO_LATE = _("This claim file is already paid, in payment or closed: record an instalment instead.")
MSG_NOT_LINKABLE = _("This advance already has its claim file, or is no longer being repaid.")
# An advance still to be repaid can be tied to its care's claim file (withheld once the advance is paid).
LINKABLE = (AdvanceState.REQUESTED, AdvanceState.APPROVED, AdvanceState.IN_PAYMENT, AdvanceState.PAID)

A = AdvanceState


BY_BATCH = "batch"  # made by payment batches and bank returns only
REQUESTER = "requested_by_id"  # four eyes: the agent who filed the advance may not decide it

# Every state change of an advance, applied by mutuelle.transitions like the other tables.
ADVANCE_TRANSITIONS: dict[tuple[str, str], Step] = {
    (A.REQUESTED, A.APPROVED): Step(APPROVE, stamp="approved", four_eyes=REQUESTER),
    (A.REQUESTED, A.REFUSED): Step(APPROVE, four_eyes=REQUESTER),
    (A.REQUESTED, A.CANCELLED): Step(FILE),
    (A.APPROVED, A.CANCELLED): Step(FILE),
    (A.APPROVED, A.IN_PAYMENT): Step(None, only=BY_BATCH),
    (A.IN_PAYMENT, A.APPROVED): Step(None, only=BY_BATCH),
    (A.IN_PAYMENT, A.PAID): Step(None, only=BY_BATCH),
    (A.PAID, A.REPAID): Step(None, only=BY_BATCH),  # the last repayment
}


def _refuse(refused: Refused[Advance, Step]) -> AllowanceError:
    if refused.kind == Refusal.FORBIDDEN:
        return AllowanceError(MSG_FORBIDDEN, code="forbidden")
    if refused.kind == Refusal.FOUR_EYES:
        return AllowanceError(MSG_ADVANCE_FOUR_EYES, code="four_eyes")
    labels = {"from": A(refused.row.state).label, "to": A(refused.to).label}
    return AllowanceError(MSG_NOT_ALLOWED % labels, code="not_allowed")


# A person's steps are refused to the system and to batches, a batch's to a person (exact_by).
ADVANCES = Machine(
    model=Advance, table=ADVANCE_TRANSITIONS, refuse=_refuse, member="member_id", system_allowed=False, exact_by=True
)


def advance_transition_apply(
    *, actor: Actor, advance_id: int, to: str, note: str = "", by_batch: bool = False
) -> Advance:
    """The one function that moves an advance (caller's transaction), as ADVANCE_TRANSITIONS allows."""

    def refusal_note(row: Advance) -> list[str]:
        if to != A.REFUSED:
            return []
        row.refusal_note = note[:300]
        return ["refusal_note"]

    return transition_apply(
        ADVANCES, actor=actor, row=Advance(pk=advance_id), to=to, note=note,
        by=BY_BATCH if by_batch else None, changes=refusal_note,
    )  # fmt: skip


def advance_create(*, actor: Actor, member: Member, quote_reference: str, quote_amount: Decimal, amount: Decimal,
                   rib: str, instalment: Decimal = Decimal("0.00"),
                   beneficiary: Beneficiary | None = None) -> Advance:  # fmt: skip
    if actor is None or not actor.has_perm(FILE):
        raise AllowanceError(MSG_FORBIDDEN, code="forbidden")
    if not (Decimal("0") < amount <= quote_amount):
        raise AllowanceError(MSG_ADVANCE_AMOUNT, code="amount")
    try:
        validate_rib(rib)
    except ValidationError as exc:
        raise AllowanceError(exc.messages[0], code="rib") from None
    with transaction.atomic(durable=True):
        advance = Advance.objects.create(
            number=f"TMP{secrets.token_hex(4)}", member=member, beneficiary=beneficiary,
            quote_reference=quote_reference[:40], quote_amount=quote_amount, amount=amount, rib=rib,
            instalment=instalment, requested_by=actor_user(actor),
            created_at=timezone.now(),
        )  # fmt: skip
        advance.number = f"AV{advance.pk:08d}"
        advance.save(update_fields=["number"])
        audit_record(actor=actor, action=AuditAction.CREATE, obj=advance, member_id=member.pk,
                     after=model_snapshot(advance))  # fmt: skip
    return advance


def advance_decide(*, actor: Actor, advance: Advance, to: str, note: str = "") -> Advance:
    """A person's verb on an advance: approve, refuse or cancel."""
    with transaction.atomic(durable=True):
        return advance_transition_apply(actor=actor, advance_id=advance.pk, to=to, note=note)


def advance_repay_apply(
    *,
    actor: Actor,
    advance_id: int,
    amount: Decimal,
    kind: str = RepaymentKind.ALLOWANCE,
    allowance_request: AllowanceRequest | None = None,
    claim_id: int | None = None,
    on: dt.date | None = None,
) -> AdvanceRepayment:
    """Record a repayment (caller's transaction); the advance is "repaid" when nothing is owed."""
    locked = Advance.objects.select_for_update().get(pk=advance_id)
    if amount <= 0 or amount > locked.owed or locked.state != A.PAID:
        raise AllowanceError(MSG_REPAY_TOO_MUCH % {"owed": locked.owed}, code="too_much")
    repayment = AdvanceRepayment.objects.create(
        advance=locked, member_id=locked.member_id, kind=kind, amount=amount, on=on or timezone.localdate(),
        allowance_request=allowance_request, claim_id=claim_id, recorded_at=timezone.now(),
        recorded_by=actor_user(actor),
    )  # fmt: skip
    before = model_snapshot(locked)
    locked.repaid = Decimal(locked.repaid) + amount
    locked.save(update_fields=["repaid"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, member_id=locked.member_id, before=before,
                 after=model_snapshot(locked), note=f"repayment {kind}")  # fmt: skip
    if locked.owed == 0:
        advance_transition_apply(actor=actor, advance_id=locked.pk, to=A.REPAID, by_batch=True)
    return repayment


def advance_instalment_record(*, actor: Actor, advance: Advance, amount: Decimal) -> AdvanceRepayment:
    """An instalment received (at the counter or by transfer), recorded by an accountant."""
    if actor is None or not actor.has_perm(INSTALMENT):
        raise AllowanceError(MSG_FORBIDDEN, code="forbidden")
    with transaction.atomic(durable=True):
        return advance_repay_apply(actor=actor, advance_id=advance.pk, amount=amount, kind=RepaymentKind.INSTALMENT)


def advance_claim_link(*, actor: Actor, advance: Advance, claim_number: str) -> Advance:
    """Tie an advance to the claim file of its care: when that file is paid, what it reimburses
    repays the advance first (payments.withholding, allowances.services.payout), never below zero."""
    from claims.models import ClaimFile, ClaimStatus

    if actor is None or not (actor.has_perm(FILE) or actor.has_perm(INSTALMENT)):
        raise AllowanceError(MSG_FORBIDDEN, code="forbidden")
    with transaction.atomic(durable=True):
        locked = Advance.objects.select_for_update().get(pk=advance.pk)
        claim = ClaimFile.objects.filter(number=claim_number.strip(), member_id=locked.member_id).first()
        if claim is None or (locked.beneficiary_id is not None and claim.beneficiary_id != locked.beneficiary_id):
            raise AllowanceError(MSG_CLAIM_NOT_THEIRS, code="claim")
        if claim.status in (ClaimStatus.IN_PAYMENT, ClaimStatus.PAID, ClaimStatus.REJECTED, ClaimStatus.CANCELLED):
            raise AllowanceError(MSG_CLAIM_TOO_LATE, code="claim_state")
        if locked.claim_id is not None or locked.state not in LINKABLE:
            raise AllowanceError(MSG_NOT_LINKABLE, code="not_linkable")
        before = model_snapshot(locked)
        locked.claim = claim
        locked.save(update_fields=["claim"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, member_id=locked.member_id, before=before,
                     after=model_snapshot(locked), note=f"claim {claim.number}")  # fmt: skip
    return locked
