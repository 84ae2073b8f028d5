"""Forms of the public simulator page: the file, the beneficiary and a formset of lines."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from claims.simulator.services import MAX_LINES
from mutuelle.forms import BootstrapMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FileForm(BootstrapMixin, forms.Form):
    filed_on = forms.DateField(label=_("Date filed"), widget=DATE)
    filed_by = forms.ChoiceField(
        label=_("Filed by"), choices=[("member", _("the member")), ("provider", _("the provider"))]
    )
    sector = forms.ChoiceField(label=_("Provider sector"), choices=[("private", _("private")), ("public", _("public"))])
    kind = forms.ChoiceField(
        label=_("Provider kind"),
        choices=[
            ("doctor", _("doctor")),
            ("pharmacy", _("pharmacy")),
            ("lab", _("laboratory")),
            ("clinic", _("clinic")),
            ("hospital", _("hospital")),
        ],
    )
    inpe = forms.CharField(label=_("Provider INPE"), required=False, max_length=20)
    relation = forms.ChoiceField(
        label=_("Beneficiary"), choices=[("self", _("the member")), ("spouse", _("spouse")), ("child", _("child"))]
    )
    birth_date = forms.DateField(label=_("Birth date"), widget=DATE)
    member_joined = forms.DateField(label=_("Member since"), widget=DATE)
    member_status = forms.ChoiceField(
        label=_("Member status"),
        choices=[
            ("active", _("active")),
            ("retired", _("retired")),
            ("deceased", _("deceased")),
            ("suspended", _("suspended")),
            ("resigned", _("resigned")),
        ],
    )
    from_other_amo = forms.BooleanField(label=_("Came from another AMO scheme"), required=False)
    student_until = forms.DateField(label=_("School certificate valid until"), widget=DATE, required=False)
    disabled = forms.BooleanField(label=pgettext_lazy("person", "Disabled"), required=False)
    ald = forms.CharField(
        label=_("Recognised long-term illnesses (ALD codes)"),
        required=False,
        max_length=200,
        help_text=_("Separated by commas, e.g. ALD08, ALD12"),
    )


class LineForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("act", _("act")), ("medicine", _("medicine")), ("stay", _("hospital stay"))]
    )
    date = forms.DateField(label=_("Date of care"), widget=DATE)
    code = forms.CharField(label=_("Code"), required=False, max_length=32, help_text=_("e.g. C, Cs, K or a code"))
    coefficient = forms.DecimalField(label=_("Coefficient"), min_value=0.01, decimal_places=2, initial=1)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, initial=1)
    paid = forms.DecimalField(label=_("Amount paid (MAD)"), min_value=0.01, decimal_places=2)
    unit_price = forms.DecimalField(label=_("Unit price (medicine)"), required=False, min_value=0.01, decimal_places=2)
    reference_unit_price = forms.DecimalField(
        label=_("Generic unit price"), required=False, min_value=0.01, decimal_places=2
    )
    ald = forms.CharField(label=_("For ALD"), required=False, max_length=16)
    prior_approval = forms.CharField(label=_("Prior approval no."), required=False, max_length=32)
    inpatient = forms.BooleanField(label=_("During a hospital stay"), required=False)


LineFormSet = forms.formset_factory(
    LineForm, extra=0, min_num=1, validate_min=True, max_num=MAX_LINES, validate_max=True
)
LINES_PREFIX = "lines"


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def scenario_from_forms(file: FileForm, lines: Any) -> dict[str, Any]:
    """The simulator JSON built from valid forms (blank extra lines are skipped)."""
    f = file.cleaned_data
    out_lines = [
        {
            "kind": c["kind"],
            "date": c["date"].isoformat(),
            "code": c.get("code") or "",
            "coefficient": str(c["coefficient"]),
            "quantity": c["quantity"],
            "paid": str(c["paid"]),
            "unit_price": _text(c.get("unit_price")),
            "reference_unit_price": _text(c.get("reference_unit_price")),
            "ald": _text(c.get("ald")),
            "prior_approval": _text(c.get("prior_approval")),
            "inpatient": bool(c.get("inpatient")),
        }
        for c in lines.cleaned_data
        if c
    ]
    return {
        "filed_on": f["filed_on"].isoformat(),
        "filed_by": f["filed_by"],
        "provider": {"sector": f["sector"], "kind": f["kind"], "inpe": _text(f.get("inpe"))},
        "beneficiary": {
            "relation": f["relation"],
            "birth_date": f["birth_date"].isoformat(),
            "member_joined": f["member_joined"].isoformat(),
            "member_status": f["member_status"],
            "from_other_amo": bool(f.get("from_other_amo")),
            "student_until": f["student_until"].isoformat() if f.get("student_until") else None,
            "disabled": bool(f.get("disabled")),
            "ald": [code.strip() for code in (f.get("ald") or "").split(",") if code.strip()],
        },
        "lines": out_lines,
    }
