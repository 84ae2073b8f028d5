"""Input forms of the member pages: field shapes only; the rules live in members.rules and members.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from members.models import Beneficiary, Member, MemberStatus, Relation
from members.rules import DEPENDANT_EDITABLE, MEMBER_EDITABLE, PERSON_FIELDS
from mutuelle.forms import BootstrapMixin

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DATE_FIELDS = ("birth_date", "joined_on", "school_certificate_until", "covered_until", "valid_from")


def _fields(model: type[Any], names: tuple[str, ...]) -> dict[str, forms.Field]:
    widgets: dict[str, type[forms.Widget] | forms.Widget] = {n: _DATE for n in names if n in _DATE_FIELDS}
    return {name: field for name, field in fields_for_model(model, fields=names, widgets=widgets).items() if field}


class MemberForm(BootstrapMixin, forms.Form):
    """Register a member and the holder's person data."""


class MemberEditForm(BootstrapMixin, forms.Form):
    """Edit a member: the membership number, which makes the card numbers, stays as registered."""


# BootstrapMixin reads the errors while constructing, so the fields must be final in base_fields.
MemberEditForm.base_fields = {
    **_fields(Beneficiary, PERSON_FIELDS),
    **_fields(Member, MEMBER_EDITABLE),
}
# People type RIBs in groups ("011 780 0000..."): the service drops the spaces, then checks 24 digits.
MemberEditForm.base_fields["rib"] = forms.CharField(label=_("bank account (RIB)"), max_length=40, required=False)
MemberForm.base_fields = {**_fields(Member, ("membership_number",)), **MemberEditForm.base_fields}


def member_initial(member: Member, holder: Beneficiary) -> dict[str, Any]:
    data = {name: getattr(member, name) for name in MEMBER_EDITABLE}
    data["administration"] = member.administration_id
    data.update({name: getattr(holder, name) for name in PERSON_FIELDS})
    return data


class BeneficiaryEditForm(BootstrapMixin, forms.Form):
    """Edit a spouse or a child (the relation and rank stay)."""


class BeneficiaryForm(BootstrapMixin, forms.Form):
    """Add a spouse or a child."""


BeneficiaryEditForm.base_fields = _fields(Beneficiary, DEPENDANT_EDITABLE)
BeneficiaryForm.base_fields = {
    "relation": forms.ChoiceField(
        label=_("relation"), choices=[(r.value, r.label) for r in (Relation.SPOUSE, Relation.CHILD)]
    ),
    **BeneficiaryEditForm.base_fields,
}


class StatusChangeForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=MemberStatus.choices)
    valid_from = forms.DateField(label=_("from"), widget=_DATE)
    note = forms.CharField(label=_("note"), max_length=300, required=False)


def form_errors_from(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names, the rest on top of the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
