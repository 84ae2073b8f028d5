"""Every write of the claims app (HackSoft services)."""

from __future__ import annotations

from claims.services.adjudication import adjudicate_received_chunk, claim_adjudicate
from claims.services.intake import claim_create, claim_take_at_counter
from claims.services.workflow import CHECKLIST, TRANSITIONS, ClaimTransitionError, claim_transition

__all__ = [
    "CHECKLIST",
    "TRANSITIONS",
    "ClaimTransitionError",
    "adjudicate_received_chunk",
    "claim_adjudicate",
    "claim_create",
    "claim_take_at_counter",
    "claim_transition",
]
