"""Reviewing, answering, closing and withdrawing; an upheld appeal reopens its decision.

An appeal upheld on a rejected claim line never edits an amount: the line is adjudicated again, by
the engine, in a revision claim file (the same beneficiary, provider and filing date, one line: the
contested one with the change the committee approves, e.g. a prior approval granted after the fact
or an entry error corrected). The revision file goes the normal way (adjudicated, approved, paid by
the next payment batch); since the contested line was rejected, it paid nothing, so the revision
pays the difference only, and the engine's duplicate rule refuses a second revision of the same
care once the first is accepted: nothing is paid twice. A payment upheld is issued again through
payments' requeue service. A refused allowance request goes back to review and a suspension of
rights is lifted (grievances.services.reopen).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal

from django.db import transaction

from claims.models import Channel as ClaimChannel
from claims.models import ClaimFile, ClaimLine, ClaimStatus, LineStatus, PriorApproval
from claims.services.adjudication import claim_adjudicate
from claims.services.intake import ClaimIntakeError, LineInput, claim_create
from claims.services.transitions import ClaimTransitionError
from claims.services.workflow import claim_transition
from grievances.models import AnswerReason, Grievance, Kind, Outcome, Status
from grievances.services.errors import (
    MSG_APPROVAL,
    MSG_CHANGE_NEEDED,
    MSG_FORBIDDEN,
    MSG_OUTCOME,
    MSG_PAYMENT_REISSUE,
    MSG_REDUCED_NO_REVISION,
    GrievanceError,
)
from grievances.services.filing import MAX_TEXT
from grievances.services.reopen import allowance_reopen, suspension_lift
from grievances.services.transitions import grievance_transition_apply
from mutuelle.types import Actor
from payments.models import Payment, PaymentState
from payments.services.errors import PaymentError
from payments.services.requeue import payment_requeue_apply

UPHOLDING = (Outcome.UPHELD, Outcome.PARTLY)


@dataclass(frozen=True)
class Answer:
    outcome: str
    reason_code: str
    text: str


@dataclass(frozen=True)
class LineChange:
    """The committee's approved change to the contested line's entry; None keeps what was entered."""

    prior_approval_id: int | None = None
    code: str | None = None
    coefficient: Decimal | None = None
    quantity: int | None = None
    paid: Decimal | None = None
    inpatient: bool | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))


def grievance_review_start(*, actor: Actor, grievance: Grievance, expected_version: int | None = None) -> Grievance:
    with transaction.atomic(durable=True):
        return grievance_transition_apply(
            actor=actor, grievance=grievance, to=Status.IN_REVIEW, expected_version=expected_version
        )


def grievance_close(*, actor: Actor, grievance: Grievance) -> Grievance:
    with transaction.atomic(durable=True):
        return grievance_transition_apply(actor=actor, grievance=grievance, to=Status.CLOSED)


def grievance_withdraw(*, actor: Actor, grievance: Grievance) -> Grievance:
    with transaction.atomic(durable=True):
        return grievance_transition_apply(actor=actor, grievance=grievance, to=Status.WITHDRAWN)


def _answer_checked(answer: Answer) -> None:
    text = answer.text.strip()
    if answer.outcome not in Outcome.values or answer.reason_code not in AnswerReason.values:
        raise GrievanceError(MSG_OUTCOME, code="outcome")
    if not text or len(text) > MAX_TEXT:
        raise GrievanceError(MSG_OUTCOME, code="outcome")


def grievance_answer(
    *,
    actor: Actor,
    grievance: Grievance,
    answer: Answer,
    change: LineChange | None = None,
    expected_version: int | None = None,
) -> Grievance:
    """The answer (a complaint's, or the committee's decision on an appeal) and, for an appeal
    upheld, its effect on the decision. The revision file is adjudicated after the answer commits
    (claim_adjudicate is a transaction of its own); if that fails, the file waits as received for
    the adjudication job, like any file taken in."""
    _answer_checked(answer)
    change = change or LineChange()
    with transaction.atomic(durable=True):

        def changes(locked: Grievance) -> list[str]:
            locked.outcome, locked.reason_code, locked.answer_text = (
                answer.outcome,
                answer.reason_code,
                answer.text.strip(),
            )
            return ["outcome", "reason_code", "answer_text"]

        locked = grievance_transition_apply(
            actor=actor, grievance=grievance, to=Status.ANSWERED, expected_version=expected_version, changes=changes,
            audit_extra={"outcome": answer.outcome, "reason": answer.reason_code},
        )  # fmt: skip
        if locked.kind == Kind.APPEAL and answer.outcome in UPHOLDING:
            _upheld_apply(actor=actor, grievance=locked, change=change)
    if locked.revision_file_id is not None:
        locked.revision_file = revision_adjudicate(actor=actor, grievance=locked)  # as the engine left it
    return locked


def _upheld_apply(*, actor: Actor, grievance: Grievance, change: LineChange) -> None:
    """Inside the answer's transaction: what the upheld appeal reopens."""
    if grievance.claim_line_id is not None:
        line = ClaimLine.objects.select_related("file", "file__beneficiary", "file__provider").get(
            pk=grievance.claim_line_id
        )
        if line.status == LineStatus.REDUCED:
            if not change.is_empty():
                raise GrievanceError(MSG_REDUCED_NO_REVISION, code="reduced")
            return
        if change.is_empty():
            raise GrievanceError(MSG_CHANGE_NEEDED, code="change")
        grievance.revision_file = _revision_create(actor=actor, grievance=grievance, line=line, change=change)
        grievance.save(update_fields=["revision_file"])
    elif grievance.payment_id is not None:
        if actor is not None and not actor.has_perm("payments.prepare_paymentbatch"):
            raise GrievanceError(MSG_FORBIDDEN, code="forbidden")
        payment = Payment.objects.get(pk=grievance.payment_id)
        if payment.state != PaymentState.REJECTED:
            raise GrievanceError(MSG_PAYMENT_REISSUE % {"state": PaymentState(payment.state).label}, code="payment")
        try:
            payment_requeue_apply(actor=actor, payment=payment)
        except PaymentError as exc:
            raise GrievanceError(exc.message, code=exc.code) from None
    elif grievance.allowance_request_id is not None:
        allowance_reopen(actor=actor, grievance=grievance)
    elif grievance.suspension_id is not None:
        suspension_lift(actor=actor, grievance=grievance)


