"""Builders for member-registry tests: rows made through the services, as in production."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from members.models import Administration, Beneficiary, Member, Relation
from members.rib import rib_key
from members.services import beneficiary_add, member_create

_seq = itertools.count(1)


def valid_rib(first22: str = "0117800001234567890123") -> str:
    return first22 + rib_key(first22)


def administration_make(code: str = "MEN") -> Administration:
    return Administration.objects.get_or_create(
        code=code, defaults={"name_fr": "Éducation nationale", "name_ar": "التربية الوطنية"}
    )[0]


def member_make(actor: Any = None, **overrides: Any) -> Member:
    n = next(_seq)
    data: dict[str, Any] = {
        "administration": administration_make(),
        "membership_number": f"{100000 + n}",
        "matricule": f"{50000 + n}",
        "cin": f"AB{100000 + n}",
        "joined_on": dt.date(2020, 1, 1),
        "from_other_amo": False,
        "marital_status": Member.MaritalStatus.MARRIED,
        "last_name": "El Amrani",
        "first_name": "Ahmed",
        "last_name_ar": "العمراني",
        "first_name_ar": "أحمد",
        "birth_date": dt.date(1980, 5, 17),
        "sex": "M",
        "phone": "",
        "email": "",
        "address": "",
        "city": "Rabat",
        "region": "04",
        "rib": valid_rib(),
    }
    data.update(overrides)
    return member_create(actor=actor, **data)


def dependant_make(member: Member, actor: Any = None, **overrides: Any) -> Beneficiary:
    data: dict[str, Any] = {
        "relation": Relation.CHILD,
        "last_name": "El Amrani",
        "first_name": "Salma",
        "last_name_ar": "العمراني",
        "first_name_ar": "سلمى",
        "birth_date": dt.date(2010, 3, 3),
        "sex": "F",
    }
    data.update(overrides)
    return beneficiary_add(actor=actor, member=member, **data)
