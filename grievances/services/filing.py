"""Filing a complaint or an appeal: checked, numbered at once, due date set, acknowledged.

Who files: the member in the portal (their own decisions only), an agent for the member at the
counter or on the phone (grievances.add_grievance), a provider through the API (its own
third-party-payment files only). The acknowledgement (e-mail and SMS) is an outbox job queued in
the same transaction as the row: both commit or neither.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Provider
from allowances.models import AllowanceRequest
from audit.services import AuditAction, audit_record
from claims.models import Channel as ClaimChannel
from claims.models import ClaimLine, ClaimStatus, LineStatus
from claims.services.documents import DocumentError, attachment_check
from claims.uploads import display_name
from grievances.models import Channel, Grievance, GrievanceAttachment, GrievanceCategory, Kind, Status
from grievances.services.errors import (
    MSG_ALREADY_APPEALED,
    MSG_APPEAL_NEEDS_DECISION,
    MSG_CATEGORY,
    MSG_FORBIDDEN,
    MSG_LINE_ACCEPTED,
    MSG_NOT_FINAL,
    MSG_NOT_YOURS,
    MSG_TEXT,
    MSG_TOO_MANY_FILES,
    GrievanceError,
)
from grievances.services.transitions import ADD, grievance_notify
from grievances.workdays import due_date
from members.models import Member, RightsSuspension
from mutuelle.bulk import serialised_section
from mutuelle.types import Actor, actor_user
from payments.models import Payment
from referentials.selectors import public_holidays_between

_NUMBER_LOCK = 0x47524956  # "GRIV": tracking numbers are allocated one writer at a time
PREFIX = {Kind.COMPLAINT: "RC", Kind.APPEAL: "RE"}
MAX_TEXT = 4000
MAX_FILES = 5
# A claim file's decision is final (and may be appealed) once it is approved or rejected.
FINAL = (ClaimStatus.APPROVED, ClaimStatus.IN_PAYMENT, ClaimStatus.PAID, ClaimStatus.REJECTED)


@dataclass(frozen=True)
class Contested:
    """The decision a grievance is about: at most one of these (exactly one for an appeal)."""

    claim_line: ClaimLine | None = None
    payment: Payment | None = None
    allowance_request: AllowanceRequest | None = None
    suspension: RightsSuspension | None = None

    def rows(self) -> list[Any]:
        return [r for r in (self.claim_line, self.payment, self.allowance_request, self.suspension) if r is not None]


def _holidays(today: dt.date, days: int) -> frozenset[dt.date]:
    # Wide enough for any target: each working day is at most 3 calendar days on (a weekend), and
    # a run of holidays (two days of Eid beside a weekend) adds a few more.
    return public_holidays_between(start=today, end=today + dt.timedelta(days=3 * days + 30))


def tracking_number_next(*, kind: str, on: dt.date) -> str:
    """RC26-000123 (complaint) or RE26-000045 (appeal): kind, year, then the year's next number of that kind.

    Inside the caller's transaction: an advisory lock makes writers take numbers one at a time on
    PostgreSQL (SQLite writers are serialised already); the unique constraint backs it."""
    serialised_section(_NUMBER_LOCK)
    prefix = f"{PREFIX[Kind(kind)]}{on:%y}-"
    top = Grievance.objects.filter(number__startswith=prefix).aggregate(top=Max("number"))["top"]
    return f"{prefix}{int(top[len(prefix) :]) + 1 if top else 1:06d}"


def _may_file(*, actor: Actor, member: Member, channel: str, provider: Provider | None) -> bool:
    if actor is None:
        return True  # the system: demo data
    if channel == Channel.PORTAL:
        user = actor_user(actor)
        return user is not None and member.user_id == user.pk
    if channel == Channel.API:
        return provider is not None and getattr(actor, "provider_id", None) == provider.pk
    return bool(actor.has_perm(ADD))


def _decision_checked(*, member: Member, kind: str, contested: Contested, provider: Provider | None) -> None:
    rows = contested.rows()
    if len(rows) > 1 or (kind == Kind.APPEAL and not rows):
        raise GrievanceError(MSG_APPEAL_NEEDS_DECISION, code="decision")
    if not rows:
        return
    if any(r.member_id != member.pk for r in rows):
        raise GrievanceError(MSG_NOT_YOURS, code="not_yours")
    line = contested.claim_line
    if line is not None:
        file = line.file
        if provider is not None and (file.provider_id != provider.pk or file.channel != ClaimChannel.PROVIDER):
            raise GrievanceError(MSG_NOT_YOURS, code="not_yours")
        if kind == Kind.APPEAL and file.status not in FINAL:
            raise GrievanceError(MSG_NOT_FINAL, code="not_final")
        if kind == Kind.APPEAL and line.status == LineStatus.ACCEPTED:
            raise GrievanceError(MSG_LINE_ACCEPTED, code="accepted")
    elif provider is not None:
        raise GrievanceError(MSG_NOT_YOURS, code="not_yours")  # a provider contests its own claims only
    if kind == Kind.APPEAL:
        found = _live_appeal(contested)
        if found is not None:
            raise GrievanceError(MSG_ALREADY_APPEALED % {"number": found}, code="duplicate")


def _live_appeal(contested: Contested) -> str | None:
    pairs = (("claim_line", contested.claim_line), ("payment", contested.payment),
             ("allowance_request", contested.allowance_request), ("suspension", contested.suspension))  # fmt: skip
    lookups = {name: row for name, row in pairs if row is not None}
    found = Grievance.objects.filter(kind=Kind.APPEAL, **lookups).exclude(status=Status.WITHDRAWN)
    return found.values_list("number", flat=True).first()


def grievance_file(
    *,
    actor: Actor,
    member: Member,
    kind: str,
    category: GrievanceCategory,
    channel: str,
    text: str,
    contested: Contested | None = None,
    uploads: Sequence[UploadedFile] = (),
    provider: Provider | None = None,
    now: dt.datetime | None = None,
) -> Grievance:
    """A new complaint or appeal with its tracking number, due date, attachments and acknowledgement."""
    contested = contested or Contested()
    if not _may_file(actor=actor, member=member, channel=channel, provider=provider):
        raise GrievanceError(MSG_FORBIDDEN, code="forbidden")
    if kind not in Kind.values or category.kind != kind or not category.active:
        raise GrievanceError(MSG_CATEGORY, code="category")
    words = text.strip()
    if not words or len(words) > MAX_TEXT:
        raise GrievanceError(MSG_TEXT, code="text")
    if len(uploads) > MAX_FILES:
        raise GrievanceError(MSG_TOO_MANY_FILES % {"n": MAX_FILES}, code="files")
    try:
        checked = [(u, attachment_check(u)) for u in uploads]  # every file read whole before anything is kept
    except DocumentError as exc:
        raise GrievanceError(exc.message, code="file") from None
    now = now or timezone.now()
    today = timezone.localdate(now)
    written: list[Any] = []
    try:
        with transaction.atomic(durable=True):
            _decision_checked(member=member, kind=kind, contested=contested, provider=provider)
            grievance = Grievance.objects.create(
                number=tracking_number_next(kind=kind, on=today), kind=kind, category=category, channel=channel,
                member=member, claim_line=contested.claim_line, payment=contested.payment,
                allowance_request=contested.allowance_request, suspension=contested.suspension, text=words,
                filed_by=actor_user(actor), provider=provider, filed_at=now, filed_on=today,
                due_on=due_date(filed_on=today, days=category.target_days, working_days=category.working_days,
                                holidays=_holidays(today, category.target_days)),
            )  # fmt: skip
            for upload, (data, content_type, ext) in checked:
                written.append(_attachment_store(actor, grievance, upload, data, content_type, ext))
            audit_record(
                actor=actor, action=AuditAction.CREATE, obj=grievance, member_id=member.pk,
                after={"number": grievance.number, "kind": kind, "category": category.code, "channel": channel,
                       "decision": grievance.decision.value, "due_on": grievance.due_on.isoformat(),
                       "attachments": len(checked)},
            )  # fmt: skip
            grievance_notify(grievance=grievance)  # the acknowledgement, in this transaction
    except IntegrityError:
        for path in written:
            path.unlink(missing_ok=True)
        found = _live_appeal(contested) if kind == Kind.APPEAL else None
        if found is None:
            raise
        raise GrievanceError(MSG_ALREADY_APPEALED % {"number": found}, code="duplicate") from None
    except Exception:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return grievance


def _attachment_store(
    actor: Actor, grievance: Grievance, upload: UploadedFile, data: bytes, content_type: str, ext: str
) -> Any:
    """The file under PRIVATE_MEDIA_ROOT with a name of ours; the uploader's name for display only."""
    relative = f"grievances/{grievance.member_id}/{secrets.token_hex(16)}{ext}"
    target = settings.PRIVATE_MEDIA_ROOT / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    GrievanceAttachment.objects.create(
        grievance=grievance, member_id=grievance.member_id, display_name=display_name(upload.name, extension=ext),
        content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest(), path=relative,
        uploaded_by=actor_user(actor),
    )  # fmt: skip
    return target
