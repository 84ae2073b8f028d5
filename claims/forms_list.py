"""The claim lists' filter form (GET, bookmarkable): what the URL may say, checked before any query."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from claims.models import Channel, ClaimStatus
from claims.selectors_list import DEFAULT_SORT, SORT_FIELDS, ClaimFilters
from members.models import Administration
from mutuelle.forms import BootstrapMixin

PLACEHOLDER_Q = _("Part of a file, card or membership number, or a name")
MSG_DATES = _("The end date is before the start date.")
MSG_AMOUNTS = _("The maximum is below the minimum.")
AMOUNT_MAX = Decimal("9999999999.99")  # a ClaimFile amount has 12 digits, 2 after the point
SORTS = [(key, key) for name in SORT_FIELDS for key in (name, f"-{name}")]


def _amount(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, min_value=Decimal(0), max_value=AMOUNT_MAX, decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
    )  # fmt: skip


def _date(label: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ClaimFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("Number or name"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": PLACEHOLDER_Q}),
    )  # fmt: skip
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *ClaimStatus.choices]
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("All channels")), *Channel.choices])
    provider = forms.RegexField(
        label=_("Provider INPE"), required=False, regex=r"^\d{9}$",
        error_messages={"invalid": _("An INPE is 9 digits.")},
    )  # fmt: skip
    administration = forms.ModelChoiceField(
        label=_("Administration"), required=False, queryset=Administration.objects.order_by("code"),
        empty_label=_("All administrations"),
    )  # fmt: skip
    filed_from = _date(_("Filed from"))
    filed_to = _date(_("Filed until"))
    claimed_min = _amount(_("Claimed from (MAD)"))
    claimed_max = _amount(_("Claimed up to (MAD)"))
    sort = forms.ChoiceField(required=False, choices=SORTS, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Administrations by their name in the page's language, code first (the label is read once per page).
        self.fields["administration"].label_from_instance = lambda a: f"{a.code} — {a.name}"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("filed_from"), data.get("filed_to")
        if start and end and end < start:
            self.add_error("filed_to", MSG_DATES)
        low, high = data.get("claimed_min"), data.get("claimed_max")
        if low is not None and high is not None and high < low:
            self.add_error("claimed_max", MSG_AMOUNTS)
        return data

    def filters(self) -> ClaimFilters:
        """The cleaned filters; call after is_valid()."""
        d = self.cleaned_data
        admin = d.get("administration")
        return ClaimFilters(
            query=d.get("q") or "", status=d.get("status") or "", channel=d.get("channel") or "",
            provider_inpe=d.get("provider") or "", administration_id=admin.pk if admin else None,
            filed_from=d.get("filed_from"), filed_to=d.get("filed_to"), claimed_min=d.get("claimed_min"),
            claimed_max=d.get("claimed_max"), sort=d.get("sort") or DEFAULT_SORT,
        )  # fmt: skip
