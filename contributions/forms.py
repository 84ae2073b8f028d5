"""Forms of the contributions pages: they validate input only; the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from contributions.imports_read import period_parse
from contributions.models import Fund, OffPayrollReason, ReceiptChannel
from contributions.selectors_payroll import KINDS
from contributions.services_payroll import MAX_BYTES
from members.models import Administration
from mutuelle.forms import BootstrapMixin

MSG_PERIOD = _("Write the month as YYYY-MM, e.g. 2026-07.")
MSG_MONTHS = _("The last month must not be before the first, and at most 24 months.")


class MonthField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 7)
        super().__init__(**kwargs)
        self.widget.attrs.update({"placeholder": "YYYY-MM", "dir": "ltr", "pattern": r"\d{4}-\d{2}"})

    def clean(self, value: Any) -> dt.date | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        month = period_parse(text)
        if month is None:
            raise forms.ValidationError(MSG_PERIOD)
        return month


class PayrollUploadForm(BootstrapMixin, forms.Form):
    administration = forms.ModelChoiceField(label=_("Administration"), queryset=Administration.objects.all())
    period = MonthField(label=_("Month"))
    file = forms.FileField(
        label=_("Deduction file"), help_text=_("CSV (UTF-8, separated by ; or ,) or Excel .xlsx, one row per member.")
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is too large: at most %(mb)d MB.") % {"mb": MAX_BYTES // 2**20})
        return upload


class DifferenceFilterForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *KINDS.items()])
    fund = forms.ChoiceField(label=_("Fund"), required=False, choices=[("", _("All funds")), *Fund.choices])


class ReceiptForm(BootstrapMixin, forms.Form):
    channel = forms.ChoiceField(label=_("Paid"), choices=ReceiptChannel.choices)
    reference = forms.CharField(label=_("Reference"), max_length=60, required=False)
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    first_month = MonthField(label=_("First month paid"))
    last_month = MonthField(label=_("Last month paid"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_month"), data.get("last_month")
        if first and last and (last < first or (last.year - first.year) * 12 + last.month - first.month >= 24):
            self.add_error("last_month", MSG_MONTHS)
        return data


class OffPayrollForm(BootstrapMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=OffPayrollReason.choices)
    valid_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(
        label=_("Until (exclusive)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    monthly_base = forms.DecimalField(label=_("Monthly base (MAD)"), min_value=0, max_digits=10, decimal_places=2)
