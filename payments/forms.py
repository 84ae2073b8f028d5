from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mutuelle.forms import BootstrapMixin
from payments.bankfiles.returns import MAX_RETURN_BYTES
from payments.models import BatchKind


class PrepareForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of batch"), choices=BatchKind.choices)
    execution_date = forms.DateField(
        label=_("Execution date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReturnUploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("Bank return file (CSV or camt.054 XML)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_RETURN_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return upload


class PeriodForm(BootstrapMixin, forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date):
            if end < start:
                raise forms.ValidationError(_("The end date is before the start date."))
            if (end - start).days > 3 * 366:
                raise forms.ValidationError(_("Choose a period of at most three years."))
        return data
