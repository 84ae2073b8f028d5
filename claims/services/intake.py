"""Taking claim files in: at the counter, by post, from the portal or a provider."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

import engine as e
from accounts.models import Provider
from audit.services import AuditAction, audit_record, model_snapshot
from claims.models import Channel, ClaimFile, ClaimLine, MedicalNote
from members.models import Beneficiary
from mutuelle.errors import DomainError
from mutuelle.types import actor_user
from referentials.codes import ald_code_known, ald_code_normalise, key_letters, line_code_normalise
from referentials.selectors import referential_snapshot

CHANNEL_LETTER = {Channel.COUNTER: "C", Channel.POST: "P", Channel.PORTAL: "W", Channel.PROVIDER: "T"}
MSG_NO_LINES = _("A claim file needs at least one line.")
MSG_FORBIDDEN = _("You are not allowed to register claim files.")
MSG_UNKNOWN_ALD = _("“%(code)s” is not a long-term illness (ALD) code of the list in force on the date of care.")


@dataclass(frozen=True, slots=True)
class LineInput:
    kind: str
    care_date: date
    paid: Decimal
    code: str = ""
    coefficient: Decimal = Decimal("1.00")
    quantity: int = 1
    unit_price: Decimal | None = None
    ald: str = ""
    inpatient: bool = False
    prior_approval_id: int | None = None
    treatment_end: date | None = None


def line_code(line: LineInput, letters: Sequence[str] | None = None) -> str:
    """The line's code in the referentials' form (referentials.codes; `letters`: key_letters())."""
    return line_code_normalise(line.kind, line.code, letters)


def line_ald(line: LineInput, snapshot: e.Snapshot | None = None) -> str:
    """The line's long-term illness code in the list's form; one not on the list in force on the
    date of care is refused, never dropped (the line would be paid at the usual rate unseen)."""
    code = ald_code_normalise(line.ald)
    if code and not ald_code_known(code, line.care_date, snapshot):
        raise ClaimIntakeError(MSG_UNKNOWN_ALD % {"code": line.ald.strip()})
    return code


class ClaimIntakeError(DomainError):
    pass


def claim_number_new(channel: str, filed_on: date) -> str:
    """C250314-7F3A9B21: channel letter, filing date and 32 random bits (unique constraint backs it)."""
    return f"{CHANNEL_LETTER[Channel(channel)]}{filed_on:%y%m%d}-{secrets.token_hex(4).upper()}"


def _may_file(*, actor: Any, beneficiary: Beneficiary, channel: str) -> bool:
    """Staff (and providers) file with claims.add_claimfile; through the portal a member files for
    the people of their own file only; no actor is the system (demo, imports)."""
    if actor is None:
        return True
    if channel == Channel.PORTAL:
        return bool(actor.pk) and beneficiary.member.user_id == actor.pk
    return bool(actor.has_perm("claims.add_claimfile"))


def claim_create(
    *,
    actor: Any,
    beneficiary: Beneficiary,
    filed_on: date,
    channel: str,
    lines: Sequence[LineInput],
    provider: Provider | None = None,
    provider_inpe: str = "",
    provider_sector: str = "private",
    provider_kind: str = "doctor",
    diagnosis: str = "",
    external_ref: str = "",
) -> ClaimFile:
    """A received file with its lines (and the diagnosis as a medical note), audited.

    `external_ref` is a provider's own reference; unique per provider (IntegrityError otherwise)."""
    if not _may_file(actor=actor, beneficiary=beneficiary, channel=channel):
        raise ClaimIntakeError(MSG_FORBIDDEN)
    if not lines:
        raise ClaimIntakeError(MSG_NO_LINES)
    member = beneficiary.member
    snapshot = referential_snapshot()  # one read of the referentials for every line
    letters = key_letters(snapshot)
    alds = [line_ald(ln, snapshot) for ln in lines]
    with transaction.atomic():
        claim = ClaimFile.objects.create(
            number=claim_number_new(channel, filed_on),
            member=member,
            beneficiary=beneficiary,
            filed_on=filed_on,
            channel=channel,
            provider=provider,
            provider_inpe=provider.inpe if provider else provider_inpe,  # an INPE not (yet) in our list
            provider_sector=provider.sector if provider else provider_sector,
            provider_kind=provider.kind if provider else provider_kind,
            created_by=actor_user(actor),
            external_ref=external_ref,
        )
        rows = [
            ClaimLine(
                member_id=member.pk,
                file=claim,
                position=i,
                kind=ln.kind,
                code=line_code(ln, letters),
                coefficient=ln.coefficient,
                quantity=ln.quantity,
                care_date=ln.care_date,
                treatment_end=ln.treatment_end,
                paid=ln.paid,
                remainder=ln.paid,
                unit_price=ln.unit_price,
                ald=alds[i],
                inpatient=ln.inpatient,
                prior_approval_id=ln.prior_approval_id,
            )
            for i, ln in enumerate(lines)
        ]
        ClaimLine.objects.bulk_create(rows)
        total = sum((ln.paid for ln in lines), Decimal("0.00"))
        ClaimFile.objects.filter(pk=claim.pk).update(paid=total, remainder=total)
        claim.paid = claim.remainder = total
        if diagnosis.strip():
            MedicalNote.objects.create(
                file=claim, member_id=member.pk, diagnosis=diagnosis.strip(), author=claim.created_by
            )
        after = model_snapshot(claim)
        after["lines"] = len(rows)
        audit_record(actor=actor, action=AuditAction.CREATE, obj=claim, member_id=member.pk, after=after)
    return claim


def claim_take_at_counter(
    *,
    actor: Any,
    beneficiary: Beneficiary,
    filed_on: date,
    lines: Sequence[LineInput],
    snapshot: e.Snapshot | None = None,
    **kw: Any,
) -> ClaimFile:
    """Counter intake: the file is saved then adjudicated at once (two commits: the file is kept
    even if adjudication fails, and can be run again)."""
    from claims.services.adjudication import claim_adjudicate

    with transaction.atomic(durable=True):
        claim = claim_create(
            actor=actor, beneficiary=beneficiary, filed_on=filed_on, channel=Channel.COUNTER, lines=lines, **kw
        )
    return claim_adjudicate(actor=actor, claim=claim, snapshot=snapshot, as_intake=True)
