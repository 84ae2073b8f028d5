"""Writes on the member registry: members, their dependants and their status history.

Every function is one transaction that validates first (translated `ValidationError`),
keeps `Beneficiary.search_text` current and appends an audit event with before/after.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from audit.services import audit_record, model_snapshot
from members.models import Administration, Beneficiary, Member, MemberStatus, MemberStatusChange, Relation
from members.normalize import search_document
from members.services_status import (  # the status history's writes, re-exported here
    STATUS_BEFORE_JOINING,
    STATUS_SAME_DAY,
    member_status_change,
    member_statuses_apply_due,
)

__all__ = [
    "STATUS_BEFORE_JOINING",
    "STATUS_SAME_DAY",
    "beneficiary_add",
    "beneficiary_search_text",
    "beneficiary_update",
    "member_create",
    "member_search_text_refresh",
    "member_status_change",
    "member_statuses_apply_due",
    "member_update",
]

BIRTH_IN_FUTURE = _("The birth date cannot be in the future.")
DISABLED_NEEDS_CERTIFICATE = _("A disabled dependant needs the reference of a disability certificate.")
CHILD_ONLY = _("Only a child can have a school certificate or a disability.")
DEPENDANT_RELATION = _("A dependant is a spouse or a child.")
UNKNOWN_FIELD = "not an editable field: {}"

# The holder's own person data lives on the `self` beneficiary.
PERSON_FIELDS: tuple[str, ...] = ("last_name", "first_name", "last_name_ar", "first_name_ar", "birth_date", "sex")
MEMBER_EDITABLE: tuple[str, ...] = (
    "administration",
    "matricule",
    "cin",
    "joined_on",
    "from_other_amo",
    "marital_status",
    "phone",
    "email",
    "address",
    "city",
    "region",
    "rib",
    "base_salary",
)
DEPENDANT_EDITABLE: tuple[str, ...] = (
    *PERSON_FIELDS,
    "cin",
    "school_certificate_until",
    "disabled",
    "disability_certificate",
    "covered_until",
)


def beneficiary_search_text(beneficiary: Beneficiary, member: Member) -> str:
    """The folded search column of a beneficiary: names in both scripts and every number."""
    return search_document(
        beneficiary.first_name,
        beneficiary.last_name,
        beneficiary.first_name_ar,
        beneficiary.last_name_ar,
        beneficiary.card_number,
        member.membership_number,
        member.matricule,
        member.cin,
    )


def card_number_for(member: Member, rank: int) -> str:
    return f"{member.membership_number}-{rank:02d}"


def _clean_code(value: str) -> str:
    """CIN and RIB as people type them: spaces and dashes dropped, letters upper-cased."""
    return "".join(ch for ch in (value or "") if ch not in " -.").upper()


def _merge(errors: dict[str, list[Any]], exc: ValidationError) -> None:
    for field, messages in exc.message_dict.items() if hasattr(exc, "error_dict") else [("__all__", exc.messages)]:
        bucket = errors.setdefault(field, [])
        bucket.extend(m for m in messages if m not in bucket)


def _person_rules(beneficiary: Beneficiary, errors: dict[str, list[Any]]) -> None:
    if beneficiary.birth_date and beneficiary.birth_date > timezone.localdate():
        errors.setdefault("birth_date", []).append(BIRTH_IN_FUTURE)
    if beneficiary.disabled and not beneficiary.disability_certificate.strip():
        errors.setdefault("disability_certificate", []).append(DISABLED_NEEDS_CERTIFICATE)
    if beneficiary.relation != Relation.CHILD and (beneficiary.school_certificate_until or beneficiary.disabled):
        errors.setdefault("__all__", []).append(CHILD_ONLY)


def _validate(member: Member | None, holder: Beneficiary | None, *, beneficiary: Beneficiary | None = None) -> None:
    errors: dict[str, list[Any]] = {}
    if member is not None:
        try:
            member.full_clean()
        except ValidationError as exc:
            _merge(errors, exc)
    for person in (holder, beneficiary):
        if person is None:
            continue
        try:
            person.full_clean(exclude=["member", "search_text"])
        except ValidationError as exc:
            _merge(errors, exc)
        _person_rules(person, errors)
    if errors:
        raise ValidationError(errors)


def _member_audit_state(member: Member, holder: Beneficiary) -> dict[str, Any]:
    state = model_snapshot(member, exclude=("created_at", "updated_at"))
    person = model_snapshot(holder)
    state.update({f"holder.{name}": person[name] for name in PERSON_FIELDS})
    return state


def member_create(
    *,
    actor: Any,
    administration: Administration,
    membership_number: str,
    matricule: str,
    cin: str,
    joined_on: dt.date,
    from_other_amo: bool,
    marital_status: str,
    last_name: str,
    first_name: str,
    last_name_ar: str,
    first_name_ar: str,
    birth_date: dt.date,
    sex: str,
    phone: str = "",
    email: str = "",
    address: str = "",
    city: str = "",
    region: str = "",
    rib: str = "",
    base_salary: Decimal | None = None,
) -> Member:
    """Register a member: the membership, its `self` beneficiary (rank 0) and its first status."""
    member = Member(
        administration=administration,
        membership_number=membership_number.strip(),
        matricule=matricule.strip(),
        cin=_clean_code(cin),
        joined_on=joined_on,
        from_other_amo=from_other_amo,
        marital_status=marital_status,
        status=MemberStatus.ACTIVE,
        status_since=joined_on,
        phone=phone.strip(),
        email=email.strip(),
        address=address.strip(),
        city=city.strip(),
        region=region,
        rib=_clean_code(rib),
        base_salary=base_salary,
    )
    holder = Beneficiary(
        member=member,
        relation=Relation.SELF,
        rank=0,
        card_number=card_number_for(member, 0),
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        last_name_ar=last_name_ar.strip(),
        first_name_ar=first_name_ar.strip(),
        birth_date=birth_date,
        sex=sex,
        cin=member.cin,
    )
    _validate(member, holder)
    with transaction.atomic(durable=True):
        member.save()
        holder.member = member
        holder.search_text = beneficiary_search_text(holder, member)
        holder.save()
        MemberStatusChange.objects.create(
            member=member, status=MemberStatus.ACTIVE, valid_from=joined_on, recorded_by=_user(actor)
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=member,
            member_id=member.pk,
            after=_member_audit_state(member, holder),
        )
    return member


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _holder(member: Member) -> Beneficiary:
    return Beneficiary.objects.get(member=member, relation=Relation.SELF)


def member_update(*, actor: Any, member: Member, **fields: Any) -> Member:
    """Change a member's data and its holder's person data; refuses unknown fields."""
    unknown = set(fields) - set(MEMBER_EDITABLE) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(UNKNOWN_FIELD.format(", ".join(sorted(unknown))))
    holder = _holder(member)
    before = _member_audit_state(member, holder)
    for name, value in fields.items():
        if name in ("cin", "rib"):
            value = _clean_code(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(holder if name in PERSON_FIELDS else member, name, value)
    holder.cin = member.cin
    _validate(member, holder)
    after = _member_audit_state(member, holder)
    if after == before:
        return member
    with transaction.atomic(durable=True):
        member.save()
        holder.save()
        member_search_text_refresh(member=member)
        audit_record(
            actor=actor, action=AuditEvent.Action.UPDATE, obj=member, member_id=member.pk, before=before, after=after
        )
    return member


def member_search_text_refresh(*, member: Member) -> None:
    """Numbers of the member are in every beneficiary's search text: keep them all current."""
    changed = []
    for beneficiary in Beneficiary.objects.filter(member=member):
        text = beneficiary_search_text(beneficiary, member)
        if text != beneficiary.search_text:
            beneficiary.search_text = text
            changed.append(beneficiary)
    Beneficiary.objects.bulk_update(changed, ["search_text"])


