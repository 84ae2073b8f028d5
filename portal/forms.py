from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from claims.forms import LineForm, beneficiary_choices
from mutuelle.forms import BootstrapMixin


class PortalClaimForm(BootstrapMixin, forms.Form):
    """The member's online claim: who was treated, by whom, and the scans of the papers."""

    beneficiary = forms.TypedChoiceField(label=_("Who was treated"), coerce=int)
    provider_inpe = forms.CharField(
        label=_("Provider INPE (on the care sheet)"), max_length=9, required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
    )  # fmt: skip
    provider_sector = forms.ChoiceField(label=_("Sector"), choices=[("private", _("Private")), ("public", _("Public"))])
    care_sheet = forms.FileField(label=_("Scan of the care sheet (PDF, JPEG or PNG)"))
    prescription = forms.FileField(label=_("Scan of the prescription (optional)"), required=False)
    invoice = forms.FileField(label=_("Scan of the invoice or receipts (optional)"), required=False)

    def __init__(self, *args: Any, beneficiaries: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        beneficiary_choices(self.fields["beneficiary"], beneficiaries)

    def clean_provider_inpe(self) -> str:
        value = "".join(str(self.cleaned_data.get("provider_inpe") or "").split())
        if value and (len(value) != 9 or not value.isdigit()):
            raise forms.ValidationError(_("An INPE has 9 digits."))
        return value

    def scans(self) -> list[tuple[str, Any]]:
        """(attachment kind, upload) for each scan given."""
        kinds = (("care_sheet", "care_sheet"), ("prescription", "prescription"), ("invoice", "invoice"))
        return [(kind, self.cleaned_data[name]) for name, kind in kinds if self.cleaned_data.get(name)]


# Two blank lines to start with: a consultation and its medicines are the usual claim.
PortalLineFormSet = forms.formset_factory(LineForm, extra=2, min_num=1, validate_min=True, max_num=15)
