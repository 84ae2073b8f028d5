from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.models import LineKind
from claims.services.intake import MSG_UNKNOWN_ALD, LineInput
from claims.services.workflow import CHECKLIST
from mutuelle.forms import BootstrapMixin
from referentials.codes import ald_code_known, ald_code_normalise


class CounterForm(BootstrapMixin, forms.Form):
    card_number = forms.CharField(
        label=_("Card number"),
        max_length=14,
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr"}),
    )
    filed_on = forms.DateField(label=_("Filed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    provider_inpe = forms.CharField(
        label=_("Provider INPE"), max_length=9, required=False, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    provider_sector = forms.ChoiceField(label=_("Sector"), choices=[("private", _("Private")), ("public", _("Public"))])
    diagnosis = forms.CharField(
        label=_("Diagnosis (medical, confidential)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    # The papers handed in, printed on the member's receipt; below the buttons, out of the typing path.
    pieces = forms.MultipleChoiceField(
        label=_("Pieces received"), required=False, choices=list(CHECKLIST.items()),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args: object, card_number: str = "", **kwargs: object) -> None:
        # card_number: the counter opened from a member's file ("New claim for this member").
        kwargs.setdefault(
            "initial", {"filed_on": timezone.localdate(), "card_number": card_number, "pieces": ["care_sheet"]}
        )
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["pieces"].widget.attrs["class"] = "form-check-input"  # boxes, not text fields
        if not self.is_bound and not card_number:  # empty page only: a live refresh must not pull the cursor back
            self.fields["card_number"].widget.attrs["autofocus"] = True


class LineForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=LineKind.choices)
    # A combobox (static/js/counter.js): the codes and labels matching what is typed, walked with the arrows.
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "dir": "ltr", "role": "combobox", "aria-autocomplete": "list",
                   "aria-expanded": "false", "aria-controls": "code-options", "data-complete": "codes"}
        ),
    )  # fmt: skip
    coefficient = forms.DecimalField(
        label=_("Coefficient"), max_digits=8, decimal_places=2, initial=Decimal("1"), min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs={"dir": "ltr", "step": "0.01"}),
    )  # fmt: skip
    quantity = forms.IntegerField(
        label=_("Qty"), min_value=1, initial=1, widget=forms.NumberInput(attrs={"dir": "ltr"})
    )
    care_date = forms.DateField(
        label=_("Date of care"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    paid = forms.DecimalField(
        label=_("Paid (MAD)"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs={"dir": "ltr", "step": "0.01", "inputmode": "decimal"}),
    )  # fmt: skip

    ald = forms.CharField(
        label=_("ALD"), max_length=16, required=False,
        help_text=_("Long-term illness code, if the care belongs to one (e.g. ALD12)"),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "size": 6}),
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        """The ALD code in the list's form (ALD-12, ald 12 → ALD12); one not on the list is refused here."""
        data = super().clean() or {}
        typed = data.get("ald") or ""
        code = ald_code_normalise(typed)
        day = data.get("care_date")
        if code and day is not None and not ald_code_known(code, day):
            self.add_error("ald", MSG_UNKNOWN_ALD % {"code": typed.strip()})
        data["ald"] = code
        return data

    def has_changed(self) -> bool:
        """A line without code nor amount is a blank line (Enter pressed once too often): it is skipped."""
        return any(self[name].data not in (None, "") for name in ("code", "paid"))


LineFormSet = forms.formset_factory(LineForm, extra=0, min_num=1, validate_min=True, max_num=30)


def counter_lines_initial(filed_on: object) -> list[dict[str, object]]:
    """An empty counter's first line: cared for on the filing date, the usual case at the counter."""
    return [{"care_date": filed_on, "coefficient": Decimal("1"), "quantity": 1}]


def line_inputs(formset: Any, indexes: list[int] | None = None) -> list[LineInput]:
    """The lines typed in a formset of LineForm (all, or those at `indexes`), blank ones skipped."""
    keys = ("kind", "code", "coefficient", "quantity", "care_date", "paid", "ald")
    rows = formset.forms if indexes is None else [formset.forms[i] for i in indexes]
    return [LineInput(**{k: f.cleaned_data[k] for k in keys}) for f in rows if f.cleaned_data]


def beneficiary_choices(field: Any, beneficiaries: Iterable[Any]) -> None:
    """A member's people as the choices of `field`: card number and name in both scripts."""
    assert isinstance(field, forms.TypedChoiceField)
    field.choices = [
        (b.pk, f"{b.card_number} · {b.last_name} {b.first_name} · {b.last_name_ar} {b.first_name_ar}")
        for b in beneficiaries
    ]


class AttachmentForm(forms.Form):
    kind = forms.CharField()
    upload = forms.FileField()


class ApprovalRequestForm(BootstrapMixin, forms.Form):
    """A prior-approval request for one of a member's beneficiaries (staff at the counter, or the member)."""

    beneficiary = forms.TypedChoiceField(label=_("For"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=LineKind.choices)
    code = forms.CharField(
        label=_("Act, medicine or stay code"), max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr"}),
    )  # fmt: skip
    justification = forms.CharField(
        label=_("Medical justification"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, beneficiaries: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        beneficiary_choices(self.fields["beneficiary"], beneficiaries)
