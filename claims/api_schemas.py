"""Schemas of the provider API (eligibility, third-party-payment claim files) and its error format.

Input is validated by these pydantic models; every error is reported as {field, code, message},
the message in the caller's language, like the simulator's errors (claims.simulator).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar

import pydantic
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import Schema, Status
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt
from pydantic_core import PydanticCustomError

from claims.simulator.services import ERROR_MESSAGES
from engine.money import AmountError, to_centimes, to_hundredths

MAX_LINES = 30  # as at the counter
MAX_PAID = Decimal("1000000.00")  # far above any line; keeps files within the database's 12 digits
MAX_COEFFICIENT = Decimal("9999.99")
MAX_QUANTITY = 10_000

MESSAGES: dict[str, Any] = {
    **ERROR_MESSAGES,
    "text_too_long": _("This text is too long."),
    "too_few_lines": _("A claim file needs at least one line."),
    "too_many_lines": _("A claim file has at most 30 lines."),
    "too_large_number": _("This number is too large."),
    "unknown_field": _("This field is not part of the API."),
    "unknown_card": _("No beneficiary has this card number."),
    "future_date": _("The date of care cannot be after today."),
    "unknown_ald": _("This is not a long-term illness (ALD) code of the list in force on the date of care."),
}

# pydantic's error types -> our stable codes (anything else: invalid_type)
_PYDANTIC_CODES = {
    "missing": "required",
    "string_too_short": "required",
    "string_too_long": "text_too_long",
    "too_short": "too_few_lines",
    "too_long": "too_many_lines",
    "int_parsing": "invalid_integer",
    "int_type": "invalid_integer",
    "bool_type": "invalid_boolean",
    "int_from_float": "invalid_integer",
    "bool_parsing": "invalid_boolean",
    "date_parsing": "invalid_date",
    "date_from_datetime_parsing": "invalid_date",
    "date_from_datetime_inexact": "invalid_date",
    "date_type": "invalid_date",
    "literal_error": "invalid_choice",
    "greater_than_equal": "must_be_positive",
    "greater_than": "must_be_positive",
    "less_than_equal": "too_large_number",
    "extra_forbidden": "unknown_field",
}


def _amount(value: str) -> str:
    """A decimal string of MAD with at most two decimals, not negative, within MAX_PAID."""
    try:
        centimes = to_centimes(value)
    except AmountError as exc:
        raise PydanticCustomError(str(exc), "bad amount") from None
    if centimes > MAX_PAID * 100:
        raise PydanticCustomError("too_large", "too large")
    return value.strip()


def _coefficient(value: str | int) -> str:
    try:
        hundredths = to_hundredths(value)
    except AmountError as exc:
        raise PydanticCustomError(str(exc), "bad coefficient") from None
    if hundredths <= 0:
        raise PydanticCustomError("must_be_positive", "not positive")
    if hundredths > MAX_COEFFICIENT * 100:
        raise PydanticCustomError("too_large_number", "too large")
    return str(value).strip()


def _iso_date(value: Any) -> Any:
    """A JSON string YYYY-MM-DD, as the schema's `format: date` says; pydantic alone also takes
    numbers (Unix times) and date-times at midnight."""
    if not isinstance(value, str) or len(value.strip()) != 10:
        raise PydanticCustomError("invalid_date", "not a date")
    return value


def str_or_int(value: Any) -> Any:
    """A string or a JSON integer, as the schema says (pydantic alone takes true as 1)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise PydanticCustomError("invalid_type", "not a string or an integer")
    return value


Amount = Annotated[str, AfterValidator(_amount)]
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class _Strict(Schema):
    # Unknown fields are refused: a misspelt "external_reference" must not file without one.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ClaimLineIn(_Strict):
    kind: Literal["act", "medicine"]
    code: str = Field("", max_length=32, description="act code (CONS-G...), key letter (C, Cs, K...) or medicine")
    care_date: IsoDate = Field(..., description="date of care, YYYY-MM-DD")
    paid: Amount = Field(..., description="amount paid in MAD, as a string", examples=["150.00"])
    coefficient: Annotated[str | int, BeforeValidator(str_or_int), AfterValidator(_coefficient)] = Field(
        "1", description="coefficient of a key letter", examples=["1", "1.5"]
    )
    quantity: StrictInt = Field(1, ge=1, le=MAX_QUANTITY)
    unit_price: Amount | None = Field(None, description="public unit price of a medicine without code")
    # Strict: 0, 1, "true" or "no" are refused as the schema's boolean says (pydantic took them).
    inpatient: StrictBool = Field(False, description="care given during a hospital stay")
    ald: str = Field(
        "", max_length=16, description="long-term illness (ALD) of the care, e.g. ALD12 (ALD-12, ald 12 accepted)"
    )


