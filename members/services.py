"""Writes on the member registry: members, their dependants and their status history.

Every function is one transaction that validates first (translated `ValidationError`),
keeps `Beneficiary.search_text` current and appends an audit event with before/after.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from audit.models import AuditEvent
from audit.services import audit_record, model_snapshot
from members.models import Administration, Beneficiary, Member, MemberStatus, MemberStatusChange, Relation
from members.rules import (
    MEMBER_EDITABLE,
    PERSON_FIELDS,
    UNKNOWN_FIELD,
    beneficiary_search_text,
    card_number_for,
    clean_code,
    registry_validate,
)
from members.services_dependants import beneficiary_add, beneficiary_update  # re-exported
from members.services_status import (  # the status history's writes, re-exported here
    STATUS_BEFORE_JOINING,
    STATUS_SAME_DAY,
    member_status_change,
    member_statuses_apply_due,
)
from mutuelle.types import Actor, actor_user

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


def _member_audit_state(member: Member, holder: Beneficiary) -> dict[str, Any]:
    state = model_snapshot(member, exclude=("created_at", "updated_at"))
    person = model_snapshot(holder)
    state.update({f"holder.{name}": person[name] for name in PERSON_FIELDS})
    return state


def member_create(
    *,
    actor: Actor,
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
        cin=clean_code(cin),
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
        rib=clean_code(rib),
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
    registry_validate(member, holder)
    with transaction.atomic(durable=True):
        member.save()
        holder.member = member
        holder.search_text = beneficiary_search_text(holder, member)
        holder.save()
        MemberStatusChange.objects.create(
            member=member, status=MemberStatus.ACTIVE, valid_from=joined_on, recorded_by=actor_user(actor)
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=member,
            member_id=member.pk,
            after=_member_audit_state(member, holder),
        )
    return member


def _holder(member: Member) -> Beneficiary:
    return Beneficiary.objects.get(member=member, relation=Relation.SELF)


def member_update(*, actor: Actor, member: Member, **fields: Any) -> Member:
    """Change a member's data and its holder's person data; refuses unknown fields."""
    unknown = set(fields) - set(MEMBER_EDITABLE) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(UNKNOWN_FIELD.format(", ".join(sorted(unknown))))
    holder = _holder(member)
    before = _member_audit_state(member, holder)
    for name, value in fields.items():
        if name in ("cin", "rib"):
            value = clean_code(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(holder if name in PERSON_FIELDS else member, name, value)
    holder.cin = member.cin
    registry_validate(member, holder)
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
