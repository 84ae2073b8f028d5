"""The member registry's validation rules and derived values, shared by the services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Beneficiary, Member, Relation
from members.normalize import search_document

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


def clean_code(value: str) -> str:
    """CIN and RIB as people type them: spaces and dashes dropped, letters upper-cased."""
    return "".join(ch for ch in (value or "") if ch not in " -.").upper()


def merge_errors(errors: dict[str, list[Any]], exc: ValidationError) -> None:
    for field, messages in exc.message_dict.items() if hasattr(exc, "error_dict") else [("__all__", exc.messages)]:
        bucket = errors.setdefault(field, [])
        bucket.extend(m for m in messages if m not in bucket)


def person_rules(beneficiary: Beneficiary, errors: dict[str, list[Any]]) -> None:
    if beneficiary.birth_date and beneficiary.birth_date > timezone.localdate():
        errors.setdefault("birth_date", []).append(BIRTH_IN_FUTURE)
    if beneficiary.disabled and not beneficiary.disability_certificate.strip():
        errors.setdefault("disability_certificate", []).append(DISABLED_NEEDS_CERTIFICATE)
    if beneficiary.relation != Relation.CHILD and (beneficiary.school_certificate_until or beneficiary.disabled):
        errors.setdefault("__all__", []).append(CHILD_ONLY)


def registry_validate(
    member: Member | None, holder: Beneficiary | None, *, beneficiary: Beneficiary | None = None
) -> None:
    errors: dict[str, list[Any]] = {}
    if member is not None:
        try:
            member.full_clean()
        except ValidationError as exc:
            merge_errors(errors, exc)
    for person in (holder, beneficiary):
        if person is None:
            continue
        try:
            person.full_clean(exclude=["member", "search_text"])
        except ValidationError as exc:
            merge_errors(errors, exc)
        person_rules(person, errors)
    if errors:
        raise ValidationError(errors)
