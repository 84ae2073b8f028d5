"""The answers of the staff endpoints (/api/v1/staff/...), as the OpenAPI document describes them."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict, StrictInt

from claims.api_schemas import ClaimOut, ClaimSummaryOut


class AdministrationOut(Schema):
    code: str
    name_fr: str
    name_ar: str


class MemberSummaryOut(Schema):
    id: int
    membership_number: str
    matricule: str
    status: str
    status_label: str
    administration: str = Field(..., description="the administration's code")
    last_name: str
    first_name: str
    last_name_ar: str
    first_name_ar: str


class BeneficiaryOut(Schema):
    card_number: str
    relation: str
    rank: int
    last_name: str
    first_name: str
    last_name_ar: str
    first_name_ar: str
    birth_date: dt.date
    sex: str
    covered_today: bool
    reason_code: str | None = Field(None, description="why not covered today (null when covered)")
    covered_until: dt.date | None
    school_certificate_until: dt.date | None


class PeriodOut(Schema):
    starts_on: dt.date
    ends_on: dt.date | None


class StatusChangeOut(Schema):
    status: str
    valid_from: dt.date


class AldOut(Schema):
    card_number: str
    code: str
    label: str
    valid_from: dt.date
    valid_to: dt.date | None


class MemberFileOut(Schema):
    id: int
    membership_number: str
    matricule: str
    cin: str
    status: str
    status_label: str
    status_since: dt.date
    joined_on: dt.date
    administration: AdministrationOut
    phone: str
    email: str
    city: str
    region: str
    beneficiaries: list[BeneficiaryOut]
    rights_suspensions: list[PeriodOut] = Field(..., description="suspensions of rights (ends_on: restored from)")
    status_history: list[StatusChangeOut]
    ald: list[AldOut] | None = Field(
        None, description="recognised long-term illnesses: for medical roles only (null otherwise), each read logged"
    )


class StaffClaimSummaryOut(ClaimSummaryOut):
    member_id: int
    membership_number: str
    channel: str


class TransitionOut(Schema):
    from_status: str
    to_status: str
    at: dt.datetime
    reason: str
    reason_code: str


class StaffClaimOut(ClaimOut):
    version: int = Field(..., description="send it back with a decision")
    member_id: int
    membership_number: str
    channel: str
    provider_inpe: str
    transitions: list[TransitionOut] = Field(..., description="the decisions and steps, oldest first")
    diagnosis: str | None = Field(None, description="for medical roles only (null otherwise), each read logged")


class DecisionIn(Schema):
    # Unknown fields are refused, as in the provider's claims: a misspelt field must not pass unseen.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    to: Literal["approved", "rejected", "medical_review"] = Field(..., description="the decision")
    version: StrictInt = Field(..., ge=1, le=2**31, description="the file's version as read (GET)")
    reason: str = Field("", max_length=200, description="said to the member with a rejection")
