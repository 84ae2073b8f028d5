"""Forms of the application pages: they validate input only; the services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from care.models import ApplicationState, LeaveReason, Programme, RefusalReason

MSG_CARD_OR_PARTNER = _("Give the child's card number, or the partner mutual and the child's names and birth date.")


def _control(form: forms.Form) -> None:
    for field in form.fields.values():
        css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control"
        if isinstance(field.widget, forms.Select):
            css = "form-select"
        field.widget.attrs.setdefault("class", css)


class ApplicationForm(forms.Form):
    """An agent's filing: a child of our registry by card number, or a partner mutual's child."""

    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    card_number = forms.CharField(label=_("Child's card number"), max_length=20, required=False)
    disability_details = forms.CharField(
        label=_("Disability details (medical, confidential)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    partner_mutual = forms.CharField(label=_("Partner mutual (its children only)"), max_length=200, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name_ar = forms.CharField(label=_("Last name (Arabic)"), max_length=100, required=False)
    first_name_ar = forms.CharField(label=_("First name (Arabic)"), max_length=100, required=False)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["programme"]).queryset = programmes
        _control(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        partner = data.get("partner_mutual") and data.get("last_name") and data.get("first_name")
        if not data.get("card_number") and not (partner and data.get("birth_date")):
            raise forms.ValidationError(MSG_CARD_OR_PARTNER)
        return data


class FamilyApplicationForm(forms.Form):
    """A parent's filing from the portal: one of their children, a programme."""

    child = forms.ChoiceField(label=_("Child"))
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    disability_details = forms.CharField(
        label=_("The child's needs (seen by the centre's medical staff only)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, children: list[tuple[int, str]], programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["child"]).choices = children
        cast(forms.ModelChoiceField, self.fields["programme"]).queryset = programmes
        _control(self)


class ScheduleForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Assessment appointment"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _control(self)


class AssessForm(forms.Form):
    note = forms.CharField(
        label=_("Assessment note (medical, confidential)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _control(self)


class RefuseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RefusalReason.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _control(self)


class LeaveForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason for leaving"), choices=LeaveReason.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _control(self)


class ApplicationFilter(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All states")), *ApplicationState.choices], required=False
    )
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), required=False, empty_label=_("All programmes")
    )

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["programme"]).queryset = programmes
        _control(self)
