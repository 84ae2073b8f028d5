"""GET /api/v1/simulate/contributions: public, rate-limited like the claim simulator, stores nothing."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from claims.simulator.services import simulation_language
from claims.simulator.throttle import simulation_allowed
from contributions.quote import QuoteRefused, contribution_quote

router = Router(tags=["simulator"])

MSG_BAD_QUOTE = _("The request has errors; see each field.")
MSG_TOO_MANY = _("Too many simulations from your address; try again in a minute.")


class QuoteOut(Schema):
    complementary: str = Field(..., examples=["50.00"], description="complementary cover (MAD)")
    death_fund: str = Field(..., examples=["15.00"])
    amo_employee: str = Field(..., examples=["225.00"], description="AMO, the member's (or pensioner's) share")
    amo_employer: str = Field(..., examples=["225.00"], description="AMO, the employer's share (0.00 on a pension)")
    status: str = Field(..., examples=["active"])
    month: str = Field(..., examples=["2026-07"])


class FieldErrorOut(Schema):
    field: str
    code: str
    message: str


class QuoteErrorsOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


class MessageOut(Schema):
    detail: str


@router.get(
    "",
    auth=None,
    response={200: QuoteOut, 422: QuoteErrorsOut, 429: MessageOut},
    summary="Quote a month's contributions",
    description=(
        "The monthly contributions for a base salary (status `active`) or a pension (status `retired`) "
        "under the schedules in force in `month` (YYYY-MM, default this month): strings with two decimals. "
        "Negative, non-numeric or implausibly large salaries and unknown statuses are refused with 422."
    ),
)
def simulate_contributions(
    request: HttpRequest, salary: str = "", status: str = "", month: str | None = None, lang: str | None = None
) -> Status[Any]:
    language = simulation_language(lang or getattr(request, "LANGUAGE_CODE", None))
    with translation.override(language):
        if not simulation_allowed(request):
            return Status(429, {"detail": str(MSG_TOO_MANY)})
        try:
            answer = contribution_quote(salary=salary, status=status, month=month)
        except QuoteRefused as refused:
            errors = [{"field": e.field, "code": "invalid", "message": e.message} for e in refused.errors]
            return Status(422, {"detail": str(MSG_BAD_QUOTE), "errors": errors})
        return Status(200, answer.as_dict())
