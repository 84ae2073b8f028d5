"""The provider API's eligibility check: is a beneficiary covered on a date?

Every call needs a provider's API token (accounts.auth_api). Labels follow `lang` (ar, fr, en) or
Accept-Language. The FHIR facade's CoverageEligibilityRequest shares the cap and messages below.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status
from pydantic import WithJsonSchema

from accounts.auth_api import api_language, provider_auth
from claims.api_schemas import MSG_BAD_REQUEST, EligibilityOut, field_error
from claims.simulator.schemas import ErrorsOut, MessageOut
from members.eligibility import card_holder, cover_eligibility
from members.selectors import eligibility_reason_label
from mutuelle.throttle import rate_allowed

eligibility_router = Router(tags=["provider"], auth=provider_auth)  # /api/v1/eligibility

MSG_UNKNOWN_CARD = _("No beneficiary has this card number.")
MSG_TOO_MANY = _("Too many eligibility checks with this token; try again in a minute.")
# Eligibility answers a name for a card number: a cap per token keeps a leaked token from
# walking through every card. A counter checks a few patients a minute.
ELIGIBILITY_RATE_LIMIT = 120
ELIGIBILITY_RATE_WINDOW_SECONDS = 60
# 400: what the hostile-input middleware refuses on every path (a NUL, bad UTF-8, over-deep JSON).
AUTH_RESPONSES = {400: ErrorsOut, 401: MessageOut}
_DATE = {"type": "string", "format": "date", "maxLength": 10}  # checked by _date (YYYY-MM-DD only)


def _date(text: str) -> dt.date | None:
    """YYYY-MM-DD only (date.fromisoformat also takes 20260115 and week dates)."""
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 and text[4] == "-" else None
    except ValueError:
        return None


@eligibility_router.get(
    "",
    response={200: EligibilityOut, 404: MessageOut, 422: ErrorsOut, 429: MessageOut, **AUTH_RESPONSES},
    summary="Is a beneficiary covered on a date?",
    description=(
        "`card`: the beneficiary's card number (e.g. 100001-01); `on`: the date of care, YYYY-MM-DD, "
        "default today. Answers the name in both scripts, whether the beneficiary is covered and, when "
        "not, why (reason code and its label in `lang` or Accept-Language). Nothing else is disclosed. "
        "At most 120 checks a minute per token (429 beyond)."
    ),
)
def eligibility(
    request: HttpRequest,
    card: str = Query(..., max_length=32),
    on: Annotated[str | None, WithJsonSchema(_DATE)] = Query(None, max_length=10),
    lang: str | None = Query(None, max_length=8),
) -> Status[Any]:
    with translation.override(api_language(request, lang)):
        limit = int(getattr(settings, "PROVIDER_ELIGIBILITY_RATE_LIMIT", ELIGIBILITY_RATE_LIMIT))
        key = f"eligibility:rate:{request.auth.pk}"  # type: ignore[attr-defined]
        if not rate_allowed(key=key, limit=limit, window=ELIGIBILITY_RATE_WINDOW_SECONDS):
            return Status(429, {"detail": str(MSG_TOO_MANY)})
        day = _date(on) if on else timezone.localdate()
        if day is None:
            return Status(422, {"detail": str(MSG_BAD_REQUEST), "errors": [field_error("on", "invalid_date")]})
        ben = card_holder(card=card)  # two raw queries: this check runs at every counter, all day
        if ben is None:
            return Status(404, {"detail": str(MSG_UNKNOWN_CARD)})
        answer = cover_eligibility(cover=ben.cover, on=day)
        return Status(200, {
            "card": ben.card_number, "on": day, "last_name": ben.last_name, "first_name": ben.first_name,
            "last_name_ar": ben.last_name_ar, "first_name_ar": ben.first_name_ar, "covered": answer.covered,
            "reason_code": None if answer.covered else answer.reason, "reason": eligibility_reason_label(answer),
        })  # fmt: skip
