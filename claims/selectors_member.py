"""The claim files section of a member's file (members.sections, registered in claims.apps)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from claims.models import ClaimFile
from claims.selectors import claims_visible

# The latest files on the member's page; the claims list (searched by membership number) has them all.
MEMBER_FILES_SHOWN = 20


@dataclass(frozen=True)
class MemberClaims:
    files: list[ClaimFile]  # the latest MEMBER_FILES_SHOWN, newest first
    count: int  # all of the member's files the reader may see
    paid: Decimal
    amo: Decimal
    complementary: Decimal
    remainder: Decimal


def claims_of_member(*, user: Any, member: Any) -> MemberClaims | None:
    """The member's claim files as `user` may see them (claims_visible: staff with the claims
    permission, the member themself), with the count and the sums of all of them; None when the
    reader sees none of the member's files by right (the section is left out). Two queries."""
    if not (user.has_perm("claims.view_claimfile") or member.user_id == user.pk):
        return None
    files = claims_visible(user=user).filter(member=member)
    totals = files.aggregate(
        count=Count("id"), paid=Sum("paid"), amo=Sum("amo"), complementary=Sum("complementary"),
        remainder=Sum("remainder"),
    )  # fmt: skip
    shown = list(files.select_related("beneficiary").order_by("-filed_on", "-id")[:MEMBER_FILES_SHOWN])
    zero = Decimal("0.00")
    return MemberClaims(
        files=shown, count=totals["count"], paid=totals["paid"] or zero, amo=totals["amo"] or zero,
        complementary=totals["complementary"] or zero, remainder=totals["remainder"] or zero,
    )  # fmt: skip
