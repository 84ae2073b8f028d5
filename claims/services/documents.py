"""Attachments (checked by content, stored outside the web root) and PDF documents."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
from typing import Any, NamedTuple

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from audit.services import AuditAction, audit_record, model_snapshot
from claims.models import Attachment, Certificate, ClaimFile, ClaimLine
from claims.selectors import claim_lines_shown, is_the_member
from claims.selectors_codes import codes_labels
from claims.selectors_documents import statement_payment
from claims.uploads import MAX_UPLOAD_BYTES, UploadRefused, display_name, upload_verify
from claims.uploads import MSG_BAD_TYPE as MSG_BAD_TYPE  # re-exported: callers and tests name it here
from engine import REASONS, reason_label
from members.models import Member
from members.selectors import beneficiary_eligibility
from mutuelle.errors import DomainError
from mutuelle.letterhead import letterhead
from mutuelle.types import actor_user

MAX_ATTACHMENT_BYTES = MAX_UPLOAD_BYTES
MSG_TOO_BIG = _("The file is too large: at most %(mb)s MB.")
MSG_EMPTY = _("The file is empty.")
MSG_KIND = _("Unknown attachment kind.")
MSG_NO_FILE = _("Choose the file to attach.")


class DocumentError(DomainError):
    pass


def attachment_check(upload: UploadedFile) -> tuple[bytes, str, str]:
    """The upload's bytes, detected content type and extension; refuses other types and sizes with a clear message.

    The whole file is read by its library (claims.uploads); the uploader's name and
    Content-Type header play no part.
    """
    size = upload.size or 0
    if size > MAX_ATTACHMENT_BYTES:
        raise DocumentError(MSG_TOO_BIG % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)})
    data = upload.read(MAX_ATTACHMENT_BYTES + 1)
    if not data:
        raise DocumentError(MSG_EMPTY)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise DocumentError(MSG_TOO_BIG % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)})
    try:
        verified = upload_verify(data)
    except UploadRefused as exc:
        raise DocumentError(exc.message) from None
    return data, verified.content_type, verified.extension


def attachment_add(
    *, actor: Any, claim: ClaimFile, kind: str, upload: UploadedFile, checked: tuple[bytes, str, str] | None = None
) -> Attachment:
    """Store a scan under PRIVATE_MEDIA_ROOT (`checked`: what attachment_check already returned).

    The stored name is ours (a random token and the extension of the detected type); the
    uploader's name is kept, cleaned and with that extension, for display only.

    The file is written before the row and removed if the row is not saved; a caller's
    transaction rolled back later leaves an unreferenced file (swept by nothing yet), never a
    row without its file.
    """
    if kind not in Attachment.Kind.values:
        raise DocumentError(MSG_KIND)
    data, content_type, ext = checked if checked is not None else attachment_check(upload)
    relative = f"claims/{claim.member_id}/{secrets.token_hex(16)}{ext}"
    shown = display_name(upload.name, extension=ext)
    target = settings.PRIVATE_MEDIA_ROOT / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    try:
        with transaction.atomic():
            att = Attachment.objects.create(
                file=claim, member_id=claim.member_id, kind=kind, original_name=shown,
                content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest(), path=relative,
                uploaded_by=actor_user(actor),
            )  # fmt: skip
            audit_record(
                actor=actor, action=AuditAction.CREATE, obj=att, member_id=claim.member_id, after=model_snapshot(att)
            )
    except Exception:
        target.unlink(missing_ok=True)
        raise
    return att


def pdf_html(template: str, context: dict[str, Any], *, language: str) -> str:
    """The HTML a PDF is made from: every document gets the mutual's letterhead (pdf_base.html) and
    the date it is signed on (today unless the context says)."""
    with translation.override(language):
        return render_to_string(
            template,
            {"letterhead": letterhead(language), "signed_on": timezone.localdate(), **context,
             "LANGUAGE_CODE": language, "RTL": language == "ar"},
        )  # fmt: skip


def pdf_render(template: str, context: dict[str, Any], *, language: str) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=pdf_html(template, context, language=language)).write_pdf())


class StatementLine(NamedTuple):
    line: ClaimLine
    label: str  # the act's label or the medicine's name, "" when the code has none
    reasons: list[str]


def statement_context(*, user: Any, claim: ClaimFile, language: str) -> dict[str, Any]:
    """What the reimbursement statement shows: each line with its code's label and its reasons in the
    document's language, the beneficiary's membership, and how the reimbursement is paid."""
    shown = claim_lines_shown(user=user, claim=claim)  # a long-term illness hidden as on the page
    with translation.override(language):  # the labels of the document's language, not the page's
        labels = codes_labels(codes=[(ln.kind, ln.code) for ln in shown])
    lines = [
        StatementLine(
            ln, labels.get((ln.kind, ln.code), ""), [reason_label(c, language) for c in ln.reasons if c in REASONS]
        )
        for ln in shown
    ]
    return {"claim": claim, "lines": lines, "payment": statement_payment(claim), "today": timezone.localdate()}


def certificate_context(*, certificate: Certificate, member: Member, url: str) -> dict[str, Any]:
    """What the certificate of affiliation shows: the holder, the beneficiaries covered on the day it
    is issued (with their relation, birth date and card), its code and the QR code of its check page."""
    beneficiaries = list(member.beneficiaries.all())
    holder = next(b for b in beneficiaries if b.rank == 0)
    covered = [b for b in beneficiaries if beneficiary_eligibility(beneficiary=b, on=certificate.issued_on).covered]
    return {"cert": certificate, "member": member, "holder": holder, "covered": covered,
            "qr": qr_data_uri(url), "url": url, "signed_on": certificate.issued_on}  # fmt: skip


def qr_data_uri(text: str) -> str:
    import segno

    svg = segno.make(text, error="m").svg_inline(scale=3)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


MSG_CERTIFICATE_FORBIDDEN = _("Only the member or a reception agent can issue a certificate of affiliation.")


def certificate_may_issue(*, user: Any, member: Member) -> bool:
    """The member themself, or staff who keep members' files (not a read-only auditor or manager)."""
    return is_the_member(user=user, member_user_id=member.user_id) or user.has_perm("members.change_member")


def certificate_issue(*, actor: Any, member: Member, days: int = 90) -> Certificate:
    """Today's certificate of the member, made on the first request: asking again the same day, in
    either language, gives the same certificate (same code), and records nothing more."""
    if not certificate_may_issue(user=actor, member=member):
        raise DocumentError(MSG_CERTIFICATE_FORBIDDEN)
    today = timezone.localdate()
    with transaction.atomic():
        cert, created = Certificate.objects.get_or_create(
            member=member, issued_on=today, extra_of_day=False,
            defaults={"code": secrets.token_hex(6).upper(), "valid_until": today + dt.timedelta(days=days),
                      "issued_by": actor_user(actor)},
        )  # fmt: skip
        if created:
            audit_record(
                actor=actor, action=AuditAction.CREATE, obj=cert, member_id=member.pk, after=model_snapshot(cert)
            )
    return cert
