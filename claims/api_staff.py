"""Staff endpoints on claim files (/api/v1/staff/claims): the files, their lines and decisions,
for the mutual's own tools, with the pages' permissions (claims.view_claimfile); a staff write
token also decides a file, through the file page's workflow service.

Medical data as on the file page (claims.selectors): a line's long-term illness and the medical
controller's reasons are masked for other roles; the diagnosis comes only to medical roles, and
each read of it goes into the access log (medical_note_read).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from ninja import Path, Query, Router, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate

from accounts.auth_api import api_language, staff_read_auth, staff_write_auth
from claims.api import _money
from claims.api_schemas import MAX_PAGE_SIZE, body_validate, pages_rendered
from claims.api_staff_members import AUTH_ERRORS, MAX_ID, staff_user
from claims.api_staff_schemas import DecisionIn, StaffClaimOut, StaffClaimSummaryOut
from claims.models import ClaimFile, ClaimLine, ClaimStatus, ClaimTransition
from claims.selectors import claim_lines_shown, claim_transitions_shown, claims_visible, medical_note_read
from claims.services.workflow import ClaimTransitionError, claim_transition
from claims.simulator.schemas import ErrorsOut, MessageOut, inline_schema
from claims.trace import trace_texts
from engine import REASONS, reason_label

router = Router(tags=["staff"], auth=staff_read_auth)  # /api/v1/staff/claims

MSG_NO_CLAIM = _("No claim file has this number.")


def _summary(claim: ClaimFile) -> dict[str, Any]:
    return {
        "number": claim.number, "external_ref": claim.external_ref, "card": claim.beneficiary.card_number,
        "filed_on": claim.filed_on, "status": claim.status, "status_label": str(ClaimStatus(claim.status).label),
        "paid": _money(claim.paid), "amo": _money(claim.amo), "complementary": _money(claim.complementary),
        "remainder": _money(claim.remainder), "member_id": claim.member_id,
        "membership_number": claim.member.membership_number, "channel": claim.channel,
    }  # fmt: skip


_ClaimPages = pages_rendered(_summary)


@router.get(
    "",
    response={200: list[StaffClaimSummaryOut], 422: ErrorsOut, **AUTH_ERRORS},
    summary="Claim files, newest first",
    description=(
        "`member`: a member's id (as in /staff/members); `status`: one of the file statuses. Pages of 25 "
        "(`page_size` up to 100). Needs a staff token whose user may read claim files."
    ),
)
@paginate(_ClaimPages, page_size=25, max_page_size=MAX_PAGE_SIZE)
def claim_list(
    request: HttpRequest,
    member: int | None = Query(None, ge=1, le=MAX_ID),
    # Builtin types only: under @paginate the annotations are resolved in ninja's module.
    status: str | None = Query(None, max_length=16, description=f"one of: {', '.join(ClaimStatus.values)}"),
    lang: str | None = Query(None, max_length=8),
) -> Any:
    user = staff_user(request, "claims.view_claimfile")
    if status is not None and status not in ClaimStatus.values:
        # ninja's own 422 (mutuelle.api.validation_failed): the field and its translated message.
        raise ValidationError([{"loc": ("query", "status"), "type": "literal_error"}])
    files = claims_visible(user=user).select_related("beneficiary", "member").order_by("-filed_on", "-id")
    if member is not None:
        files = files.filter(member_id=member)
    return files.filter(status=status) if status else files


def _lines(user: Any, claim: ClaimFile) -> list[dict[str, Any]]:
    lang = get_language() or "fr"
    return [
        {
            "position": ln.position, "kind": ln.kind, "code": ln.code, "care_date": ln.care_date,
            "paid": _money(ln.paid), "status": ln.status, "basis": _money(ln.basis), "amo": _money(ln.amo),
            "complementary": _money(ln.complementary), "remainder": _money(ln.remainder),
            "reasons": [{"code": c, "label": reason_label(c, lang) if c in REASONS else c} for c in ln.reasons],
            "trace": trace_texts(ln.trace),  # masked by claim_lines_shown for non-medical roles
        }
        for ln in claim_lines_shown(user=user, claim=claim)
    ]  # fmt: skip


def _file_read(user: Any, number: str) -> dict[str, Any] | None:
    """The file as the staff endpoints answer it, for `user`; None when there is none visible."""
    claim = (
        claims_visible(user=user)
        .select_related("beneficiary", "member")
        .prefetch_related(
            Prefetch("lines", queryset=ClaimLine.objects.order_by("position", "id")),
            Prefetch("transitions", queryset=ClaimTransition.objects.order_by("version")),
        )
        .filter(number=number.strip().upper()[:20])
        .first()
    )
    if claim is None:
        return None
    note = medical_note_read(user=user, claim=claim)  # None for other roles; a medical read is logged
    return {
        **_summary(claim), "provider_inpe": claim.provider_inpe, "version": claim.version,
        "lines": _lines(user, claim),
        "transitions": [
            {"from_status": t.from_status, "to_status": t.to_status, "at": t.at, "reason": t.reason,
             "reason_code": t.reason_code}
            for t in claim_transitions_shown(user=user, claim=claim)
        ],
        "diagnosis": (note.diagnosis if note else "") if user.has_perm("claims.view_medical") else None,
    }  # fmt: skip


@router.get(
    "/{number}",
    response={200: StaffClaimOut, 404: MessageOut, 422: ErrorsOut, **AUTH_ERRORS},
    summary="A claim file: its lines, amounts and decisions",
    description=(
        "Amounts in MAD as strings with two decimals. A line's long-term illness, the medical controller's "
        "reasons and `diagnosis` only for medical roles; each read of the diagnosis is in the access log. "
        "`version` is what a decision sends back (POST .../decision)."
    ),
)
def claim_file(
    request: HttpRequest, number: str = Path(..., max_length=20), lang: str | None = Query(None, max_length=8)
) -> Status[Any]:
    user = staff_user(request, "claims.view_claimfile")
    with translation.override(api_language(request, lang)):
        found = _file_read(user, number)
        if found is None:
            return Status(404, {"detail": str(MSG_NO_CLAIM)})
        return Status(200, found)


# A refused decision: the file is not where the decision needs it (409), or the role may not take it (403).
_REFUSAL_STATUS = {"forbidden": 403, "stale": 409, "refused": 409, "engine_only": 409, "batch_only": 409,
                   "nothing_to_pay": 409}  # fmt: skip


@router.post(
    "/{number}/decision",
    auth=staff_write_auth,
    response={200: StaffClaimOut, 404: MessageOut, 409: MessageOut, 422: ErrorsOut, **AUTH_ERRORS},
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
        "schema": inline_schema(DecisionIn)}}}},
    summary="Decide a claim file (approve, reject, send to medical review)",
    description=(
        "Needs a staff write token. The same workflow as the file page (claims.services.workflow): the "
        "role's permission for that move, and `version` as read (409 if the file changed since, or if it "
        "is not in a state this decision applies to). Answers the file as decided."
    ),
)  # fmt: skip
def claim_decide(
    request: HttpRequest, number: str = Path(..., max_length=20), lang: str | None = Query(None, max_length=8)
) -> Status[Any]:
    user = staff_user(request, "claims.view_claimfile")
    language = api_language(request, lang)
    with translation.override(language):
        payload = body_validate(request=request, schema=DecisionIn, lang=language)
        if isinstance(payload, Status):
            return payload
        claim = claims_visible(user=user).filter(number=number.strip().upper()[:20]).first()
        if claim is None:
            return Status(404, {"detail": str(MSG_NO_CLAIM)})
        try:
            claim_transition(actor=user, claim=claim, to=payload.to, reason=payload.reason,
                             expected_version=payload.version, manual=True)  # fmt: skip
        except ClaimTransitionError as exc:
            return Status(_REFUSAL_STATUS.get(exc.code or "", 422), {"detail": str(exc.message)})
        return Status(200, _file_read(user, claim.number))
