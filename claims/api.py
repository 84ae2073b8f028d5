"""The provider API: third-party-payment (tiers payant) claim files (eligibility: claims.api_eligibility).

Every call needs a provider's API token (accounts.auth_api) and sees only that provider's files.
Messages and labels follow `lang` (ar, fr, en) or Accept-Language, as in the simulator.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from accounts.auth_api import api_language, provider_auth
from accounts.models import ApiToken, Provider
from claims.api_eligibility import AUTH_RESPONSES as _AUTH
from claims.api_schemas import (
    MAX_PAGE_SIZE,
    MSG_BAD_REQUEST,
    ClaimIn,
    ClaimOut,
    ClaimSummaryOut,
    body_validate,
    field_error,
    pages_rendered,
)
from claims.models import ClaimFile, ClaimLine, ClaimStatus
from claims.selectors import claims_visible
from claims.services.intake import ClaimIntakeError, LineInput
from claims.services.provider_intake import claim_take_from_provider
from claims.simulator.schemas import ErrorsOut, MessageOut, inline_schema
from claims.trace import trace_ald_masked, trace_texts
from engine import REASONS, reason_label
from members.selectors import beneficiary_by_card
from referentials.codes import ald_code_known, ald_code_normalise
from referentials.selectors import referential_snapshot

router = Router(tags=["provider"], auth=provider_auth)  # /api/v1/claims/

MSG_NO_FILE = _("You have no claim file with this number.")
MSG_OTHER_CARD = _("This reference was already used for a file of another card number.")
_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": inline_schema(ClaimIn)}}}}


def _provider(token: ApiToken) -> Provider:
    provider = token.user.provider
    assert provider is not None  # the bearer accepts only users linked to a provider
    return provider


def _files(token: ApiToken) -> QuerySet[ClaimFile]:
    # Also filtered by the provider: a provider user who also holds a staff role sees every file
    # in the back office, never through its provider's token.
    return claims_visible(user=token.user).filter(provider=_provider(token)).select_related("beneficiary")


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _summary(claim: ClaimFile) -> dict[str, Any]:
    """A file without its lines, labels in the active language."""
    return {
        "number": claim.number, "external_ref": claim.external_ref, "card": claim.beneficiary.card_number,
        "filed_on": claim.filed_on, "status": claim.status, "status_label": str(ClaimStatus(claim.status).label),
        "paid": _money(claim.paid), "amo": _money(claim.amo), "complementary": _money(claim.complementary),
        "remainder": _money(claim.remainder),
    }  # fmt: skip


def _detail(claim: ClaimFile) -> dict[str, Any]:
    lang = get_language() or "fr"
    lines = claim.lines.all()  # ordered by position (prefetched for the detail)
    return {
        **_summary(claim),
        "lines": [
            {
                "position": ln.position,
                "kind": ln.kind,
                "code": ln.code,
                "care_date": ln.care_date,
                "paid": _money(ln.paid),
                "status": ln.status,
                "basis": _money(ln.basis),
                "amo": _money(ln.amo),
                "complementary": _money(ln.complementary),
                "remainder": _money(ln.remainder),
                "reasons": [{"code": c, "label": reason_label(c, lang) if c in REASONS else c} for c in ln.reasons],
                # A provider is not a medical role: the long-term illness stays out of the words.
                "trace": trace_texts(trace_ald_masked(ln.trace, ln.ald)),
            }
            for ln in lines
        ],
    }


_ClaimPages = pages_rendered(_summary)


def _lines(payload: ClaimIn) -> list[LineInput]:
    return [
        LineInput(
            kind=ln.kind,
            code=ln.code,
            care_date=ln.care_date,
            paid=Decimal(ln.paid),
            coefficient=Decimal(str(ln.coefficient)),
            quantity=ln.quantity,
            unit_price=Decimal(ln.unit_price) if ln.unit_price is not None else None,
            inpatient=ln.inpatient,
            ald=ald_code_normalise(ln.ald),
        )
        for ln in payload.lines
    ]


@router.post(
    "/",
    response={200: ClaimOut, 201: ClaimOut, 403: MessageOut, 409: MessageOut, 422: ErrorsOut, **_AUTH},
    openapi_extra=_BODY,
    summary="File a third-party-payment claim (idempotent on external_ref)",
    description=(
        "Files the claim for your provider, filed today, and adjudicates it at once: 201 with the file "
        "number, its status and each line's decision (basis, AMO, complementary, remainder in MAD, "
        "reasons). Sending the same `external_ref` again returns the file already filed (200) and files "
        "nothing. Bad input: 422 with every bad field, and nothing is stored."
    ),
)
def claim_submit(request: HttpRequest, lang: str | None = None) -> Status[Any]:
    language = api_language(request, lang)
    with translation.override(language):
        payload = body_validate(request=request, schema=ClaimIn, lang=language)
        if isinstance(payload, Status):
            return payload
        ben = beneficiary_by_card(card=payload.card)
        today = timezone.localdate()
        errors = [] if ben is not None else [field_error("card", "unknown_card")]
        errors += [field_error(f"lines[{i}].care_date", "future_date")
                   for i, ln in enumerate(payload.lines) if ln.care_date > today]  # fmt: skip
        lines = _lines(payload)  # the ALD codes normalised once, checked here against the list in force
        snapshot = referential_snapshot()
        errors += [field_error(f"lines[{i}].ald", "unknown_ald") for i, ln in enumerate(lines)
                   if ln.ald and not ald_code_known(ln.ald, ln.care_date, snapshot)]  # fmt: skip
        if errors or ben is None:
            return Status(422, {"detail": str(MSG_BAD_REQUEST), "errors": errors})
        token: ApiToken = request.auth  # type: ignore[attr-defined]
        try:
            claim, created = claim_take_from_provider(
                actor=token.user, provider=_provider(token), beneficiary=ben, external_ref=payload.external_ref.strip(),
                lines=lines, diagnosis=payload.diagnosis,
            )  # fmt: skip
        except ClaimIntakeError as exc:
            return Status(403, {"detail": str(exc.message)})
        if not created and claim.beneficiary_id != ben.pk:
            return Status(409, {"detail": str(MSG_OTHER_CARD)})
        return Status(201 if created else 200, _detail(claim))


@router.get(
    "/",
    response={200: list[ClaimSummaryOut], 422: ErrorsOut, **_AUTH},
    summary="Your claim files, newest first",
    description="Pages of 25 (`page`, `page_size` up to 100); `external_ref` finds a file by your reference.",
)
@paginate(_ClaimPages, page_size=25, max_page_size=MAX_PAGE_SIZE)
def claim_list(
    request: HttpRequest,
    external_ref: str | None = Query(None, max_length=64),
    lang: str | None = Query(None, max_length=8),
) -> Any:
    files = _files(request.auth).order_by("-filed_on", "-id")  # type: ignore[attr-defined]
    return files.filter(external_ref=external_ref.strip()) if external_ref else files


@router.get(
    "/{number}",
    response={200: ClaimOut, 404: MessageOut, **_AUTH},
    summary="One of your claim files with its line decisions",
)
def claim_detail(request: HttpRequest, number: str, lang: str | None = None) -> Status[Any]:
    with translation.override(api_language(request, lang)):
        lines = Prefetch("lines", queryset=ClaimLine.objects.order_by("position", "id"))
        claim = _files(request.auth).prefetch_related(lines).filter(number=number.strip().upper()).first()  # type: ignore[attr-defined]
        if claim is None:
            return Status(404, {"detail": str(MSG_NO_FILE)})
        return Status(200, _detail(claim))
