"""The `Idempotency-Key` header on every POST under /api/ (and any router that reuses it, e.g. /fhir).

A client that is not sure its POST arrived sends it again with the same key:
- same token, same key, same method, path and body: the first answer (status and body) again,
  and nothing is created a second time;
- same key with another body (or address): 409 problem;
- same key while the first request still runs: 409 problem (the client retries later), since
  the row claimed by the first request is committed before its view runs and the unique
  constraint (token, key) lets exactly one racer claim it, on PostgreSQL as on SQLite.
Keys are kept `API_IDEMPOTENCY_RETENTION_HOURS` (24 by default); an older key is free again.
A POST without a live token (the public simulators, or a refused token) is not recorded: it
creates nothing, and strangers must not be able to fill the table.
A 5xx answer is not kept: the key is released so that the retry runs the request again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, IdempotencyKey
from accounts.tokens import token_digest
from mutuelle.i18n import request_language

HEADER = "Idempotency-Key"
KEY_PATTERN = r"^[A-Za-z0-9_.:-]{1,255}$"
RETENTION_HOURS = 24
PREFIXES = ("/api/", "/fhir/")  # every POST of the REST API and of the FHIR facade

MSG_BAD_KEY = _("The Idempotency-Key header has 1 to 255 letters, digits or . _ : - characters.")
MSG_OTHER_BODY = _("This Idempotency-Key was already used for another request.")
MSG_IN_PROGRESS = _("A request with this Idempotency-Key is still being processed; try again shortly.")


def idempotency_retention() -> timedelta:
    return timedelta(hours=int(getattr(settings, "API_IDEMPOTENCY_RETENTION_HOURS", RETENTION_HOURS)))


def request_fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method or "", request.path_info):
        digest.update(part.encode() + b"\x00")
    digest.update(request.body)
    return digest.hexdigest()


def _bearer_token(request: HttpRequest) -> ApiToken | None:
    scheme, _sep, value = (request.headers.get("Authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip() or len(value) > 256:
        return None
    # An expired token is no more live than a revoked one: its refused POST is not recorded.
    unexpired = Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    return ApiToken.objects.filter(unexpired, digest=token_digest(value.strip()), revoked_at__isnull=True).first()


def idempotency_claim(*, token: ApiToken, key: str, fingerprint: str) -> tuple[IdempotencyKey, bool]:
    """The key's row and whether this request claimed it (True: run the view, then store)."""
    now = timezone.now()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(token=token, key=key, fingerprint=fingerprint, created_at=now)
            return row, True
        except IntegrityError:
            pass
        existing = IdempotencyKey.objects.filter(token=token, key=key).first()
        if existing is None:
            continue  # released (5xx) or purged between the two statements
        if existing.created_at >= now - idempotency_retention():
            return existing, False
        # Expired: free again. Deleting by pk and age keeps a racer's fresh claim.
        IdempotencyKey.objects.filter(pk=existing.pk, created_at=existing.created_at).delete()
    return IdempotencyKey.objects.get(token=token, key=key), False


def idempotency_store(*, row: IdempotencyKey, response: HttpResponse) -> None:
    if response.status_code >= 500 or response.streaming:
        IdempotencyKey.objects.filter(pk=row.pk).delete()
        return
    IdempotencyKey.objects.filter(pk=row.pk).update(
        status=response.status_code,
        content_type=response.get("Content-Type", "")[:100],
        body=bytes(response.content),
    )


def idempotency_purge() -> int:
    """Deletes the keys past their retention; returns how many (for a periodic job)."""
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - idempotency_retention()).delete()
    return deleted


def _refusal(request: HttpRequest, status: int, message: object, *, field: bool = False) -> HttpResponse:
    with translation.override(request_language(request)):
        text = str(message)
    if request.path_info.startswith("/fhir/"):
        # A FHIR client reads an OperationOutcome (built by hand: this layer does not import the facade).
        code = "invalid" if field else "conflict"
        issue = {"severity": "error", "code": code, "diagnostics": text}
        outcome = {"resourceType": "OperationOutcome", "issue": [issue]}
        return JsonResponse(outcome, status=status, content_type="application/fhir+json")
    body: dict[str, object] = {"detail": text}
    if field:
        body["errors"] = [{"field": HEADER, "code": "invalid_idempotency_key", "message": text}]
    return JsonResponse(body, status=status)


class IdempotencyMiddleware:
    """Below LocaleMiddleware (messages translated), above the views (which keep their own
    durable transactions: the claimed row is committed on its own before the view runs)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or request.method != "POST" or not request.path_info.startswith(PREFIXES):
            return self.get_response(request)
        if not re.match(KEY_PATTERN, key):
            return _refusal(request, 422, MSG_BAD_KEY, field=True)
        token = _bearer_token(request)
        if token is None:
            return self.get_response(request)
        fingerprint = request_fingerprint(request)
        row, claimed = idempotency_claim(token=token, key=key, fingerprint=fingerprint)
        if not claimed:
            if row.fingerprint != fingerprint:
                return _refusal(request, 409, MSG_OTHER_BODY)
            if row.status is None:
                return _refusal(request, 409, MSG_IN_PROGRESS)
            replay = HttpResponse(bytes(row.body), status=row.status, content_type=row.content_type)
            replay["Idempotent-Replayed"] = "true"
            return replay
        try:
            response = self.get_response(request)
        except BaseException:
            IdempotencyKey.objects.filter(pk=row.pk).delete()
            raise
        idempotency_store(row=row, response=response)
        return response
