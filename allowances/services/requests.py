"""Filing a request: the request itself, its payees (heirs, the member, the children) and its documents."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allowances.models import (
    AllowanceRate,
    AllowanceRequest,
    AllowanceShare,
    AllowanceTransition,
    AllowanceType,
    HeirRelation,
    PayeeRule,
    RequestDocument,
    RequestState,
)
from allowances.models.types import DocumentKind
from allowances.rules import age_on
from allowances.services.errors import (
    MSG_BENEFICIARY,
    MSG_DOCUMENT_STATE,
    MSG_DUPLICATE,
    MSG_EVENT_FUTURE,
    MSG_FORBIDDEN,
    MSG_INACTIVE,
    MSG_NO_RATE,
    MSG_PARTS,
    MSG_SHARES_LOCKED,
    MSG_YEAR,
    AllowanceError,
    actor_user,
)
from allowances.services.transitions import FILE, request_notify
from audit.services import AuditAction, audit_record, model_snapshot
from claims.services.documents import DocumentError, attachment_check
from claims.uploads import display_name
from members.models import Beneficiary, Member, Relation
from members.validators import validate_rib
from mutuelle.types import Actor

EDITABLE = (RequestState.RECEIVED, RequestState.INCOMPLETE)
SET_PARTS = "referentials.change_referentials"  # an administrator sets unequal shares


def _require(actor: Actor, perm: str) -> None:
    if actor is None or not actor.has_perm(perm):
        raise AllowanceError(MSG_FORBIDDEN, code="forbidden")


def rate_in_force(*, type_id: int, on: dt.date) -> AllowanceRate | None:
    """The type's rate row of that day (valid_from inclusive, valid_to exclusive)."""
    return (
        AllowanceRate.objects.filter(type_id=type_id, valid_from__lte=on)
        .exclude(valid_to__lte=on)
        .order_by("-valid_from")
        .first()
    )


@dataclass(frozen=True)
class ShareInput:
    """A payee as the agent enters it."""

    relation: str
    name: str
    name_ar: str = ""
    rib: str = ""
    parts: int = 1
    beneficiary_id: int | None = None
    birth_date: dt.date | None = None


def payees_propose(*, member: Member, type: AllowanceType, rate: AllowanceRate, event_date: dt.date,
                   claimant_name: str, beneficiary: Beneficiary | None) -> list[ShareInput]:  # fmt: skip
    """Who is paid, from the member's file: the agent corrects it (parents are not on the file)."""
    people = list(member.beneficiaries.all())
    me = next((b for b in people if b.relation == Relation.SELF), None)

    def of(b: Beneficiary, relation: str, rib: str = "") -> ShareInput:
        return ShareInput(relation, b.full_name, b.full_name_ar, rib, 1, b.pk, b.birth_date)

    if type.payee == PayeeRule.MEMBER:
        return [of(me, HeirRelation.MEMBER, member.rib)] if me else []
    if type.payee == PayeeRule.CLAIMANT:
        return [ShareInput(HeirRelation.CLAIMANT, claimant_name)]
    children = [b for b in people if b.relation == Relation.CHILD]
    if type.payee == PayeeRule.CHILDREN:
        chosen = [beneficiary] if beneficiary is not None and beneficiary.relation == Relation.CHILD else children
        limit = rate.age_limit
        return [of(c, HeirRelation.CHILD) for c in chosen if limit is None or age_on(c.birth_date, event_date) <= limit]
    spouses = [b for b in people if b.relation == Relation.SPOUSE and (b.covered_until is None
               or b.covered_until >= event_date)]  # fmt: skip
    in_school = [
        c for c in children
        if c.disabled or (c.school_certificate_until is not None and c.school_certificate_until >= event_date)
    ]  # fmt: skip
    return [*(of(s, HeirRelation.SPOUSE) for s in spouses), *(of(c, HeirRelation.CHILD) for c in in_school)]


