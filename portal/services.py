"""Writes of the member's self-service pages: an online claim with its scans."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Provider
from claims.models import Attachment, Channel, ClaimFile
from claims.services.documents import DocumentError, attachment_add, attachment_check
from claims.services.intake import ClaimIntakeError, LineInput, claim_create
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
