"""The agents' forms: they validate input only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from allowances.models import AllowanceType, DocumentKind, HeirRelation, RefusalReason, RequestState

MSG_NO_MEMBER = _("No member has this membership number.")
SORT_CHOICES = [
    ("-filed_on", _("Newest first")),
    ("filed_on", _("Oldest first")),
    ("deadline", _("Deadline, soonest first")),
    ("-net", _("Largest net amount first")),
    ("net", _("Smallest net amount first")),
    ("number", _("Number")),
]


class FilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", "—"), *RequestState.choices])
    type = forms.ChoiceField(label=_("Allowance"), required=False)
    q = forms.CharField(label=_("Number, membership number or matricule"), required=False, max_length=20)
    start = forms.DateField(label=_("Filed from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Filed until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *((t.code, t.label) for t in AllowanceType.objects.all())]
        self.fields["type"].choices = choices  # type: ignore[attr-defined]


class RequestForm(forms.Form):
    membership_number = forms.CharField(label=_("Membership number"), max_length=10)
    type = forms.ModelChoiceField(label=_("Allowance"), queryset=AllowanceType.objects.filter(active=True))
    event_date = forms.DateField(label=_("Date of the event"), widget=forms.DateInput(attrs={"type": "date"}))
    year = forms.IntegerField(label=_("School year (orphan schooling)"), required=False, min_value=2000,
                              max_value=2100)  # fmt: skip
    claimant_name = forms.CharField(label=_("Filed by"), max_length=140)
    claimant_phone = forms.CharField(label=_("Phone of the family"), max_length=20, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].label_from_instance = lambda t: t.label  # type: ignore[attr-defined]

    def clean_membership_number(self) -> Any:
        from members.models import Member

        member = Member.objects.filter(membership_number=self.cleaned_data["membership_number"].strip()).first()
        if member is None:
            raise forms.ValidationError(MSG_NO_MEMBER)
        return member


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    share = forms.IntegerField(label=_("Payee"), required=False, widget=forms.Select)
    file = forms.FileField(label=_("File (PDF, JPEG or PNG)"))


class RefuseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason of refusal"), choices=RefusalReason.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class PayeeForm(forms.Form):
    relation = forms.ChoiceField(label=_("Relation"), choices=HeirRelation.choices)
    name = forms.CharField(label=_("Name"), max_length=140)
    name_ar = forms.CharField(label=_("Name (Arabic)"), max_length=140, required=False)
    rib = forms.CharField(label=_("RIB"), max_length=24, required=False)
    parts = forms.IntegerField(label=_("Parts"), min_value=1, max_value=99, initial=1)
    beneficiary_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    birth_date = forms.DateField(required=False, widget=forms.HiddenInput)
    DELETE = forms.BooleanField(label=_("Remove"), required=False)


PayeeFormSet = forms.formset_factory(PayeeForm, extra=1, max_num=20)