def _revision_create(*, actor: Actor, grievance: Grievance, line: ClaimLine, change: LineChange) -> ClaimFile:
    file = line.file
    if change.prior_approval_id is not None:
        approval = PriorApproval.objects.filter(
            pk=change.prior_approval_id, status=PriorApproval.Status.GRANTED, beneficiary_id=file.beneficiary_id,
            kind=line.kind,
        ).first()  # fmt: skip
        if approval is None or approval.code != (change.code or line.code):
            raise GrievanceError(MSG_APPROVAL, code="approval")
    keep = {f: getattr(change, f) for f in ("code", "coefficient", "quantity", "paid", "inpatient")}
    entry = LineInput(
        kind=line.kind, care_date=line.care_date, treatment_end=line.treatment_end, unit_price=line.unit_price,
        ald=line.ald, prior_approval_id=change.prior_approval_id or line.prior_approval_id,
        **{name: line.__dict__[name] if value is None else value for name, value in keep.items()},
    )  # fmt: skip
    by_provider = file.channel == ClaimChannel.PROVIDER
    try:
        return claim_create(
            actor=actor, beneficiary=file.beneficiary, filed_on=file.filed_on,
            channel=ClaimChannel.PROVIDER if by_provider else ClaimChannel.COUNTER, lines=[entry],
            provider=file.provider, provider_inpe=file.provider_inpe, provider_sector=file.provider_sector,
            provider_kind=file.provider_kind,
        )  # fmt: skip
    except ClaimIntakeError as exc:
        raise GrievanceError(exc.message, code="intake") from None


def revision_adjudicate(*, actor: Actor, grievance: Grievance) -> ClaimFile | None:
    """The revision file through the engine, then approved when it reimburses something (the
    committee's decision is the approval's ground); left for an officer otherwise (medical review,
    or still rejected: the officer rejects it). Safe to call again."""
    if grievance.revision_file_id is None:
        return None
    revision = ClaimFile.objects.get(pk=grievance.revision_file_id)
    try:
        if revision.status == ClaimStatus.RECEIVED:
            revision = claim_adjudicate(actor=actor, claim=revision)
        if revision.status == ClaimStatus.ADJUDICATED and revision.reimbursed > 0:
            revision = claim_transition(actor=actor, claim=revision, to=ClaimStatus.APPROVED, reason=grievance.number)
    except ClaimTransitionError:
        pass  # the actor may not adjudicate or approve: the file waits in the officers' queue
    return revision
