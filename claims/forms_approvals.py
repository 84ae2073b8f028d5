"""The decision form of a prior approval in the medical controllers' queue: each error on its field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from claims.models.medical import RefusalReason
from mutuelle.forms import BootstrapMixin

MSG_FROM_NEEDED = _("Give the first day of validity to grant the approval.")
MSG_TO_NEEDED = _("Give the last day of validity to grant the approval.")
MSG_TO_BEFORE = _("The last day of validity cannot come before the first.")
MSG_QUANTITY = _("Give a quantity of at least 1 to grant the approval.")
DECISIONS = (("grant", _("Grant")), ("refuse", _("Refuse")))


class ApprovalDecisionForm(BootstrapMixin, forms.Form):
    """Granting needs both validity dates and a quantity; refusing needs neither (a note says why)."""

    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.HiddenInput)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    quantity = forms.IntegerField(label=_("Quantity granted"), required=False, min_value=1, max_value=10_000, initial=1)
    amount = forms.DecimalField(
        label=_("Amount granted (MAD)"), required=False, min_value=Decimal(0), max_value=Decimal("9999999999.99"),
        decimal_places=2, widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )  # fmt: skip
    note = forms.CharField(label=_("Note to the file"), required=False, max_length=500)
    # The code the requesting provider reads through the API; the note stays for medical roles.
    reason = forms.ChoiceField(
        label=_("Reason of a refusal"), required=False, choices=[("", "—"), *RefusalReason.choices]
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") != "grant":
            return data
        start, end = data.get("valid_from"), data.get("valid_to")
        if start is None and "valid_from" not in self.errors:
            self.add_error("valid_from", MSG_FROM_NEEDED)
        if end is None and "valid_to" not in self.errors:
            self.add_error("valid_to", MSG_TO_NEEDED)
        if start and end and end < start:
            self.add_error("valid_to", MSG_TO_BEFORE)
        if data.get("quantity") is None and "quantity" not in self.errors:
            self.add_error("quantity", MSG_QUANTITY)
        return data
