"""The provider API of complaints and appeals: a provider contests a decision on a line of one of its
own third-party-payment files, and follows the answer. /api/v1/grievances/, a provider's token.

The acknowledgement is the answer itself (201 with the tracking number and the due date); the
member hears of it by e-mail and SMS like any grievance on their file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field, StrictInt

from accounts.auth_api import api_language, provider_auth
from accounts.models import ApiToken, Provider
from claims.api_schemas import MSG_BAD_REQUEST, body_validate, field_error
from claims.models import Channel as ClaimChannel
from claims.models import ClaimLine
from claims.simulator.schemas import ErrorsOut, MessageOut, inline_schema
from grievances.models import AnswerReason, Channel, Grievance, GrievanceCategory, Outcome
from grievances.models import Status as GStatus
from grievances.services import Contested, GrievanceError, grievance_file

router = Router(tags=["provider"], auth=provider_auth)  # /api/v1/grievances/

MSG_NO_LINE = _("You have no claim file with this number, or it has no such line.")
MSG_NO_GRIEVANCE = _("You have no complaint or appeal with this number.")
_AUTH = {400: ErrorsOut, 401: MessageOut}


class GrievanceIn(Schema):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: Literal["complaint", "appeal"] = Field(..., description="complaint (the service) or appeal (a decision)")
    category: str = Field(..., min_length=1, max_length=30, description="a category code of this kind",
                          examples=["claim-decision"])  # fmt: skip
    claim: str = Field(..., min_length=1, max_length=20, description="the number of one of your claim files")
    line: StrictInt = Field(..., ge=1, le=30, description="the line of that file (1 = the first)")
    text: str = Field(..., min_length=1, max_length=4000, description="what you contest and why")


class GrievanceOut(Schema):
    number: str = Field(..., examples=["RE26-000012"])
    kind: str
    category: str
    category_label: str
    status: str
    status_label: str
    filed_on: dt.date
    due_on: dt.date
    claim: str
    line: int
    outcome: str | None = None
    outcome_label: str = ""
    reason_code: str | None = None
    reason_label: str = ""
    answer: str = ""


_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": inline_schema(GrievanceIn)}}}}


def _provider(request: HttpRequest) -> tuple[ApiToken, Provider]:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    provider = token.user.provider
    assert provider is not None  # the bearer accepts only users linked to a provider
    return token, provider


def _out(g: Grievance) -> dict[str, Any]:
    line = g.claim_line
    return {
        "number": g.number, "kind": g.kind, "category": g.category.code, "category_label": g.category.label,
        "status": g.status, "status_label": str(GStatus(g.status).label), "filed_on": g.filed_on, "due_on": g.due_on,
        "claim": line.file.number if line else "", "line": line.position + 1 if line else 0,
        "outcome": g.outcome or None, "outcome_label": str(Outcome(g.outcome).label) if g.outcome else "",
        "reason_code": g.reason_code or None,
        "reason_label": str(AnswerReason(g.reason_code).label) if g.reason_code else "", "answer": g.answer_text,
    }  # fmt: skip


def _visible(provider: Provider) -> Any:
    return Grievance.objects.filter(provider=provider).select_related("category", "claim_line__file")


@router.post(
    "/",
    response={201: GrievanceOut, 404: MessageOut, 409: MessageOut, 422: ErrorsOut, **_AUTH},
    openapi_extra=_BODY,
    summary="Contest a decision on a line of one of your claim files",
    description=(
        "Files a complaint or an appeal about line `line` of your file `claim`: 201 with its tracking number "
        "and the date an answer is due. An appeal needs a decided file and a line not accepted in full; a "
        "line is appealed once (409 after). Categories: GET the codes from the mutual (claim-decision, "
        "payment-decision, delay, other-complaint...)."
    ),
)
def grievance_submit(request: HttpRequest, lang: str | None = None) -> Status[Any]:
    language = api_language(request, lang)
    with translation.override(language):
        payload = body_validate(request=request, schema=GrievanceIn, lang=language)
        if isinstance(payload, Status):
            return payload
        token, provider = _provider(request)
        category = GrievanceCategory.objects.filter(code=payload.category, kind=payload.kind, active=True).first()
        if category is None:
            return Status(422, {"detail": str(MSG_BAD_REQUEST), "errors": [field_error("category", "invalid_choice")]})
        line = (
            ClaimLine.objects.select_related("file__member")
            .filter(
                file__number=payload.claim.upper(),
                file__provider=provider,
                file__channel=ClaimChannel.PROVIDER,
                position=payload.line - 1,
            )
            .first()
        )
        if line is None:
            return Status(404, {"detail": str(MSG_NO_LINE)})
        try:
            grievance = grievance_file(
                actor=token.user,
                member=line.file.member,
                kind=payload.kind,
                category=category,
                channel=Channel.API,
                text=payload.text,
                contested=Contested(claim_line=line),
                provider=provider,
            )
        except GrievanceError as exc:
            status = 409 if exc.code == "duplicate" else 422
            return Status(status, {"detail": str(exc.message), "errors": [{"field": "", "code": exc.code,
                                                                          "message": str(exc.message)}]}
                          if status == 422 else {"detail": str(exc.message)})  # fmt: skip
        return Status(201, _out(_visible(provider).get(pk=grievance.pk)))


@router.get(
    "/",
    response={200: list[GrievanceOut], **_AUTH},
    summary="Your complaints and appeals, newest first (the last 100)",
)
def grievance_list(request: HttpRequest, lang: str | None = None) -> Status[Any]:
    with translation.override(api_language(request, lang)):
        _token, provider = _provider(request)
        return Status(200, [_out(g) for g in _visible(provider).order_by("-filed_at", "-id")[:100]])


@router.get(
    "/{number}",
    response={200: GrievanceOut, 404: MessageOut, **_AUTH},
    summary="One of your complaints or appeals, with its answer",
)
def grievance_detail(request: HttpRequest, number: str, lang: str | None = None) -> Status[Any]:
    with translation.override(api_language(request, lang)):
        _token, provider = _provider(request)
        found = _visible(provider).filter(number=number.strip().upper()).first()
        if found is None:
            return Status(404, {"detail": str(MSG_NO_GRIEVANCE)})
        return Status(200, _out(found))
