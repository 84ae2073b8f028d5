"""Every write of the grievances app (keyword-only services, one transaction each)."""

from __future__ import annotations

from grievances.services.answers import (
    Answer,
    LineChange,
    grievance_answer,
    grievance_close,
    grievance_review_start,
    grievance_withdraw,
    revision_adjudicate,
)
from grievances.services.errors import GrievanceError
from grievances.services.filing import Contested, grievance_file, tracking_number_next
from grievances.services.transitions import GRIEVANCE_TRANSITIONS, allowed_targets

__all__ = [
    "GRIEVANCE_TRANSITIONS",
    "Answer",
    "Contested",
    "GrievanceError",
    "LineChange",
    "allowed_targets",
    "grievance_answer",
    "grievance_close",
    "grievance_file",
    "grievance_review_start",
    "grievance_withdraw",
    "revision_adjudicate",
    "tracking_number_next",
]