def allowance_request_create(
    *,
    actor: Actor,
    member: Member,
    type: AllowanceType,
    event_date: dt.date,
    claimant_name: str,
    claimant_phone: str = "",
    beneficiary: Beneficiary | None = None,
    year: int | None = None,
    filed_on: dt.date | None = None,
) -> AllowanceRequest:
    """A request received at the counter, with the payees proposed from the member's file; the
    family is told the deadline and the documents still missing (outbox)."""
    _require(actor, FILE)
    today = timezone.localdate()
    filed_on = filed_on or today
    if not type.active:
        raise AllowanceError(MSG_INACTIVE, code="inactive")
    if event_date > today:
        raise AllowanceError(MSG_EVENT_FUTURE, code="event_future")
    if beneficiary is not None and beneficiary.member_id != member.pk:
        raise AllowanceError(MSG_BENEFICIARY, code="beneficiary")
    rate = rate_in_force(type_id=type.pk, on=event_date)
    if rate is None:
        raise AllowanceError(MSG_NO_RATE, code="no_rate")
    if rate.per_year and year is None:
        raise AllowanceError(MSG_YEAR, code="year")
    key = f"{type.code}:{member.pk}" + (f":{year}" if rate.per_year else "")
    if rate.per_child and beneficiary is not None:
        key += f":{beneficiary.pk}"
    existing = AllowanceRequest.objects.filter(dedupe_key=key).exclude(state__in=["refused", "cancelled"]).first()
    if existing is not None:
        raise AllowanceError(MSG_DUPLICATE % {"number": existing.number}, code="duplicate")
    payees = payees_propose(member=member, type=type, rate=rate, event_date=event_date, claimant_name=claimant_name,
                            beneficiary=beneficiary)  # fmt: skip
    try:
        with transaction.atomic(durable=True):
            request = AllowanceRequest.objects.create(
                number=f"TMP{secrets.token_hex(4)}", type=type, member=member, beneficiary=beneficiary,
                event_date=event_date, year=year if rate.per_year else None, filed_on=filed_on,
                deadline=filed_on + dt.timedelta(days=rate.completion_days), claimant_name=claimant_name[:140],
                claimant_phone=claimant_phone[:20], rate=rate, dedupe_key=key, created_at=timezone.now(),
                created_by=actor_user(actor),
            )  # fmt: skip
            request.number = f"AL{request.pk:08d}"
            request.save(update_fields=["number"])
            _shares_write(request=request, payees=payees)
            AllowanceTransition.objects.create(
                request=request, member_id=member.pk, frm="", to=RequestState.RECEIVED, at=request.created_at,
                actor=request.created_by,
            )  # fmt: skip
            audit_record(actor=actor, action=AuditAction.CREATE, obj=request, member_id=member.pk,
                         after=model_snapshot(request))  # fmt: skip
            request_notify(request=request)
    except IntegrityError:  # the same request filed at the same moment by another agent
        raise AllowanceError(MSG_DUPLICATE % {"number": key}, code="duplicate") from None
    return request


def _shares_write(*, request: AllowanceRequest, payees: list[ShareInput]) -> None:
    """The payees by rank: a rank kept keeps its row (and the documents attached to it)."""
    current = {s.rank: s for s in AllowanceShare.objects.filter(request=request)}
    AllowanceShare.objects.filter(request=request, rank__gt=len(payees)).delete()
    for i, p in enumerate(payees, start=1):
        values = {"relation": p.relation, "name": p.name[:140], "name_ar": p.name_ar[:140], "rib": p.rib,
                  "parts": p.parts, "beneficiary_id": p.beneficiary_id, "birth_date": p.birth_date}  # fmt: skip
        if i in current:
            AllowanceShare.objects.filter(pk=current[i].pk).update(**values)
        else:
            AllowanceShare.objects.create(request=request, member_id=request.member_id, rank=i, **values)


