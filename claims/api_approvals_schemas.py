"""Schemas of the provider's prior-approval API and the words of its refusals.

What goes out never holds the medical justification nor the medical controller's note: a provider
is not a medical role, and the decision it needs is the status, the dates, the quantity and amount
granted, or the refusal's reason code with its label.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import ConfigDict, Field, StrictInt

from claims.api_schemas import MAX_QUANTITY, MESSAGES, IsoDate
from engine import REASONS, reason_label

APPROVAL_MESSAGES: dict[str, Any] = {
    "unknown_code": _("This code is not in the referentials in force on the date of care."),
    "not_needed": _("This act or medicine does not need a prior approval: it is reimbursed without one."),
    "date_out_of_range": _("The date of care is more than 90 days ago or more than a year ahead."),
}
MSG_NO_APPROVAL = _("You have no prior approval request with this number.")
MSG_OTHER_CARD = _("This reference was already used for a request for another card number.")


def approval_field_error(field: str, code: str, lang: str) -> dict[str, str]:
    """One refused field in the active language; an eligibility refusal in the engine's own words."""
    message = APPROVAL_MESSAGES.get(code) or MESSAGES.get(code)
    if message is None and code.upper() in REASONS:
        return {"field": field, "code": code, "message": reason_label(code.upper(), lang)}
    message = message or MESSAGES["invalid_type"]
    return {"field": field, "code": code, "message": str(message)}


class ApprovalIn(Schema):
    # Unknown fields are refused: a misspelt "externalRef" must not request without a reference.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    card_number: str = Field(..., min_length=1, max_length=20, examples=["100001-01"])
    kind: Literal["act", "medicine", "stay"] = Field(..., description="as the referentials name it")
    code: str = Field(
        ..., min_length=1, max_length=32, description="act code (IRM, COURONNE...) or medicine code", examples=["IRM"]
    )
    quantity: StrictInt = Field(1, ge=1, le=MAX_QUANTITY, description="sessions, units or boxes asked")
    care_date: IsoDate | None = Field(None, description="planned date of care, YYYY-MM-DD; today by default")
    external_ref: str = Field(
        ..., min_length=1, max_length=64, description="your own reference of the request: sending it again is safe"
    )
    justification: str = Field(
        "", max_length=2000, description="confidential: read by the medical controllers only, never sent back"
    )


class ApprovalOut(Schema):
    number: str
    external_ref: str
    card_number: str
    kind: str
    code: str
    quantity_requested: int
    care_date: dt.date | None
    status: Literal["requested", "granted", "refused"]
    status_label: str
    requested_at: dt.datetime
    decided_at: dt.datetime | None = Field(None, description="null until decided")
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    quantity_granted: int | None = Field(None, description="when granted")
    amount_granted: str | None = Field(None, description="MAD, when granted", examples=["1000.00"])
    refusal_reason: str | None = Field(None, description="when refused: a stable code")
    refusal_reason_label: str | None = Field(None, description="the reason in the asked language")
