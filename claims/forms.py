from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.models import LineKind
from mutuelle.forms import BootstrapMixin


class CounterForm(BootstrapMixin, forms.Form):
    card_number = forms.CharField(label=_("Card number"), max_length=14)
    filed_on = forms.DateField(label=_("Filed on"), widget=forms.DateInput(attrs={"type": "date"}))
    provider_inpe = forms.CharField(label=_("Provider INPE"), max_length=9, required=False)
    provider_sector = forms.ChoiceField(label=_("Sector"), choices=[("private", _("Private")), ("public", _("Public"))])
    diagnosis = forms.CharField(
        label=_("Diagnosis (medical, confidential)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("initial", {"filed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


class LineForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=LineKind.choices)
    code = forms.CharField(
        label=_("Code"), max_length=32, widget=forms.TextInput(attrs={"list": "codes", "autocomplete": "off"})
    )
    coefficient = forms.DecimalField(
        label=_("Coefficient"), max_digits=8, decimal_places=2, initial=Decimal("1"), min_value=Decimal("0.01")
    )
    quantity = forms.IntegerField(label=_("Qty"), min_value=1, initial=1)
    care_date = forms.DateField(label=_("Date of care"), widget=forms.DateInput(attrs={"type": "date"}))
    paid = forms.DecimalField(label=_("Paid (MAD)"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))


LineFormSet = forms.formset_factory(LineForm, extra=0, min_num=1, validate_min=True, max_num=30)


class AttachmentForm(forms.Form):
    kind = forms.CharField()
    upload = forms.FileField()
