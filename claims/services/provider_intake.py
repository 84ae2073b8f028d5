"""Third-party-payment (tiers payant) files sent by providers through the API."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Provider
from claims.models import Channel, ClaimFile
from claims.services.adjudication import claim_adjudicate
from claims.services.intake import LineInput, claim_create
from claims.services.workflow import ClaimTransitionError
from members.models import Beneficiary
from mutuelle.types import Actor


def _sent_before(provider: Provider, external_ref: str) -> ClaimFile | None:
    return ClaimFile.objects.select_related("beneficiary").filter(provider=provider, external_ref=external_ref).first()


def claim_take_from_provider(
    *,
    actor: Actor,
    provider: Provider,
    beneficiary: Beneficiary,
    external_ref: str,
    lines: Sequence[LineInput],
    diagnosis: str = "",
) -> tuple[ClaimFile, bool]:
    """File a provider's claim, filed today, and adjudicate it at once as the counter does.

    Returns (file, created). Idempotent on (provider, external_ref): a retry, even one racing
    the first request, gets the file already there (created False) and nothing is written; the
    partial unique constraint claimfile_provider_ref_unique decides the race. As at the counter
    the file is committed before adjudication: if adjudication fails, the file stays received
    and the bulk adjudication run takes it.
    """
    found = _sent_before(provider, external_ref)
    if found is not None:
        return found, False
    try:
        with transaction.atomic(durable=True):
            claim = claim_create(
                actor=actor, beneficiary=beneficiary, filed_on=timezone.localdate(), channel=Channel.PROVIDER,
                lines=lines, provider=provider, diagnosis=diagnosis, external_ref=external_ref,
            )  # fmt: skip
    except IntegrityError:
        found = _sent_before(provider, external_ref)
        if found is None:
            raise  # another constraint: not a retry
        return found, False
    try:
        claim = claim_adjudicate(actor=actor, claim=claim, as_intake=True)
    except ClaimTransitionError:
        claim = ClaimFile.objects.select_related("beneficiary").get(pk=claim.pk)  # adjudicated meanwhile
    return claim, True
