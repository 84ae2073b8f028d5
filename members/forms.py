"""Input forms of the member pages: field shapes only; the rules live in members.rules and members.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from members.models import Beneficiary, Member, MemberStatus, Relation
from members.rules import DEPENDANT_EDITABLE, MEMBER_EDITABLE, PERSON_FIELDS, clean_code
from members.selectors import members_with_rib
from mutuelle.forms import BootstrapMixin

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DATE_FIELDS = ("birth_date", "joined_on", "school_certificate_until", "covered_until", "valid_from")


def _fields(model: type[Any], names: tuple[str, ...]) -> dict[str, forms.Field]:
    widgets: dict[str, type[forms.Widget] | forms.Widget] = {n: _DATE for n in names if n in _DATE_FIELDS}
    return {name: field for name, field in fields_for_model(model, fields=names, widgets=widgets).items() if field}


RIB_SHARED = _(
    "This bank account (RIB) is already on the file of member %(numbers)s. If it is a joint account "
    "(spouses), tick “The RIB is shared” and save again."
)


class _SharedRibCheck(forms.Form):
    """A RIB already on another member's file is a warning to confirm, not a refusal: spouses share
    accounts, but a slip of the keyboard would send one member's money to another."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        confirmed = data.pop("rib_shared", False)
        rib = clean_code(data.get("rib") or "")
        if not rib or rib == clean_code(str(self.initial.get("rib") or "")):
            return data  # no RIB, or the one already on this file
        others = members_with_rib(rib=rib)
        if others and not confirmed:
            self.add_error("rib", RIB_SHARED % {"numbers": ", ".join(others)})
        return data


class MemberForm(BootstrapMixin, _SharedRibCheck):
    """Register a member and the holder's person data."""


class MemberEditForm(BootstrapMixin, _SharedRibCheck):
    """Edit a member: the membership number, which makes the card numbers, stays as registered."""


# BootstrapMixin reads the errors while constructing, so the fields must be final in base_fields.
MemberEditForm.base_fields = {
    **_fields(Beneficiary, PERSON_FIELDS),
    **_fields(Member, MEMBER_EDITABLE),
}
# People type RIBs in groups ("011 780 0000..."): the service drops the spaces, then checks 24 digits.
MemberEditForm.base_fields["rib"] = forms.CharField(label=_("bank account (RIB)"), max_length=40, required=False)
MemberEditForm.base_fields["rib_shared"] = forms.BooleanField(label=_("The RIB is shared"), required=False)
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
