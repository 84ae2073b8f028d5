"""The claim file page's workflow: its buttons, the missing pieces, and one file's transition.

The tables of allowed moves and the writes are the transition service's (claims.services.transitions),
which every caller shares; the names are kept here for the callers that import them from the workflow.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from claims.models import ClaimFile, ClaimStatus
from claims.services.transitions import (
    BATCH_ONLY,
    ENGINE_ONLY,
    MSG_BATCH_ONLY,
    MSG_ENGINE_ONLY,
    MSG_FORBIDDEN,
    MSG_NOT_ALLOWED,
    MSG_STALE,
    TRANSITIONS,
    By,
    ClaimTransitionError,
    Step,
    claims_transition,
    transition_check,
)
from mutuelle.types import actor_id

S = ClaimStatus
__all__ = ["BATCH_ONLY", "ENGINE_ONLY", "MSG_BATCH_ONLY", "MSG_ENGINE_ONLY", "MSG_FORBIDDEN", "MSG_NOT_ALLOWED",
           "MSG_STALE", "TRANSITIONS", "ClaimTransitionError"]  # fmt: skip

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

MSG_MISSING = _("Name at least one missing piece from the checklist.")
MSG_UNKNOWN_PIECE = _("Unknown missing piece: %(piece)s.")
MSG_NOTHING_TO_PAY = _(
    "Nothing is reimbursed on this file (every line is rejected): reject it instead, so that it is closed "
    "and the member sees why."
)


def _nothing_to_pay(claim: ClaimFile, to: str) -> bool:
    """An approved file waits for a payment; one with nothing to reimburse would wait for ever."""
    return to == S.APPROVED and claim.reimbursed <= 0


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
    if locked.status == to:
        last = locked.transitions.order_by("-version").first()
        if last is not None and last.to_status == to and last.actor_id == actor_id(actor):
            return locked  # a retry of the request that already did it
    if expected_version is not None and expected_version != locked.version:
        raise ClaimTransitionError(MSG_STALE, code="stale")
    transition_check(actor=actor, frm=locked.status, to=to, by=By.PERSON if manual else By.SERVICE)
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
    else:
        pieces = [] if to == S.RECEIVED else list(locked.missing_pieces)
    frm, version = locked.status, locked.version + 1
    state = ({"missing_pieces": locked.missing_pieces}, {"missing_pieces": pieces})  # the audit shows both
    also = {} if pieces == list(locked.missing_pieces) else {"missing_pieces": pieces}  # written when changed
    step = Step(locked.pk, locked.member_id, frm, to, version, reason=reason, note=note)
    claims_transition(actor=actor, steps=[step], by=By.PERSON if manual else By.SERVICE, also=also,
                      audit_extra={locked.pk: state}, checked=True)  # fmt: skip
    locked.status, locked.version, locked.missing_pieces = to, version, pieces
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
