"""The contribution quote asked from the command line or the API: its input checked, then computed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contributions.models import ScheduleStatus
from contributions.selectors import Quote, quote_compute

MAX_SALARY = Decimal("1000000.00")  # a month's salary or pension; more is a typing error
_NUMBER = re.compile(r"^\d{1,10}(?:[.,]\d{1,2})?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
STATUSES = {"active": ScheduleStatus.ACTIVE, "retired": ScheduleStatus.RETIRED, "pensioner": ScheduleStatus.RETIRED}

MSG_SALARY_REQUIRED = _("Give the monthly salary (or pension) in dirhams.")
MSG_SALARY_NOT_NUMBER = _("The salary must be a number of dirhams with at most two decimals, e.g. 9000 or 9000.50.")
MSG_SALARY_NEGATIVE = _("The salary cannot be negative.")
MSG_SALARY_HUGE = _("The salary is too large: at most 1,000,000.00 dirhams a month.")
MSG_STATUS = _("Unknown status: use active or retired.")
MSG_MONTH = _("The month must be written YYYY-MM, e.g. 2026-07.")
MSG_NO_SCHEDULE = _("No contribution schedule is in force for this month.")


@dataclass(frozen=True)
class QuoteError:
    field: str
    message: str


class QuoteRefused(ValueError):
    def __init__(self, errors: list[QuoteError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class QuoteAnswer:
    quote: Quote
    status: str
    month: dt.date

    def as_dict(self) -> dict[str, str]:
        return {**self.quote.as_strings(), "status": self.status, "month": f"{self.month:%Y-%m}"}


def _salary(raw: str | None, errors: list[QuoteError]) -> Decimal | None:
    text = (raw or "").strip()
    if not text:
        errors.append(QuoteError("salary", str(MSG_SALARY_REQUIRED)))
        return None
    if text.startswith("-") and _NUMBER.match(text[1:]):
        errors.append(QuoteError("salary", str(MSG_SALARY_NEGATIVE)))
        return None
    if not _NUMBER.match(text):
        # A long run of digits is a number, only too large.
        huge = text.replace(".", "").replace(",", "").isdigit()
        errors.append(QuoteError("salary", str(MSG_SALARY_HUGE if huge else MSG_SALARY_NOT_NUMBER)))
        return None
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        errors.append(QuoteError("salary", str(MSG_SALARY_NOT_NUMBER)))
        return None
    if value > MAX_SALARY:
        errors.append(QuoteError("salary", str(MSG_SALARY_HUGE)))
        return None
    return value


def _month(raw: str | None, errors: list[QuoteError]) -> dt.date:
    today = timezone.localdate().replace(day=1)
    if not raw:
        return today
    found = _MONTH.match(raw.strip())
    if found and 1 <= int(found[2]) <= 12 and int(found[1]) >= 1900:
        return dt.date(int(found[1]), int(found[2]), 1)
    errors.append(QuoteError("month", str(MSG_MONTH)))
    return today


def contribution_quote(*, salary: str | None, status: str | None, month: str | None = None) -> QuoteAnswer:
    """The month's contributions for a salary (active) or a pension (retired); QuoteRefused lists every error."""
    errors: list[QuoteError] = []
    base = _salary(salary, errors)
    schedule_status = STATUSES.get((status or "").strip().lower())
    if schedule_status is None:
        errors.append(QuoteError("status", str(MSG_STATUS)))
    first = _month(month, errors)
    if errors or base is None or schedule_status is None:
        raise QuoteRefused(errors)
    try:
        quote = quote_compute(base=base, status=schedule_status, month=first)
    except LookupError:
        raise QuoteRefused([QuoteError("month", str(MSG_NO_SCHEDULE))]) from None
    return QuoteAnswer(quote, str(schedule_status), first)
