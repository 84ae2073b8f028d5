"""The simulator's JSON as the OpenAPI document says it: the API checks a body against ScenarioIn
(strictly: no 0 for false, no "1" for 1), then the engine's scenario parser checks the rest
(amounts, codes, dates in time)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from claims.api_schemas import str_or_int
from claims.simulator.services import MAX_LINES


class _Strict(BaseModel):
    # A plain pydantic model: ninja's Schema reads its input as Python objects, where strict mode
    # would refuse the JSON strings of dates.
    model_config = ConfigDict(strict=True)


class ProviderIn(_Strict):
    sector: Literal["public", "private"]
    kind: Literal["doctor", "pharmacy", "lab", "clinic", "hospital"]
    inpe: str | None = Field(None, description="provider's INPE; required when filed by a provider")


class SuspensionIn(_Strict):
    from_: dt.date = Field(..., alias="from", description="first day of the suspension")
    until: dt.date | None = Field(None, description="day the rights are restored (exclusive); null while it lasts")


class BeneficiaryIn(_Strict):
    relation: Literal["self", "spouse", "child"]
    birth_date: dt.date
    member_joined: dt.date
    member_status: Literal["active", "retired", "deceased", "suspended", "resigned"] = "active"
    from_other_amo: bool = False
    student_until: dt.date | None = None
    disabled: bool = False
    ald: list[str] = Field(default_factory=list, description="recognised ALD codes, e.g. ALD08")
    rights_suspended_from: dt.date | None = Field(None, description="a suspension still running (older form)")
    suspensions: list[SuspensionIn] = Field(default_factory=list, description="rights suspensions, past ones too")
    member_died_on: dt.date | None = None


class LineIn(_Strict):
    kind: Literal["act", "medicine", "stay"]
    date: dt.date
    paid: str = Field(..., description="amount paid in MAD, e.g. '200.00'", examples=["200.00"])
    code: str = Field("", description="key letter (C, Cs, K...), act code or medicine code")
    coefficient: Annotated[str | int, BeforeValidator(str_or_int)] = Field(1, description="coefficient of a key letter")
    quantity: int = 1
    unit_price: str | None = Field(None, description="medicine without code: public unit price")
    reference_unit_price: str | None = Field(None, description="... and its generic unit price")
    ald: str | None = None
    prior_approval: str | None = None
    treatment_end: dt.date | None = None
    inpatient: bool = False


class ScenarioIn(_Strict):
    filed_on: dt.date
    filed_by: Literal["member", "provider"]
    provider: ProviderIn
    beneficiary: BeneficiaryIn
    # The parser refuses a file without lines, and the service one with more than the counter takes.
    lines: list[LineIn] = Field(..., min_length=1, max_length=MAX_LINES)


class ReasonOut(Schema):
    code: str
    label: str


class TraceOut(Schema):
    """One engine trace entry: amounts in centimes, rates in basis points, coefficients in hundredths."""

    code: str
    params: dict[str, str | int]


class LineOut(Schema):
    ref: str
    status: Literal["accepted", "reduced", "rejected"]
    paid: str
    basis: str
    amo: str
    complementary: str
    remainder: str
    reasons: list[ReasonOut]
    trace: list[str] = Field(..., description="how the figures were computed, in the asked language")
    trace_codes: list[TraceOut] = Field(..., description="the same trace as the engine's codes and parameters")


class TotalsOut(Schema):
    paid: str
    basis: str
    amo: str
    complementary: str
    remainder: str


class DecisionOut(Schema):
    ref: str
    status: Literal["accepted", "reduced", "rejected"]
    lines: list[LineOut]
    totals: TotalsOut


class FieldErrorOut(Schema):
    field: str
    code: str
    message: str


class ErrorsOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


class MessageOut(Schema):
    detail: str


def inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema with its $defs inlined (for an OpenAPI requestBody)."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return resolve(defs[ref.removeprefix("#/$defs/")])
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    return resolve(schema)
