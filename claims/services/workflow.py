"""The claim file workflow: one table of allowed transitions and one service applying it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.masking import MASKED_NOTE
from audit.services import AuditAction, audit_record
from claims.models import ClaimFile, ClaimStatus, ClaimTransition
from claims.services.notify import claim_notify

S = ClaimStatus

# (from, to) -> permission the actor needs. Anything not listed is refused. A received file is
# decided by the engine only (ENGINE_ONLY): a hand-made "adjudicated" would carry no line decision.
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

# Reached only through claim_adjudicate / the adjudication job (services.adjudication, bulk_store),
# which store the line decisions with the status; transition_apply refuses them whoever asks.
ENGINE_ONLY: frozenset[tuple[str, str]] = frozenset({(S.RECEIVED, S.ADJUDICATED)})

# Moved by payment batches (payments.services), never by a button on the file page.
BATCH_ONLY: frozenset[tuple[str, str]] = frozenset(
    {(S.APPROVED, S.IN_PAYMENT), (S.IN_PAYMENT, S.PAID), (S.IN_PAYMENT, S.APPROVED)}
)

# The button of each manual transition, a verb saying what the user does.
VERBS: dict[tuple[str, str], Any] = {
    (S.RECEIVED, S.INCOMPLETE): _("Mark incomplete"),
    (S.RECEIVED, S.CANCELLED): _("Cancel the file"),
    (S.INCOMPLETE, S.RETURNED): _("Return to member"),
    (S.INCOMPLETE, S.RECEIVED): _("Mark complete"),
    (S.INCOMPLETE, S.CANCELLED): _("Cancel the file"),
    (S.RETURNED, S.INCOMPLETE): _("Mark incomplete"),
    (S.RETURNED, S.RECEIVED): _("Mark complete"),
    (S.RETURNED, S.CANCELLED): _("Cancel the file"),
    (S.ADJUDICATED, S.MEDICAL_REVIEW): _("Send to medical review"),
    (S.ADJUDICATED, S.APPROVED): _("Approve"),
    (S.ADJUDICATED, S.REJECTED): _("Reject"),
    (S.ADJUDICATED, S.RECEIVED): _("Reopen for adjudication"),
    (S.MEDICAL_REVIEW, S.APPROVED): _("Approve"),
    (S.MEDICAL_REVIEW, S.REJECTED): _("Reject"),
    (S.MEDICAL_REVIEW, S.ADJUDICATED): _("Back to adjudication"),
}

# The pieces an agent can name when a file is incomplete.
CHECKLIST: dict[str, Any] = {
    "care_sheet": _("Care sheet signed and stamped by the provider"),
    "prescription": _("Prescription"),
    "invoice": _("Detailed invoice or receipt"),
    "lab_results": _("Laboratory or imaging report"),
    "medicine_labels": _("Medicine price stickers (vignettes)"),
    "prior_approval": _("Prior approval"),
    "school_certificate": _("School certificate of the child"),
    "identity": _("Copy of the identity card"),
}
NEEDS_MISSING = (S.INCOMPLETE, S.RETURNED)

MSG_NOT_ALLOWED = _("A file cannot go from “%(from)s” to “%(to)s”.")
MSG_FORBIDDEN = _("You are not allowed to move a file to “%(to)s”.")
MSG_STALE = _("This file was changed by someone else in the meantime. Reload it and try again.")
MSG_MISSING = _("Name at least one missing piece from the checklist.")
MSG_UNKNOWN_PIECE = _("Unknown missing piece: %(piece)s.")
MSG_ENGINE_ONLY = _("Only the adjudication engine decides a received file: press “Adjudicate”.")
MSG_BATCH_ONLY = _("Payment batches move a file to “%(to)s”, not the file page.")
MSG_NOTHING_TO_PAY = _(
    "Nothing is reimbursed on this file (every line is rejected): reject it instead, so that it is closed "
    "and the member sees why."
)


def _nothing_to_pay(claim: ClaimFile, to: str) -> bool:
    """An approved file waits for a payment; one with nothing to reimburse would wait for ever."""
    return to == S.APPROVED and claim.amo + claim.complementary <= 0


class ClaimTransitionError(Exception):
    """A refused transition; `message` is translated, `code` is stable."""

    def __init__(self, message: Any, *, code: str) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code


def _label(status: str) -> str:
    return str(ClaimStatus(status).label)


def transition_allowed(*, actor: Any, claim: ClaimFile, to: str) -> bool:
    perm = TRANSITIONS.get((claim.status, to))
    return perm is not None and (actor is None or actor.has_perm(perm))


def transitions_for(*, actor: Any, claim: ClaimFile) -> list[tuple[str, Any]]:
    """(target, verb) of each button the actor may press on the file page now."""
    return [
        (to, verb)
        for (frm, to), verb in VERBS.items()
        if frm == claim.status and actor.has_perm(TRANSITIONS[frm, to]) and not _nothing_to_pay(claim, to)
    ]


def transition_apply(
    *,
    actor: Any,
    claim: ClaimFile,
    to: str,
    reason: str = "",
    note: str = "",
    expected_version: int | None = None,
    missing: Iterable[str] = (),
    manual: bool = False,
) -> ClaimFile:
    """The transition inside the caller's transaction (row lock, checks, record, audit, notify).

    `manual` is a person's request from the file page: the batch-only moves are refused to it.
    """
    locked = ClaimFile.objects.select_for_update(of=("self",)).select_related("member").get(pk=claim.pk)
    actor_id = getattr(actor, "pk", None)
    if locked.status == to:
        last = locked.transitions.order_by("-version").first()
        if last is not None and last.to_status == to and last.actor_id == actor_id:
            return locked  # a retry of the request that already did it
    if expected_version is not None and expected_version != locked.version:
        raise ClaimTransitionError(MSG_STALE, code="stale")
    if (locked.status, to) in ENGINE_ONLY:
        raise ClaimTransitionError(MSG_ENGINE_ONLY, code="engine_only")
    if manual and (locked.status, to) in BATCH_ONLY:
        raise ClaimTransitionError(MSG_BATCH_ONLY % {"to": _label(to)}, code="batch_only")
    perm = TRANSITIONS.get((locked.status, to))
    if perm is None:
        raise ClaimTransitionError(MSG_NOT_ALLOWED % {"from": _label(locked.status), "to": _label(to)}, code="refused")
    if actor is not None and not actor.has_perm(perm):
        raise ClaimTransitionError(MSG_FORBIDDEN % {"to": _label(to)}, code="forbidden")
    if _nothing_to_pay(locked, to):
        raise ClaimTransitionError(MSG_NOTHING_TO_PAY, code="nothing_to_pay")
    pieces = list(dict.fromkeys(missing))
    for piece in pieces:
        if piece not in CHECKLIST:
            raise ClaimTransitionError(MSG_UNKNOWN_PIECE % {"piece": piece}, code="unknown_piece")
    if to in NEEDS_MISSING:
        pieces = pieces or list(locked.missing_pieces)
        if not pieces:
            raise ClaimTransitionError(MSG_MISSING, code="missing")
    before = {"status": locked.status, "version": locked.version, "missing_pieces": locked.missing_pieces}
    frm = locked.status
    locked.status = to
    locked.version += 1
    if to in NEEDS_MISSING:
        locked.missing_pieces = pieces
    elif to == S.RECEIVED:
        locked.missing_pieces = []
    locked.save(update_fields=["status", "version", "missing_pieces", "updated_at"])
    medical = frm == S.MEDICAL_REVIEW
    ClaimTransition.objects.create(
        file=locked,
        member_id=locked.member_id,
        from_status=frm,
        to_status=to,
        version=locked.version,
        actor=actor if actor_id else None,
        reason=reason[:200],
        note=note,
        medical=medical,
    )
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=locked,
        member_id=locked.member_id,
        before=before,
        after={"status": to, "version": locked.version, "missing_pieces": locked.missing_pieces},
        note=MASKED_NOTE if medical and reason else reason,
    )
    if to in (S.RETURNED, S.APPROVED, S.PAID):
        pk = locked.pk
        transaction.on_commit(lambda: claim_notify(claim_id=pk, event=to))
    return locked


def claim_transition(
    *,
    actor: Any,
    claim: ClaimFile,
    to: str,
    reason: str = "",
    note: str = "",
    expected_version: int | None = None,
    missing: Iterable[str] = (),
    manual: bool = False,
) -> ClaimFile:
    """Move `claim` to `to` if the table allows it and the actor holds the permission.

    Row-locked and version-checked: of two officers acting at once, one succeeds and the
    other gets ClaimTransitionError("stale"). A retry of a request that already succeeded
    (same actor, same target) records nothing more. `actor=None` is the system (bulk jobs).
    """
    with transaction.atomic(durable=True):
        return transition_apply(
            actor=actor,
            claim=claim,
            to=to,
            reason=reason,
            note=note,
            expected_version=expected_version,
            missing=missing,
            manual=manual,
        )
