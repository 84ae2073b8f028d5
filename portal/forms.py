"""The member's forms, in the member's words: what was bought or done, for whom, when, how much.

Every message is the project's own (translated in Arabic and French), never Django's default English.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from claims.selectors_codes import CodeOption, codes_search
from claims.services.intake import LineInput
from mutuelle.forms import BootstrapMixin
from referentials.choices import Category

MSG_INVALID_DATE = _("Give the date as day, month and year.")
MSG_AMOUNT = _("Give the amount in dirhams, for example 150.00.")
MSG_FILE_EMPTY = _("The file sent is empty.")
MSG_CHOOSE = _("Choose it in the list that opens as you type part of its name.")


# The kinds of care in plain words, each with the claim line's kind and the act categories searched.
WHAT_CHOICES: tuple[tuple[str, Any, str, tuple[str, ...]], ...] = (
    ("consultation", _("A doctor's consultation or home visit"), "act", (Category.CONSULTATION, Category.VISIT)),
    ("medicine", _("Medicines from the pharmacy"), "medicine", ()),
    ("tests", _("Laboratory tests, X-rays or scans"), "act", (Category.LAB, Category.IMAGING)),
    ("care", _("Other care: dentist, physiotherapy, glasses, surgery…"), "act",
     (Category.DENTAL, Category.PHYSIOTHERAPY, Category.SPEECH_THERAPY, Category.OPTICS, Category.PROSTHESIS,
      Category.SURGERY, Category.DEVICE, Category.OTHER)),
    ("stay", _("A stay in hospital or clinic"), "stay", (Category.HOSPITAL_STAY,)),
)  # fmt: skip


WHAT = {key: (kind, cats) for key, _label, kind, cats in WHAT_CHOICES}


def what_search(*, what: str, query: str) -> list[CodeOption]:
    """The acts or medicines of the kind `what` whose name (or code) holds `query`."""
    kind, categories = WHAT.get(what, ("act", ()))
    return codes_search(query=query, kinds=(kind,), categories=categories)


def _required(message: Any) -> dict[str, Any]:
    return {"required": message}


class PortalLineForm(BootstrapMixin, forms.Form):
    what = forms.ChoiceField(
        label=_("What was bought or done"), choices=[(k, label) for k, label, _kind, _cats in WHAT_CHOICES],
        error_messages={"required": _("Say what was bought or done."), "invalid_choice": _("Choose one of the list.")},
    )  # fmt: skip
    item = forms.CharField(
        label=_("Which one"), max_length=120, help_text=_("Type part of its name, then choose it in the list."),
        error_messages=_required(_("Say which one: type part of its name.")),
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-search": "what", "role": "combobox",
                                      "aria-autocomplete": "list", "aria-expanded": "false"}),
    )  # fmt: skip
    code = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)
    care_date = forms.DateField(
        label=_("Date of care or purchase"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Give the date of the care or purchase."), "invalid": MSG_INVALID_DATE},
    )  # fmt: skip
    paid = forms.DecimalField(
        label=_("How much you paid (MAD)"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs={"dir": "ltr", "step": "0.01", "inputmode": "decimal"}),
        error_messages={"required": _("Give the amount you paid."), "invalid": MSG_AMOUNT,
                        "min_value": _("The amount must be more than zero."),
                        "max_digits": MSG_AMOUNT, "max_decimal_places": MSG_AMOUNT, "max_whole_digits": MSG_AMOUNT},
    )  # fmt: skip
    quantity = forms.IntegerField(
        label=_("How many (boxes, sessions, days)"), min_value=1, max_value=999, initial=1,
        widget=forms.NumberInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
        error_messages={"required": _("Say how many (1 if only one)."), "invalid": _("Give a whole number."),
                        "min_value": _("At least one."), "max_value": _("At most 999.")},
    )  # fmt: skip

    def has_changed(self) -> bool:
        """A line with nothing typed in it is a blank line: it is skipped."""
        return any(self[name].data not in (None, "") for name in ("item", "code", "paid", "care_date"))

    def clean(self) -> dict[str, Any]:
        """The code of what was chosen in the list; text typed without choosing is looked up, and taken
        when it names exactly one act or medicine of that kind."""
        data = super().clean() or {}
        what, item, code = data.get("what"), (data.get("item") or "").strip(), (data.get("code") or "").strip()
        if not what or not item:
            return data
        found = what_search(what=what, query=code or item)
        exact = [o for o in found if o.code.upper() == (code or item).upper() or o.label.casefold() == item.casefold()]
        chosen = exact[0] if exact else (found[0] if len(found) == 1 else None)
        if chosen is None:
            self.add_error("item", MSG_CHOOSE)
        else:
            data["code"], data["kind"] = chosen.code, chosen.kind
        return data

    def line_input(self) -> LineInput:
        d = self.cleaned_data
        return LineInput(kind=d["kind"], code=d["code"], care_date=d["care_date"], paid=d["paid"],
                         quantity=d["quantity"])  # fmt: skip


class PortalLineBaseFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    default_error_messages = {
        "missing_management_form": _("The form was sent incomplete. Reload the page and try again."),
        "too_many_forms": _("At most %(num)d lines in one claim: send the others in a second claim."),
        "too_few_forms": _("Add at least one line: what was bought or done, when and how much."),
    }

    def line_inputs(self) -> list[LineInput]:
        return [f.line_input() for f in self.forms if f.cleaned_data]


MAX_LINES = 15
PortalLineFormSet = forms.formset_factory(
    PortalLineForm, formset=PortalLineBaseFormSet, extra=0, min_num=1, validate_min=True, max_num=MAX_LINES,
    validate_max=True,
)  # fmt: skip


def person_name(b: Any) -> str:
    """A beneficiary's name in the page's script (Arabic when the page is and the person has one)."""
    arabic = (get_language() or "").startswith("ar") and b.last_name_ar
    return f"{b.first_name_ar} {b.last_name_ar}" if arabic else f"{b.first_name} {b.last_name}"


def _scan(label: Any, *, required: bool) -> forms.FileField:
    messages = {"required": _("Attach the scan of the care sheet: the file cannot be checked without it."),
                "empty": MSG_FILE_EMPTY, "invalid": _("This is not a file. Choose the scan again."),
                "missing": _("This is not a file. Choose the scan again.")}  # fmt: skip
    return forms.FileField(
        label=label, required=required, error_messages=messages,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )  # fmt: skip


class PortalClaimForm(BootstrapMixin, forms.Form):
    """The member's online claim: for whom, by whom, and the scans of the papers."""

    beneficiary = forms.TypedChoiceField(
        label=_("For whom"), coerce=int,
        error_messages={"required": _("Say who received the care."),
                        "invalid_choice": _("Choose a person of your file.")},
    )  # fmt: skip
    provider_inpe = forms.CharField(
        label=_("Doctor's or pharmacy's INPE number (on the care sheet, optional)"), max_length=9, required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
        error_messages={"max_length": _("An INPE has 9 digits.")},
    )  # fmt: skip
    provider_sector = forms.ChoiceField(
        label=_("Where"),
        choices=[("private", _("Private doctor, clinic or pharmacy")), ("public", _("Public hospital"))],
        error_messages={"required": _("Say where the care was given."), "invalid_choice": _("Choose one of the list.")},
    )  # fmt: skip
    care_sheet = _scan(_("Scan of the care sheet (PDF, JPEG or PNG)"), required=True)
    prescription = _scan(_("Scan of the prescription (optional)"), required=False)
    invoice = _scan(_("Scan of the invoice or receipts (optional)"), required=False)

    def __init__(self, *args: Any, beneficiaries: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["beneficiary"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(b.pk, f"{person_name(b)} ({b.get_relation_display()})") for b in beneficiaries]

    def clean_provider_inpe(self) -> str:
        value = "".join(str(self.cleaned_data.get("provider_inpe") or "").split())
        if value and (len(value) != 9 or not value.isdigit()):
            raise forms.ValidationError(_("An INPE has 9 digits."))
        return value

    def scans(self) -> list[tuple[str, Any]]:
        """(attachment kind, upload) for each scan given."""
        kinds = (("care_sheet", "care_sheet"), ("prescription", "prescription"), ("invoice", "invoice"))
        return [(kind, self.cleaned_data[name]) for name, kind in kinds if self.cleaned_data.get(name)]


class CompletionForm(forms.Form):
    """One scan per piece the officer named missing on a returned file."""

    def __init__(self, *args: Any, pieces: Iterable[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in pieces:
            self.fields[f"piece_{key}"] = forms.FileField(
                label=label, error_messages={"required": _("Attach a scan of this piece."), "empty": MSG_FILE_EMPTY,
                                             "invalid": _("This is not a file. Choose the scan again.")},
                widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png",
                                                       "class": "form-control"}),
            )  # fmt: skip

    def pieces(self) -> dict[str, Any]:
        return {name.removeprefix("piece_"): upload for name, upload in self.cleaned_data.items()}
