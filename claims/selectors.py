"""Reads of the claims app, scoped to the user asking, with related rows fetched."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from audit.services import AuditAction, audit_record
from claims.models import Attachment, Channel, ClaimFile, ClaimLine, ClaimTransition, MedicalNote, PriorApproval
from claims.selectors_approvals import approvals_labelled
from claims.trace import trace_ald_masked

MSG_MEDICAL_REASON = _("reason given by the medical controller (hidden)")


def is_the_member(*, user: Any, member_user_id: int | None) -> bool:
    """The user is the member the data is about (a member's own file, request or certificate)."""
    return member_user_id is not None and getattr(user, "pk", None) is not None and member_user_id == user.pk


def medical_reader(*, user: Any, member_user_id: int | None) -> bool:
    """Reads a file's medical data: a medical role, or the member whose data it is."""
    return is_the_member(user=user, member_user_id=member_user_id) or user.has_perm("claims.view_medical")


def claims_visible(*, user: Any) -> QuerySet[ClaimFile]:
    """Staff with claims.view_claimfile see every file; a provider's user the third-party-payment files
    of that provider (not the members' own files that name it); a member user their own files only."""
    if not getattr(user, "is_authenticated", False):
        return ClaimFile.objects.none()
    if user.has_perm("claims.view_claimfile"):
        return ClaimFile.objects.all()
    if user.provider_id is not None:
        return ClaimFile.objects.filter(provider_id=user.provider_id, channel=Channel.PROVIDER)
    return ClaimFile.objects.filter(member__user=user)


def claim_get(*, user: Any, pk: int) -> ClaimFile:
    """One file with lines, transitions and attachments; 404 when not visible to the user."""
    claim = (
        claims_visible(user=user)
        .select_related("member", "beneficiary", "provider", "created_by")
        .prefetch_related(
            Prefetch("lines", queryset=ClaimLine.objects.order_by("position", "id")),
            Prefetch("transitions", queryset=ClaimTransition.objects.select_related("actor").order_by("version")),
            Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
        )
        .filter(pk=pk)
        .first()
    )
    if claim is None:
        raise Http404
    return claim


def claim_lines_shown(*, user: Any, claim: ClaimFile) -> list[ClaimLine]:
    """The file's lines for display. Without the medical permission a line's long-term illness is
    hidden, in its field and in the engine's trace (the `ald` parameter of its entries, or inside an
    old row's strings "… 100% ALD12"): the code names the condition.
    The prefetched instances are changed: only for rendering, never for a write."""
    lines = list(claim.lines.all())
    if user.has_perm("claims.view_medical"):
        return lines
    for line in lines:
        line.trace = trace_ald_masked(line.trace, line.ald)
        line.ald = ""
    return lines


def claim_transitions_shown(*, user: Any, claim: ClaimFile) -> list[ClaimTransition]:
    """The file's history for display. A medical controller's reason and note on leaving medical review
    are medical: kept for medical roles and for the member whose file it is, cleared for other staff
    (auditors included). The prefetched instances are changed: only for rendering, never for a write."""
    rows = list(claim.transitions.all())
    if medical_reader(user=user, member_user_id=claim.member.user_id):
        return rows
    for row in rows:
        if row.medical and (row.reason or row.note):
            row.reason, row.note, row.reason_code = str(MSG_MEDICAL_REASON), "", ""
    return rows


def medical_note_read(*, user: Any, claim: ClaimFile) -> MedicalNote | None:
    """The diagnosis, for medical controllers only; each read goes into the access log."""
    if not user.has_perm("claims.view_medical"):
        return None
    note = MedicalNote.objects.filter(file=claim).first()
    audit_record(actor=user, action=AuditAction.VIEW_MEDICAL, obj=claim, member_id=claim.member_id, note="diagnosis")
    return note


def attachment_get(*, user: Any, pk: int) -> Attachment:
    """An attachment of a visible file; medical ones only with claims.view_medical (read logged)."""
    att = Attachment.objects.select_related("file").filter(pk=pk, file__in=claims_visible(user=user)).first()
    if att is None or (att.is_medical and not user.has_perm("claims.view_medical")):
        raise Http404
    if att.is_medical:
        audit_record(actor=user, action=AuditAction.VIEW_MEDICAL, obj=att, member_id=att.member_id, note="attachment")
    return att


def review_queue(*, user: Any) -> QuerySet[ClaimFile]:
    return claims_visible(user=user).filter(status="medical_review").select_related("member", "beneficiary")


def prior_approvals_pending(*, user: Any) -> QuerySet[PriorApproval]:
    if not user.has_perm("claims.decide_priorapproval"):
        return PriorApproval.objects.none()
    return PriorApproval.objects.filter(status="requested").select_related("beneficiary", "requested_by")


def prior_approvals_of_member(*, user: Any, member: Any) -> list[PriorApproval]:
    """A member's requests, newest first: for staff who see members' files and for the member.

    The medical justification and the controller's decision note are cleared on the instances
    unless the user may read medical data or is the member: the list is shown at the counter too.
    """
    own = is_the_member(user=user, member_user_id=member.user_id)
    if not own and not user.has_perm("members.view_member"):
        return []
    rows = list(PriorApproval.objects.filter(member_id=member.pk).select_related("beneficiary")[:50])
    if not medical_reader(user=user, member_user_id=member.user_id):
        for row in rows:
            row.justification = row.decision_note = ""
    return approvals_labelled(rows)


def ald_of_member(*, user: Any, member: Any) -> list[Any] | None:
    """Recognised long-term illnesses of a member's beneficiaries with the condition's label, for
    medical controllers only (None for anyone else); each read goes into the access log.

    (recognition, label) pairs, by beneficiary then first day.
    """
    from django.utils.translation import get_language

    from claims.models import AldRecognition
    from referentials.models import AldCondition

    if not user.has_perm("claims.view_medical"):
        return None
    rows = list(
        AldRecognition.objects.filter(member_id=member.pk).select_related("beneficiary", "decided_by")
        .order_by("beneficiary__rank", "valid_from", "id")
    )  # fmt: skip
    column = {"ar": "label_ar", "en": "label_en"}.get((get_language() or "fr")[:2], "label_fr")
    labels = dict(AldCondition.objects.filter(code__in={r.code for r in rows}).values_list("code", column))
    audit_record(actor=user, action=AuditAction.VIEW_MEDICAL, obj=member, member_id=member.pk, note="ald")
    return [(r, labels.get(r.code) or r.code) for r in rows]


def certificate_of_day(*, member: Any, on: Any) -> Any:
    """The member's certificate issued on `on` (one a day), or None: reading it makes none."""
    from claims.models import Certificate

    return Certificate.objects.filter(member=member, issued_on=on, extra_of_day=False).first()
