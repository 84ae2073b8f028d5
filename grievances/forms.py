"""Forms: filing (member or agent), the queue's filters, the answer with the committee's change."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from grievances.models import AnswerReason, Channel, GrievanceCategory, Kind, Outcome, Status
from grievances.selectors import MemberDecisions
from grievances.services.filing import MAX_FILES, MAX_TEXT
from mutuelle.forms import BootstrapMixin

MSG_KIND_CATEGORY = _("This category is not one of the kind chosen.")
MSG_TOO_MANY = _("At most %(n)s attachments.")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); each is verified by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def decision_choices(decisions: MemberDecisions) -> list[tuple[Any, Any]]:
    """ "kind:id" values for the decisions a member may contest, grouped, with what a person recognises."""
    lines = [(f"line:{ln.pk}", f"{ln.file.number} · {ln.position + 1} · {ln.code or ln.get_kind_display()} · "
              f"{ln.care_date:%Y-%m-%d} · {ln.get_status_display()}") for ln in decisions.lines]  # fmt: skip
    payments = [(f"payment:{p.pk}", f"{p.end_to_end_id} · {p.amount} MAD · {p.get_state_display()}")
                for p in decisions.payments]  # fmt: skip
    allowances = [(f"allowance:{r.pk}", f"{r.number} · {r.type.label} · {r.get_state_display()}")
                  for r in decisions.allowances]  # fmt: skip
    suspensions = [
        (f"suspension:{s.pk}", f"{s.starts_on:%Y-%m-%d} → {s.ends_on or '…'}") for s in decisions.suspensions
    ]
    choices: list[tuple[Any, Any]] = [("", _("No particular decision (the service)"))]
    for label, group in ((_("Claim lines"), lines), (_("Payments"), payments),
                         (_("Allowance requests"), allowances), (_("Suspensions of rights"), suspensions)):  # fmt: skip
        if group:
            choices.append((label, group))
    return choices


class GrievanceForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    category = forms.ModelChoiceField(label=_("Category"), queryset=GrievanceCategory.objects.none())
    decision = forms.ChoiceField(label=_("Decision concerned"), required=False)
    text = forms.CharField(label=_("What happened"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 6}))
    attachments = MultipleFileField(
        label=_("Attachments"), required=False, help_text=_("PDF, JPEG or PNG, at most 5 files of 5 MB.")
    )

    def __init__(self, *args: Any, decisions: MemberDecisions, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = GrievanceCategory.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["decision"].choices = decision_choices(decisions)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        category = data.get("category")
        if category is not None and data.get("kind") and category.kind != data["kind"]:
            self.add_error("category", MSG_KIND_CATEGORY)
        if len(data.get("attachments") or []) > MAX_FILES:
            self.add_error("attachments", MSG_TOO_MANY % {"n": MAX_FILES})
        return data


class AgentGrievanceForm(GrievanceForm):
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[(Channel.COUNTER, Channel.COUNTER.label), (Channel.PHONE, Channel.PHONE.label)]
    )


class QueueFilterForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Open (filed or in review)")), *Status.choices])  # fmt: skip
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *Kind.choices])
    category = forms.ChoiceField(label=_("Category"), required=False)
    late = forms.BooleanField(label=_("Late only (due date passed)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cats = [(c.code, c.label) for c in GrievanceCategory.objects.all()]
        self.fields["category"].choices = [("", _("All")), *cats]  # type: ignore[attr-defined]


class AnswerForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    reason_code = forms.ChoiceField(label=_("Reason"), choices=AnswerReason.choices)
    text = forms.CharField(label=_("Answer to the member"), max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 5}))  # fmt: skip
    # The committee's change to a rejected claim line (appeal upheld); empty fields keep the entry.
    prior_approval = forms.CharField(label=_("Number of the prior approval granted"), required=False, max_length=20)
    code = forms.CharField(label=_("Corrected code"), required=False, max_length=32)
    coefficient = forms.DecimalField(label=_("Corrected coefficient"), required=False, min_value=Decimal("0.01"),
                                     max_digits=8, decimal_places=2)  # fmt: skip
    quantity = forms.IntegerField(label=_("Corrected quantity"), required=False, min_value=1, max_value=10_000)
    paid = forms.DecimalField(label=_("Corrected amount paid (MAD)"), required=False, min_value=Decimal("0.01"),
                              max_digits=12, decimal_places=2)  # fmt: skip
    inpatient = forms.ChoiceField(label=_("During a hospital stay"), required=False,
                                  choices=[("", _("As entered")), ("yes", _("Yes")), ("no", _("No"))])  # fmt: skip
