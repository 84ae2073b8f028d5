"""Writes of the member's self-service pages: an online claim with its scans, a returned file completed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Provider
from claims.models import Attachment, Channel, ClaimFile, ClaimStatus
from claims.selectors import is_the_member
from claims.services import CHECKLIST
from claims.services.documents import DocumentError, attachment_add, attachment_check
from claims.services.intake import ClaimIntakeError, LineInput, claim_create
from claims.services.transitions import By, Reason, Step, claims_transition
from members.models import Beneficiary

MSG_CARE_SHEET = _("Attach the scan of the care sheet: the file cannot be checked without it.")


def portal_claim_submit(
    *,
    user: Any,
    beneficiary: Beneficiary,
    lines: Sequence[LineInput],
    scans: Sequence[tuple[str, Any]],
    provider_inpe: str = "",
    provider_sector: str = "private",
) -> ClaimFile:
    """A received file filed by the member (channel portal) with its scans, all or nothing.

    The scans are checked before anything is written; the file then waits for a claims officer,
    who compares it with the original papers, as files sent by post do. claim_create refuses a
    beneficiary of another member's file.
    """
    if not any(kind == Attachment.Kind.CARE_SHEET for kind, _upload in scans):
        raise ClaimIntakeError(MSG_CARE_SHEET)
    try:
        checked = [(kind, upload, attachment_check(upload)) for kind, upload in scans]
    except DocumentError as exc:
        raise ClaimIntakeError(exc.message) from None
    provider = Provider.objects.filter(inpe=provider_inpe).first() if provider_inpe else None
    written: list[Attachment] = []
    try:
        with transaction.atomic(durable=True):
            claim = claim_create(
                actor=user, beneficiary=beneficiary, filed_on=timezone.localdate(), channel=Channel.PORTAL,
                lines=lines, provider=provider, provider_inpe=provider_inpe, provider_sector=provider_sector,
            )  # fmt: skip
            for kind, upload, data in checked:
                written.append(attachment_add(actor=user, claim=claim, kind=kind, upload=upload, checked=data))
    except Exception:
        for att in written:  # rolled back: the scans already on disk go too
            (settings.PRIVATE_MEDIA_ROOT / att.path).unlink(missing_ok=True)
        raise
    return claim


# The attachment kind a checklist piece is stored as: a lab or imaging report is medical (hidden from
# the staff without the medical permission); pieces with no kind of their own are "other".
PIECE_KINDS: dict[str, str] = {
    "care_sheet": Attachment.Kind.CARE_SHEET,
    "prescription": Attachment.Kind.PRESCRIPTION,
    "invoice": Attachment.Kind.INVOICE,
    "lab_results": Attachment.Kind.MEDICAL_REPORT,
}
MSG_NOT_RETURNED = _("This file is not waiting for pieces from you.")
MSG_PIECE_MISSING = _("Attach a scan of each piece asked for: %(pieces)s.")
MEMBER_COMPLETED = Reason("member_completed", {})


def portal_claim_complete(*, user: Any, claim: ClaimFile, pieces: Mapping[str, Any]) -> ClaimFile:
    """A returned file completed by its member: one scan per missing piece (checked by content, stored
    under our names), then the file goes back to the officers (returned -> received, the member's move
    of the transition table), the missing pieces cleared. All or nothing.

    Refused (ClaimIntakeError) for a file that is not the user's own, not returned, or a piece left out.
    """
    if not is_the_member(user=user, member_user_id=claim.member.user_id):
        raise PermissionDenied
    try:
        checked = {p: (upload, attachment_check(upload)) for p, upload in pieces.items() if upload}
    except DocumentError as exc:
        raise ClaimIntakeError(exc.message) from None
    written: list[Attachment] = []
    try:
        with transaction.atomic(durable=True):
            locked = ClaimFile.objects.select_for_update(of=("self",)).get(pk=claim.pk)
            if locked.status != ClaimStatus.RETURNED:
                raise ClaimIntakeError(MSG_NOT_RETURNED)
            wanted = [p for p in locked.missing_pieces if p in CHECKLIST]
            left = [p for p in wanted if p not in checked]
            if left:
                raise ClaimIntakeError(MSG_PIECE_MISSING % {"pieces": ", ".join(str(CHECKLIST[p]) for p in left)})
            for piece in wanted:
                upload, data = checked[piece]
                kind = PIECE_KINDS.get(piece, Attachment.Kind.OTHER)
                written.append(attachment_add(actor=user, claim=locked, kind=kind, upload=upload, checked=data))
            step = Step(locked.pk, locked.member_id, locked.status, ClaimStatus.RECEIVED, locked.version + 1)
            before_after: tuple[dict[str, Any], dict[str, Any]] = ({"missing_pieces": wanted}, {"missing_pieces": []})
            claims_transition(actor=user, steps=[step], by=By.MEMBER, reason=MEMBER_COMPLETED,
                              also={"missing_pieces": []}, audit_extra={locked.pk: before_after})  # fmt: skip
            locked.status, locked.version, locked.missing_pieces = ClaimStatus.RECEIVED, step.version, []
    except Exception:
        for att in written:  # rolled back: the scans already on disk go too
            (settings.PRIVATE_MEDIA_ROOT / att.path).unlink(missing_ok=True)
        raise
    return locked
