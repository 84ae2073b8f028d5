"""Reads of the member's self-service pages: always the logged-in member's own file."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from claims.models import ClaimFile
from members.models import Member
from members.selectors import member_get


def portal_member(*, user: Any) -> Member:
    """The user's own member file, with beneficiaries and status history; 403 for a user without one."""
    user_pk = getattr(user, "pk", None)
    pk = Member.objects.filter(user_id=user_pk).values_list("pk", flat=True).first() if user_pk else None
    if pk is None:
        raise PermissionDenied
    return member_get(user=user, pk=pk)


def portal_recent_claims(*, member: Member, limit: int = 10) -> list[ClaimFile]:
    # The template reads ClaimFile.reimbursed and has_statement of each.
    return list(
        ClaimFile.objects.filter(member_id=member.pk).select_related("beneficiary").order_by("-filed_on", "-id")[:limit]
    )
