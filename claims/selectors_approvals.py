"""The medical controllers' queue of prior approvals waiting for a decision."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from audit.services import AuditAction, AuditRow, audit_events_write
from claims.models import PriorApproval
from claims.selectors_codes import codes_labels
from mutuelle.types import actor_id


def approvals_waiting(*, user: Any) -> QuerySet[PriorApproval]:
    """Requests not decided yet, oldest first, with the member and beneficiary; none without the permission."""
    if not user.has_perm("claims.decide_priorapproval"):
        return PriorApproval.objects.none()
    return (
        PriorApproval.objects.filter(status=PriorApproval.Status.REQUESTED)
        .select_related("member", "beneficiary", "requested_by")
        .order_by("requested_at", "id")
    )


def approvals_labelled(rows: list[PriorApproval]) -> list[PriorApproval]:
    """Each request's code with its label in the current language (`code_label`), one query for all."""
    labels = codes_labels(codes=[(pa.kind, pa.code) for pa in rows])
    for pa in rows:
        code = pa.code.strip().upper()
        # A stay's code is an act of the referentials (its category says stay): either key may hold it.
        label = labels.get((pa.kind, code)) or labels.get(("act", code)) or labels.get((pa.kind, pa.code), "")
        pa.code_label = label  # type: ignore[attr-defined]
    return rows


def approvals_shown(*, user: Any, rows: list[PriorApproval]) -> list[PriorApproval]:
    """The page's requests for display: each code with its label (`code_label`), and the medical
    justification kept for medical roles only, each one read going into the access log (one bulk
    write for the page); cleared on the instances otherwise. Only for rendering, never for a write."""
    approvals_labelled(rows)
    if not user.has_perm("claims.view_medical"):
        for pa in rows:
            pa.justification = ""
        return rows
    read = [AuditRow("claims.priorapproval", str(pa.pk), pa.member_id, None, None, "justification")
            for pa in rows if pa.justification]  # fmt: skip
    audit_events_write(action=AuditAction.VIEW_MEDICAL, rows=read, actor_id=actor_id(user), at=timezone.now())
    return rows


def approvals_of_provider(*, provider: Any, status: str | None = None) -> QuerySet[PriorApproval]:
    """The requests this provider sent through the API, newest first; only its own (another
    provider's number is simply not there). Never for the justification: the views do not show it."""
    rows = PriorApproval.objects.filter(provider=provider).select_related("beneficiary")
    rows = rows.filter(status=status) if status else rows
    return rows.order_by("-requested_at", "-id")
