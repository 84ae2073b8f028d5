"""Medical decisions: prior approvals (ententes préalables), requested by staff, the member or a
provider (through the API), decided by a medical controller; a file's diagnosis, written by a
medical controller."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Provider
from audit.services import AuditAction, audit_record, model_snapshot
from claims.models import LineKind, MedicalNote, PriorApproval
from claims.models.medical import RefusalReason
from members.models import Beneficiary
from members.selectors import beneficiary_by_card, beneficiary_eligibility
from mutuelle.errors import DomainError
from mutuelle.types import actor_user

MSG_DATES = _("Give valid dates: the end of validity cannot come before its start.")
MSG_QUANTITY = _("Give a quantity of at least 1 and an amount of zero or more.")
MSG_DECIDED = _("This request was already decided.")
MSG_FORBIDDEN = _("Only a medical controller decides prior approvals.")
MSG_REQUEST_FORBIDDEN = _("You cannot request a prior approval for this person.")
MSG_KIND = _("Choose an act, a medicine or a hospital stay.")
MSG_UNKNOWN_CODE = _("This code is not in the referentials in force today.")
MSG_NOT_NEEDED = _("This act or medicine does not need a prior approval: it is reimbursed without one.")
MSG_REASON = _("Choose a reason of the refusal from the list.")
MSG_REFUSED_FIELDS = _("The request has errors; see each field.")
# A provider asks before the care, or shortly after an emergency; never years away.
PROVIDER_DAYS_BEFORE = 90
PROVIDER_DAYS_AHEAD = 365


class ApprovalError(DomainError):
    pass


class ApprovalFieldsError(ApprovalError):
    """A provider's request refused on its fields: `errors` holds (field, code) pairs, the codes
    stable for the API (an eligibility refusal is the engine's reason, in lower case)."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__(MSG_REFUSED_FIELDS)
        self.errors = errors


def _may_request(*, actor: Any, beneficiary: Beneficiary) -> bool:
    """Staff with claims.add_priorapproval for anyone; a member for the people of their own file."""
    if actor is None:
        return True  # the system: demo data, imports
    if actor.has_perm("claims.add_priorapproval"):
        return True
    return bool(actor.pk) and beneficiary.member.user_id == actor.pk


def _referential_check(*, kind: str, code: str, on: dt.date) -> tuple[str, str]:
    """The code as the referentials hold it, and "" if it exists on `on` and needs a prior
    approval, else why not ("unknown_code", "not_needed")."""
    from referentials.selectors import referential_snapshot

    snapshot = referential_snapshot()
    code = code.strip() if kind == LineKind.MEDICINE else code.strip().upper()
    ref: Any = snapshot.medicine(code, on) if kind == LineKind.MEDICINE else snapshot.act(code, on)
    if ref is None:
        return code, "unknown_code"
    return code, "" if ref.needs_prior_approval else "not_needed"


def _referential_code(*, kind: str, code: str, on: dt.date) -> str:
    code, problem = _referential_check(kind=kind, code=code, on=on)
    if problem:
        raise ApprovalError(MSG_UNKNOWN_CODE if problem == "unknown_code" else MSG_NOT_NEEDED)
    return code


def prior_approval_request(
    *, actor: Any, beneficiary: Beneficiary, kind: str, code: str, justification: str = ""
) -> PriorApproval:
    """A request for an act, a medicine or a stay that needs one; the medical controller decides it."""
    if not _may_request(actor=actor, beneficiary=beneficiary):
        raise ApprovalError(MSG_REQUEST_FORBIDDEN)
    if kind not in LineKind.values:
        raise ApprovalError(MSG_KIND)
    code = _referential_code(kind=kind, code=code, on=timezone.localdate())
    with transaction.atomic(durable=True):
        pa = PriorApproval.objects.create(
            number=f"PA-{secrets.token_hex(5).upper()}", member_id=beneficiary.member_id, beneficiary=beneficiary,
            kind=kind, code=code, justification=justification.strip(),
            requested_by=actor_user(actor),
        )  # fmt: skip
        audit_record(actor=actor, action=AuditAction.CREATE, obj=pa, member_id=pa.member_id, after=model_snapshot(pa))
    return pa


def _sent_before(provider: Provider, external_ref: str) -> PriorApproval | None:
    return (
        PriorApproval.objects.select_related("beneficiary").filter(provider=provider, external_ref=external_ref).first()
    )


def _provider_problems(
    *, card_number: str, kind: str, code: str, care_date: dt.date
) -> tuple[Beneficiary | None, str, list[tuple[str, str]]]:
    """The beneficiary, the code as the referentials hold it, and every refused field."""
    errors: list[tuple[str, str]] = []
    today = timezone.localdate()
    in_range = (
        today - dt.timedelta(days=PROVIDER_DAYS_BEFORE) <= care_date <= today + dt.timedelta(days=PROVIDER_DAYS_AHEAD)
    )
    if not in_range:
        errors.append(("care_date", "date_out_of_range"))
    on = care_date if in_range else today
    beneficiary = beneficiary_by_card(card=card_number)
    if beneficiary is None:
        errors.append(("card_number", "unknown_card"))
    else:
        answer = beneficiary_eligibility(beneficiary=beneficiary, on=on)
        if not answer.covered:
            errors.append(("card_number", str(answer.reason or "not_covered").lower()))
    if kind not in LineKind.values:
        errors.append(("kind", "invalid_choice"))
        return beneficiary, code, errors
    code, problem = _referential_check(kind=kind, code=code, on=on)
    if problem:
        errors.append(("code", problem))
    return beneficiary, code, errors


def prior_approval_request_from_provider(
    *, actor: Any, provider: Provider, card_number: str, kind: str, code: str, quantity: int,
    care_date: dt.date, external_ref: str, justification: str = "",
) -> tuple[PriorApproval, bool]:  # fmt: skip
    """A provider's request for one of its patients, found by card number; (request, created).

    Idempotent on (provider, external_ref) like the provider's claim files: a retry, even one
    racing the first, gets the request already there and nothing is written (the unique
    constraint priorapproval_provider_ref_unique decides the race). Refused fields raise
    ApprovalFieldsError with all of them at once.
    """
    if actor is None or getattr(actor, "provider_id", None) != provider.pk:
        raise ApprovalError(MSG_REQUEST_FORBIDDEN)
    found = _sent_before(provider, external_ref)
    if found is not None:
        return found, False
    beneficiary, code, errors = _provider_problems(card_number=card_number, kind=kind, code=code, care_date=care_date)
    if not 1 <= quantity <= 10_000:
        errors.append(("quantity", "too_large_number" if quantity > 1 else "must_be_positive"))
    if errors or beneficiary is None:
        raise ApprovalFieldsError(errors)
    try:
        with transaction.atomic(durable=True):
            pa = PriorApproval.objects.create(
                number=f"PA-{secrets.token_hex(5).upper()}", member_id=beneficiary.member_id,
                beneficiary=beneficiary, kind=kind, code=code, justification=justification.strip(),
                requested_by=actor_user(actor), provider=provider, external_ref=external_ref,
                quantity_requested=quantity, planned_on=care_date,
            )  # fmt: skip
            audit_record(
                actor=actor, action=AuditAction.CREATE, obj=pa, member_id=pa.member_id, after=model_snapshot(pa)
            )
    except IntegrityError:
        found = _sent_before(provider, external_ref)
        if found is None:
            raise  # another constraint: not a retry
        return found, False
    return pa, True


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ApprovalError(MSG_DATES) from None


def prior_approval_decide(
    *, actor: Any, approval: PriorApproval, grant: bool, note: str = "", valid_from: Any = None,
    valid_to: Any = None, quantity: Any = 0, amount: Any = 0, reason: str = "",
) -> PriorApproval:  # fmt: skip
    """Grant (dates, quantity, amount) or refuse; a refusal carries a RefusalReason code that the
    requesting provider reads ("other" when none is given), a grant none."""
    if not actor.has_perm("claims.decide_priorapproval"):
        raise ApprovalError(MSG_FORBIDDEN)
    reason = "" if grant else (reason or RefusalReason.OTHER)
    if reason and reason not in RefusalReason.values:
        raise ApprovalError(MSG_REASON)
    start, end = _date(valid_from), _date(valid_to)
    try:
        qty, amt = int(quantity), Decimal(str(amount)).quantize(Decimal("0.01"))
    except (ValueError, InvalidOperation):
        raise ApprovalError(MSG_QUANTITY) from None
    if grant and (start is None or end is None or end < start):
        raise ApprovalError(MSG_DATES)
    if grant and (qty < 1 or amt < 0):
        raise ApprovalError(MSG_QUANTITY)
    with transaction.atomic(durable=True):
        locked = PriorApproval.objects.select_for_update().get(pk=approval.pk)
        if locked.status != PriorApproval.Status.REQUESTED:
            raise ApprovalError(MSG_DECIDED)
        before = model_snapshot(locked)
        locked.status = PriorApproval.Status.GRANTED if grant else PriorApproval.Status.REFUSED
        locked.decided_by, locked.decided_at, locked.decision_note = actor, timezone.now(), note
        locked.refusal_reason = reason
        if grant:
            locked.valid_from, locked.valid_to, locked.quantity_granted, locked.amount_granted = start, end, qty, amt
        locked.save()
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, member_id=locked.member_id, before=before,
                     after=model_snapshot(locked))  # fmt: skip
    return locked


MSG_NOTE_FORBIDDEN = _("Only a medical controller writes the diagnosis of a file.")


def medical_note_set(*, actor: Any, claim: Any, diagnosis: str) -> MedicalNote | None:
    """Write (or clear, with an empty text) a file's diagnosis. The audit row says that it changed,
    never what it says: the audit trail is read by auditors, who may not read medical data."""
    if not actor.has_perm("claims.view_medical"):
        raise ApprovalError(MSG_NOTE_FORBIDDEN)
    text = diagnosis.strip()
    with transaction.atomic(durable=True):
        note = MedicalNote.objects.select_for_update().filter(file_id=claim.pk).first()
        if note is None and text:
            note = MedicalNote.objects.create(file_id=claim.pk, member_id=claim.member_id, diagnosis=text, author=actor)
        elif note is not None and not text:
            note.delete()
            note = None
        elif note is not None and note.diagnosis != text:
            note.diagnosis, note.author = text, actor
            note.save(update_fields=["diagnosis", "author", "updated_at"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=claim, member_id=claim.member_id, note="diagnosis written"
        )
    return note
