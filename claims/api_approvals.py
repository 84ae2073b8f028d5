"""The provider API's prior approvals (ententes préalables): a provider requests one for a patient
found by card number and reads its decision.

Every call needs a provider's API token and sees only that provider's requests: another
provider's number answers 404, as an unknown one does, so numbers cannot be probed. Messages and
labels follow `lang` (ar, fr, en) or Accept-Language.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone, translation
from ninja import Query, Router, Status
from ninja.pagination import paginate

from accounts.auth_api import api_language, provider_auth
from accounts.models import ApiToken, Provider
from claims.api_approvals_schemas import (
    MSG_NO_APPROVAL,
    MSG_OTHER_CARD,
    ApprovalIn,
    ApprovalOut,
    approval_field_error,
)
from claims.api_schemas import MAX_PAGE_SIZE, MSG_BAD_REQUEST, body_validate, pages_rendered
from claims.models import PriorApproval
from claims.models.medical import RefusalReason
from claims.selectors_approvals import approvals_of_provider
from claims.services.approvals import ApprovalError, ApprovalFieldsError, prior_approval_request_from_provider
from claims.simulator.schemas import ErrorsOut, MessageOut, inline_schema
from members.selectors import card_number_normalise

router = Router(tags=["provider"], auth=provider_auth)  # /api/v1/prior-approvals

_AUTH = {400: ErrorsOut, 401: MessageOut}
_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": inline_schema(ApprovalIn)}}}}


def _provider(token: ApiToken) -> Provider:
    provider = token.user.provider
    assert provider is not None  # the bearer accepts only users linked to a provider
    return provider


def _out(pa: PriorApproval) -> dict[str, Any]:
    """The decision as the provider may read it (active language): no justification, no note."""
    granted = pa.status == PriorApproval.Status.GRANTED
    reason = RefusalReason(pa.refusal_reason) if pa.refusal_reason else None
    return {
        "number": pa.number, "external_ref": pa.external_ref, "card_number": pa.beneficiary.card_number,
        "kind": pa.kind, "code": pa.code, "quantity_requested": pa.quantity_requested, "care_date": pa.planned_on,
        "status": pa.status, "status_label": str(PriorApproval.Status(pa.status).label),
        "requested_at": pa.requested_at, "decided_at": pa.decided_at,
        "valid_from": pa.valid_from if granted else None, "valid_to": pa.valid_to if granted else None,
        "quantity_granted": pa.quantity_granted if granted else None,
        "amount_granted": f"{pa.amount_granted:.2f}" if granted else None,
        "refusal_reason": reason.value if reason else None,
        "refusal_reason_label": str(reason.label) if reason else None,
    }  # fmt: skip


_ApprovalPages = pages_rendered(_out)


@router.post(
    "",
    response={200: ApprovalOut, 201: ApprovalOut, 403: MessageOut, 409: MessageOut, 422: ErrorsOut, **_AUTH},
    openapi_extra=_BODY,
    summary="Request a prior approval for a patient (idempotent on external_ref)",
    description=(
        "Requests a prior approval for the beneficiary of `card_number`, for an act, a medicine or a stay "
        "that needs one on the date of care: 201 with its number and status (requested); a medical "
        "controller decides it. The same `external_ref` again returns the first request (200) and "
        "creates nothing. Unknown card or code, a beneficiary not covered (rights suspended...), a code "
        "that needs no approval: 422 with each field, and nothing is stored."
    ),
)
def approval_request(request: HttpRequest, lang: str | None = None) -> Status[Any]:
    language = api_language(request, lang)
    with translation.override(language):
        payload = body_validate(request=request, schema=ApprovalIn, lang=language)
        if isinstance(payload, Status):
            return payload
        token: ApiToken = request.auth  # type: ignore[attr-defined]
        try:
            pa, created = prior_approval_request_from_provider(
                actor=token.user, provider=_provider(token), card_number=payload.card_number, kind=payload.kind,
                code=payload.code, quantity=payload.quantity, care_date=payload.care_date or timezone.localdate(),
                external_ref=payload.external_ref, justification=payload.justification,
            )  # fmt: skip
        except ApprovalFieldsError as exc:
            errors = [approval_field_error(field, code, language) for field, code in exc.errors]
            return Status(422, {"detail": str(MSG_BAD_REQUEST), "errors": errors})
        except ApprovalError as exc:
            return Status(403, {"detail": str(exc.message)})
        if not created and pa.beneficiary.card_number != card_number_normalise(payload.card_number):
            return Status(409, {"detail": str(MSG_OTHER_CARD)})
        return Status(201 if created else 200, _out(pa))


@router.get(
    "",
    response={200: list[ApprovalOut], 422: ErrorsOut, **_AUTH},
    summary="Your prior approval requests, newest first",
    description="Pages of 25 (`page`, `page_size` up to 100); `status` keeps requested, granted or refused ones.",
)
@paginate(_ApprovalPages, page_size=25, max_page_size=MAX_PAGE_SIZE)
def approval_list(
    request: HttpRequest,
    # A pattern, not a Literal: @paginate's wrapper resolves the annotations in ninja's own module.
    status: str | None = Query(None, pattern="^(requested|granted|refused)$"),
    lang: str | None = Query(None, max_length=8),
) -> Any:
    return approvals_of_provider(provider=_provider(request.auth), status=status)  # type: ignore[attr-defined]


@router.get(
    "/{number}",
    response={200: ApprovalOut, 404: MessageOut, **_AUTH},
    summary="One of your prior approval requests with its decision",
)
def approval_detail(request: HttpRequest, number: str, lang: str | None = None) -> Status[Any]:
    with translation.override(api_language(request, lang)):
        pa = approvals_of_provider(provider=_provider(request.auth)).filter(number=number.strip().upper()).first()  # type: ignore[attr-defined]
        if pa is None:
            return Status(404, {"detail": str(MSG_NO_APPROVAL)})
        return Status(200, _out(pa))