def beneficiary_add(
    *,
    actor: Any,
    member: Member,
    relation: str,
    last_name: str,
    first_name: str,
    last_name_ar: str,
    first_name_ar: str,
    birth_date: dt.date,
    sex: str,
    cin: str = "",
    school_certificate_until: dt.date | None = None,
    disabled: bool = False,
    disability_certificate: str = "",
    covered_until: dt.date | None = None,
) -> Beneficiary:
    """Add a spouse or a child under the next free rank (card number `<membership>-<rank>`)."""
    if relation not in (Relation.SPOUSE, Relation.CHILD):
        raise ValidationError({"relation": [DEPENDANT_RELATION]})
    with transaction.atomic(durable=True):
        member = Member.objects.select_for_update().get(pk=member.pk)
        rank = (Beneficiary.objects.filter(member=member).aggregate(m=Max("rank"))["m"] or 0) + 1
        beneficiary = Beneficiary(
            member=member,
            relation=relation,
            rank=rank,
            card_number=card_number_for(member, rank),
            last_name=last_name.strip(),
            first_name=first_name.strip(),
            last_name_ar=last_name_ar.strip(),
            first_name_ar=first_name_ar.strip(),
            birth_date=birth_date,
            sex=sex,
            cin=_clean_code(cin),
            school_certificate_until=school_certificate_until,
            disabled=disabled,
            disability_certificate=disability_certificate.strip(),
            covered_until=covered_until,
        )
        _validate(None, None, beneficiary=beneficiary)
        beneficiary.search_text = beneficiary_search_text(beneficiary, member)
        beneficiary.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=beneficiary,
            member_id=member.pk,
            after=model_snapshot(beneficiary),
        )
    return beneficiary


def beneficiary_update(*, actor: Any, beneficiary: Beneficiary, **fields: Any) -> Beneficiary:
    """Change a dependant's person data, certificates or end of cover."""
    unknown = set(fields) - set(DEPENDANT_EDITABLE)
    if unknown:
        raise TypeError(UNKNOWN_FIELD.format(", ".join(sorted(unknown))))
    member = beneficiary.member
    before = model_snapshot(beneficiary)
    for name, value in fields.items():
        if name == "cin":
            value = _clean_code(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(beneficiary, name, value)
    if beneficiary.relation == Relation.SELF:
        beneficiary.cin = member.cin
    _validate(None, None, beneficiary=beneficiary)
    beneficiary.search_text = beneficiary_search_text(beneficiary, member)
    after = model_snapshot(beneficiary)
    if after == before:
        return beneficiary
    with transaction.atomic(durable=True):
        beneficiary.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=beneficiary,
            member_id=member.pk,
            before=before,
            after=after,
        )
    return beneficiary
