"""Claims data: files and lines with their decisions, transitions, attachments, prior approvals,
medical notes. Every member-scoped table carries `member_id` (DESIGN.md)."""

from __future__ import annotations

from claims.models.documents import Certificate
from claims.models.files import Channel, ClaimFile, ClaimLine, ClaimStatus, ClaimTransition, LineKind, LineStatus
from claims.models.medical import AldRecognition, Attachment, MedicalNote, PriorApproval

__all__ = [
    "AldRecognition",
    "Attachment",
    "Certificate",
    "Channel",
    "ClaimFile",
    "ClaimLine",
    "ClaimStatus",
    "ClaimTransition",
    "LineKind",
    "LineStatus",
    "MedicalNote",
    "PriorApproval",
]