def allowance_shares_set(*, actor: Actor, request: AllowanceRequest, payees: list[ShareInput]) -> AllowanceRequest:
    """Replace the payees of a request not yet checked (equal parts unless an administrator sets them)."""
    _require(actor, FILE)
    for p in payees:
        try:
            validate_rib(p.rib)
        except ValidationError as exc:
            raise AllowanceError(exc.messages[0], code="rib") from None
        if p.parts != 1 and not actor.has_perm(SET_PARTS):  # type: ignore[union-attr]
            raise AllowanceError(MSG_PARTS, code="parts")
        if p.parts < 1:
            raise AllowanceError(MSG_PARTS, code="parts")
    with transaction.atomic(durable=True):
        locked = AllowanceRequest.objects.select_for_update().get(pk=request.pk)
        if locked.state not in EDITABLE:
            raise AllowanceError(MSG_SHARES_LOCKED % {"state": RequestState(locked.state).label}, code="state")
        people = set(Beneficiary.objects.filter(member_id=locked.member_id).values_list("pk", flat=True))
        if any(p.beneficiary_id is not None and p.beneficiary_id not in people for p in payees):
            raise AllowanceError(MSG_BENEFICIARY, code="beneficiary")
        before = [f"{s.name} {s.rib} ×{s.parts}" for s in locked.shares.all()]
        _shares_write(request=locked, payees=payees)
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=locked, member_id=locked.member_id,
            before={"payees": before}, after={"payees": [f"{p.name} {p.rib} ×{p.parts}" for p in payees]},
        )  # fmt: skip
    return locked


def allowance_document_add(
    *, actor: Actor, request: AllowanceRequest, kind: str, upload: UploadedFile, share_id: int | None = None
) -> RequestDocument:
    """Store a scan checked by parsing (claims.uploads) under a name of ours; the uploader's name for display only."""
    _require(actor, FILE)
    if kind not in DocumentKind.values:
        raise AllowanceError(MSG_DOCUMENT_STATE % {"state": kind}, code="kind")
    if request.state not in (*EDITABLE, RequestState.CHECKED):
        raise AllowanceError(MSG_DOCUMENT_STATE % {"state": RequestState(request.state).label}, code="state")
    if share_id is not None and not request.shares.filter(pk=share_id).exists():
        raise AllowanceError(MSG_BENEFICIARY, code="share")
    try:
        data, content_type, ext = attachment_check(upload)
    except DocumentError as exc:
        raise AllowanceError(exc.message, code="upload") from None
    relative = f"allowances/{request.member_id}/{secrets.token_hex(16)}{ext}"
    target = settings.PRIVATE_MEDIA_ROOT / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    try:
        with transaction.atomic(durable=True):
            doc = RequestDocument.objects.create(
                request=request, member_id=request.member_id, kind=kind, share_id=share_id,
                original_name=display_name(upload.name, extension=ext), content_type=content_type, size=len(data),
                sha256=hashlib.sha256(data).hexdigest(), path=relative, uploaded_at=timezone.now(),
                uploaded_by=actor_user(actor),
            )  # fmt: skip
            audit_record(actor=actor, action=AuditAction.CREATE, obj=doc, member_id=request.member_id,
                         after=model_snapshot(doc))  # fmt: skip
    except Exception:
        target.unlink(missing_ok=True)
        raise
    return doc


MSG_RIB_STATE = _("Only the RIB of a share still to pay can be corrected.")


def allowance_share_rib_correct(*, actor: Actor, share: AllowanceShare, rib: str) -> AllowanceShare:
    """A new RIB for a share the bank rejected (or not yet paid) of an approved request: the next
    batch pays it there; the rejected RIB itself is never paid again."""
    _require(actor, FILE)
    try:
        validate_rib(rib)
    except ValidationError as exc:
        raise AllowanceError(exc.messages[0], code="rib") from None
    with transaction.atomic(durable=True):
        locked = AllowanceShare.objects.select_for_update().select_related("request").get(pk=share.pk)
        paying = (RequestState.APPROVED, RequestState.IN_PAYMENT)
        if locked.state != "pending" or locked.request.state not in paying or not rib:
            raise AllowanceError(MSG_RIB_STATE, code="state")
        before = {"rib": locked.rib}
        locked.rib = rib
        locked.save(update_fields=["rib"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, member_id=locked.member_id, before=before,
                     after={"rib": rib})  # fmt: skip
    return locked
