"""Staff endpoints on members (/api/v1/staff/members): the search of the members list page and a
member's file, for the mutual's own tools, with the pages' permissions.

A staff token (read or write) is needed, and its user must hold what the pages need
(members.view_member). The long-term illnesses (ALD) come only to medical roles, and each read is
logged as on the page (claims.selectors.ald_of_member). Here in claims, not in members: members
imports no claims module, and the file carries the claims app's ALD section.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from ninja import Path, Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from accounts.auth_api import api_language, staff_read_auth
from claims.api_schemas import MAX_PAGE_SIZE, pages_rendered
from claims.api_staff_schemas import MemberFileOut, MemberSummaryOut
from claims.selectors import ald_of_member
from claims.simulator.schemas import ErrorsOut, MessageOut
from members.models import Beneficiary, Member, MemberStatus
from members.selectors import beneficiary_eligibility, member_get, member_lookup

router = Router(tags=["staff"], auth=staff_read_auth)  # /api/v1/staff/members

MSG_STAFF_FORBIDDEN = _("Your role may not read this through the API.")
MSG_NO_MEMBER = _("No member has this number.")
MAX_ID = 2**62  # said in the OpenAPI document: a larger id overflowed the database's integer (a 500)
AUTH_ERRORS: dict[int, Any] = {400: ErrorsOut, 401: MessageOut, 403: MessageOut, 429: MessageOut}


def staff_user(request: HttpRequest, perm: str) -> Any:
    """The token's user, if it holds `perm` (what the page needs); 403 otherwise."""
    user = request.auth.user  # type: ignore[attr-defined]
    if not user.has_perm(perm):
        with translation.override(api_language(request)):
            raise HttpError(403, str(MSG_STAFF_FORBIDDEN))
    return user


def _summary(member: Member) -> dict[str, Any]:
    holder = member.holders[0] if getattr(member, "holders", None) else None  # type: ignore[attr-defined]
    return {
        "id": member.pk, "membership_number": member.membership_number, "matricule": member.matricule,
        "status": member.status, "status_label": str(MemberStatus(member.status).label),
        "administration": member.administration.code,
        "last_name": holder.last_name if holder else "", "first_name": holder.first_name if holder else "",
        "last_name_ar": holder.last_name_ar if holder else "", "first_name_ar": holder.first_name_ar if holder else "",
    }  # fmt: skip


_MemberPages = pages_rendered(_summary)


@router.get(
    "",
    response={200: list[MemberSummaryOut], 422: ErrorsOut, **AUTH_ERRORS},
    summary="Search members (as the members list page)",
    description=(
        "`q`: a membership, card, matricule or CIN number (exact), or words of a name in Latin or Arabic "
        "script (each word starts a word of a beneficiary's name). Pages of 25 (`page_size` up to 100). "
        "Needs a staff token whose user may read members."
    ),
)
@paginate(_MemberPages, page_size=25, max_page_size=MAX_PAGE_SIZE)
def member_list(
    request: HttpRequest, q: str = Query("", max_length=100), lang: str | None = Query(None, max_length=8)
) -> Any:
    user = staff_user(request, "members.view_member")
    return member_lookup(user=user, query=q).rows()


def _beneficiary(ben: Beneficiary, member: Member, today: Any) -> dict[str, Any]:
    ben.member = member  # the prefetched history and suspensions are on this instance
    answer = beneficiary_eligibility(beneficiary=ben, on=today)
    return {
        "card_number": ben.card_number, "relation": ben.relation, "rank": ben.rank, "last_name": ben.last_name,
        "first_name": ben.first_name, "last_name_ar": ben.last_name_ar, "first_name_ar": ben.first_name_ar,
        "birth_date": ben.birth_date, "sex": ben.sex, "covered_today": answer.covered,
        "reason_code": None if answer.covered else answer.reason, "covered_until": ben.covered_until,
        "school_certificate_until": ben.school_certificate_until,
    }  # fmt: skip


def _ald(user: Any, member: Member) -> list[dict[str, Any]] | None:
    found = ald_of_member(user=user, member=member)  # None unless medical; the read is logged
    if found is None:
        return None
    return [
        {"card_number": r.beneficiary.card_number, "code": r.code, "label": str(label), "valid_from": r.valid_from,
         "valid_to": r.valid_to}
        for r, label in found
    ]  # fmt: skip


@router.get(
    "/{member_id}",
    response={200: MemberFileOut, 404: MessageOut, 422: ErrorsOut, **AUTH_ERRORS},
    summary="A member's file: identity, beneficiaries, rights",
    description=(
        "Identity, administration, beneficiaries with whether each is covered today, suspensions of rights "
        "and status history. `ald` (long-term illnesses) only for medical roles, each read in the access log."
    ),
)
def member_file(
    request: HttpRequest, member_id: int = Path(..., ge=1, le=MAX_ID), lang: str | None = Query(None, max_length=8)
) -> Status[Any]:
    user = staff_user(request, "members.view_member")
    with translation.override(api_language(request, lang)):
        try:
            member = member_get(user=user, pk=member_id)
        except Http404:
            return Status(404, {"detail": str(MSG_NO_MEMBER)})
        today = timezone.localdate()
        administration = member.administration
        return Status(200, {
            "id": member.pk, "membership_number": member.membership_number, "matricule": member.matricule,
            "cin": member.cin, "status": member.status, "status_label": str(MemberStatus(member.status).label),
            "status_since": member.status_since, "joined_on": member.joined_on,
            "administration": {"code": administration.code, "name_fr": administration.name_fr,
                               "name_ar": administration.name_ar},
            "phone": member.phone, "email": member.email, "city": member.city, "region": member.region,
            "beneficiaries": [_beneficiary(b, member, today) for b in member.beneficiaries.all()],
            "rights_suspensions": [{"starts_on": s.starts_on, "ends_on": s.ends_on}
                                   for s in sorted(member.rights_suspensions.all(), key=lambda s: s.starts_on)],
            "status_history": [{"status": h.status, "valid_from": h.valid_from}
                               for h in sorted(member.status_history.all(), key=lambda h: (h.valid_from, h.pk))],
            "ald": _ald(user, member),
        })  # fmt: skip
