"""What a request still misses: each required document of its type, once per payee for a RIB,
once per child paid for a school certificate."""

from __future__ import annotations

from typing import NamedTuple

from allowances.models import AllowanceRequest, HeirRelation
from allowances.models.types import PER_CHILD_DOCUMENTS, PER_PAYEE_DOCUMENTS, DocumentKind


class ChecklistItem(NamedTuple):
    kind: str
    label: str
    payee: str  # the payee's name for a per-payee document, "" otherwise
    share_id: int | None
    present: bool


def request_checklist(request: AllowanceRequest) -> list[ChecklistItem]:
    """Built from the request's prefetched documents and shares (no query of its own if prefetched)."""
    docs = list(request.documents.all())
    shares = list(request.shares.all())
    items: list[ChecklistItem] = []
    for kind in request.type.required_documents or []:
        label = str(DocumentKind(kind).label)
        if kind in PER_PAYEE_DOCUMENTS or kind in PER_CHILD_DOCUMENTS:
            wanted = [s for s in shares if kind in PER_PAYEE_DOCUMENTS or s.relation == HeirRelation.CHILD]
            for s in wanted:
                found = any(d.kind == kind and d.share_id == s.pk for d in docs)
                items.append(ChecklistItem(kind, label, s.name, s.pk, found))
        else:
            items.append(ChecklistItem(kind, label, "", None, any(d.kind == kind for d in docs)))
    return items


def checklist_missing(request: AllowanceRequest) -> list[ChecklistItem]:
    return [item for item in request_checklist(request) if not item.present]