class ClaimIn(_Strict):
    card: str = Field(..., min_length=1, max_length=20, description="beneficiary's card number", examples=["100001-01"])
    external_ref: str = Field(
        ..., min_length=1, max_length=64, description="your own reference of the file: sending it again is safe"
    )
    diagnosis: str = Field("", max_length=2000, description="confidential: read by the medical controllers only")
    lines: list[ClaimLineIn] = Field(..., min_length=1, max_length=MAX_LINES)


class EligibilityOut(Schema):
    card: str
    on: dt.date
    last_name: str
    first_name: str
    last_name_ar: str
    first_name_ar: str
    covered: bool
    reason_code: str | None = Field(None, description="why not covered (null when covered)")
    reason: str = Field("", description="the reason in the asked language (empty when covered)")


class ReasonOut(Schema):
    code: str
    label: str


class ClaimLineOut(Schema):
    position: int
    kind: str
    code: str
    care_date: dt.date
    paid: str
    status: Literal["pending", "accepted", "reduced", "rejected"]
    basis: str
    amo: str
    complementary: str
    remainder: str
    reasons: list[ReasonOut]
    trace: list[str] = Field(
        default_factory=list,
        description="how the figures were computed, one sentence per rule, in the asked language "
        "(a long-term illness code is hidden)",
    )


class ClaimSummaryOut(Schema):
    number: str
    external_ref: str
    card: str
    filed_on: dt.date
    status: str
    status_label: str
    paid: str
    amo: str
    complementary: str
    remainder: str


class ClaimOut(ClaimSummaryOut):
    lines: list[ClaimLineOut]


def _path(loc: tuple[Any, ...]) -> str:
    """("lines", 0, "paid") -> "lines[0].paid", as the simulator names fields."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def field_error(field: str, code: str) -> dict[str, str]:
    """One error in the active language."""
    return {"field": field, "code": code, "message": str(MESSAGES.get(code, ERROR_MESSAGES["invalid_type"]))}


def field_errors(errors: Iterable[Mapping[str, Any]], lang: str, *, drop: int = 0) -> list[dict[str, str]]:
    """pydantic's (or ninja's) errors as translated field errors; `drop` leading parts of each location
    (ninja prefixes "query", "body"...)."""
    out = []
    with translation.override(lang):
        for err in errors:
            kind = str(err.get("type", ""))
            code = _PYDANTIC_CODES.get(kind) or (kind if kind in MESSAGES else "invalid_type")
            out.append(field_error(_path(tuple(err.get("loc", ()))[drop:]), code))
    return out


MSG_BAD_REQUEST = _("The request has errors; see each field.")
BodySchema = TypeVar("BodySchema", bound=pydantic.BaseModel)


def body_validate(*, request: HttpRequest, schema: type[BodySchema], lang: str) -> BodySchema | Status[Any]:
    """The POST body read as `schema`, or the refusal to send back: 400 for a body that is not JSON,
    422 with every bad field translated. The endpoints that take a JSON body share this first step."""
    try:
        data = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return Status(400, {"detail": str(MSG_BAD_REQUEST), "errors": [field_error("", "invalid_json")]})
    try:
        return schema.model_validate(data)
    except pydantic.ValidationError as exc:
        return Status(422, {"detail": str(MSG_BAD_REQUEST), "errors": field_errors(exc.errors(), lang)})


# Bounds said in the OpenAPI document: a page number of 2**63 overflowed the SQL OFFSET (a 500).
MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 100


def pages_rendered(render: Callable[[Any], Any]) -> type[PageNumberPagination]:
    """ninja's page-number pagination, bounded, each row of the page turned into the API's answer by
    `render` in the caller's language: the one pagination of every list of the API."""

    class Pages(PageNumberPagination):
        class Input(Schema):
            page: int = Field(1, ge=1, le=MAX_PAGE)
            page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)

        def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
            from accounts.auth_api import api_language

            page = super().paginate_queryset(queryset, pagination, request, **params)
            with translation.override(api_language(request)):
                page["items"] = [render(row) for row in page["items"]]
            return page

    return Pages
