"""Writes on a member's dependants (spouse, children): added under the next rank, changed, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from audit.models import AuditEvent
from audit.services import audit_record, model_snapshot
from members.models import Beneficiary, Member, Relation
from members.rules import (
    DEPENDANT_EDITABLE,
    DEPENDANT_RELATION,
    UNKNOWN_FIELD,
    beneficiary_search_text,
    card_number_for,
    clean_code,
    registry_validate,
)
from mutuelle.types import Actor


def beneficiary_add(
    *,
    actor: Actor,
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
            cin=clean_code(cin),
            school_certificate_until=school_certificate_until,
            disabled=disabled,
            disability_certificate=disability_certificate.strip(),
            covered_until=covered_until,
        )
        registry_validate(None, None, beneficiary=beneficiary)
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


def beneficiary_update(*, actor: Actor, beneficiary: Beneficiary, **fields: Any) -> Beneficiary:
    """Change a dependant's person data, certificates or end of cover."""
    unknown = set(fields) - set(DEPENDANT_EDITABLE)
    if unknown:
        raise TypeError(UNKNOWN_FIELD.format(", ".join(sorted(unknown))))
    member = beneficiary.member
    before = model_snapshot(beneficiary)
    for name, value in fields.items():
        if name == "cin":
            value = clean_code(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(beneficiary, name, value)
    if beneficiary.relation == Relation.SELF:
        beneficiary.cin = member.cin
    registry_validate(None, None, beneficiary=beneficiary)
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
