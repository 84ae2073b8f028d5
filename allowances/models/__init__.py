"""The solidarity (death-fund) allowances: types with dated rates, requests, heirs' shares, advances."""

from __future__ import annotations

from allowances.models.advances import Advance, AdvancePayment, AdvanceRepayment, AdvanceState, RepaymentKind
from allowances.models.requests import (
    AllowanceDeduction,
    AllowanceRequest,
    AllowanceShare,
    AllowanceTransition,
    DeductionKind,
    HeirRelation,
    RefusalReason,
    RequestDocument,
    RequestState,
    SharePayment,
    ShareState,
)
from allowances.models.types import AllowanceRate, AllowanceType, DocumentKind, Event, PayeeRule

__all__ = [
    "Advance",
    "AdvancePayment",
    "AdvanceRepayment",
    "AdvanceState",
    "AllowanceDeduction",
    "AllowanceRate",
    "AllowanceRequest",
    "AllowanceShare",
    "AllowanceTransition",
    "AllowanceType",
    "DeductionKind",
    "DocumentKind",
    "Event",
    "HeirRelation",
    "PayeeRule",
    "RefusalReason",
    "RepaymentKind",
    "RequestDocument",
    "RequestState",
    "SharePayment",
    "ShareState",
]
