"""Counter intake, built for the keyboard: card number, lines with code completion, live amounts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_htmx.http import HttpResponseClientRedirect

import engine as e
from accounts.models import Provider
from claims.forms import CounterForm, LineFormSet, counter_lines_initial, line_inputs
from claims.models import Channel
from claims.selectors_codes import codes_labels, codes_search
from claims.services import ClaimTransitionError, claim_take_at_counter
from claims.services.engine_io import to_decimal
from claims.services.intake import ClaimIntakeError, LineInput
from claims.services.preview import claim_preview
from claims.views_receipt import receipt_url
from engine import reason_label
from members.models import Beneficiary
from members.selectors import beneficiary_by_card

MSG_NO_CARD = _("No beneficiary has this card number.")
MSG_SAVED = _("File %(number)s saved and adjudicated.")
# Filing alone is not enough: providers may file (through the API) but must not look people up by
# card number nor file for other providers' patients here, so the counter also needs the registry.
COUNTER_PERMS = ("claims.add_claimfile", "members.view_beneficiary")


def _complete(formset: Any) -> list[int]:
    """Indexes of the lines typed in full and valid: the ones the engine can price."""
    return [i for i, f in enumerate(formset.forms) if f.is_valid() and f.cleaned_data]


def _preview(header: CounterForm, lines: list[LineInput], ben: Beneficiary) -> e.FileDecision:
    """The engine's decision on the lines as typed, without writing anything."""
    inpe = header.cleaned_data.get("provider_inpe") or ""
    provider = Provider.objects.filter(inpe=inpe).only("kind").first() if inpe else None
    return claim_preview(
        beneficiary_id=ben.pk,
        filed_on=header.cleaned_data["filed_on"],
        channel=Channel.COUNTER,
        provider_inpe=inpe,
        provider_sector=header.cleaned_data["provider_sector"],
        provider_kind=provider.kind if provider else "doctor",
        lines=lines,
    )


def _display(formset: Any, decision: e.FileDecision | None, priced: list[int]) -> dict[str, Any]:
    """Rows of (form, computed amounts in MAD or None) and the totals, for the template."""
    lang = get_language() or "fr"
    computed: list[dict[str, Any] | None] = [None] * len(formset.forms)
    for i, d in zip(priced, decision.lines if decision else (), strict=False):
        computed[i] = {
            "amo": to_decimal(d.amo), "complementary": to_decimal(d.complementary),
            "remainder": to_decimal(d.remainder), "reasons": [reason_label(r, lang) for r in d.reasons],
        }  # fmt: skip
    totals = None
    if decision is not None:
        totals = {"amo": to_decimal(decision.amo), "complementary": to_decimal(decision.complementary),
                  "remainder": to_decimal(decision.remainder)}  # fmt: skip
    labels = codes_labels(codes=[(str(f["kind"].value() or ""), str(f["code"].value() or "")) for f in formset.forms])
    shown = [labels.get(_typed(f)) for f in formset.forms]
    return {"rows": list(zip(formset.forms, computed, shown, strict=True)), "totals": totals}


def _typed(form: Any) -> tuple[str, str]:
    """(kind, code) of a line as typed, in the referentials' spelling, to find its label."""
    kind, code = str(form["kind"].value() or ""), str(form["code"].value() or "").strip()
    return (kind, "".join(ch for ch in code if ch.isdigit()) if kind == "medicine" else code.upper())


def _quiet(*forms: Any) -> None:
    """While the agent is still typing, untouched fields are not flagged red."""
    for form in forms:
        for field in form.fields.values():
            field.widget.attrs["class"] = field.widget.attrs.get("class", "").replace(" is-invalid", "")


@login_required
@permission_required(COUNTER_PERMS, raise_exception=True)
def counter(request: HttpRequest) -> HttpResponse:
    """Enter (or "Add a line") adds a line, any change reprices ("live": only the amounts are sent back),
    "Save" files and adjudicates.

    Errors are shown on "Compute" and "Save" only: while typing, the lines already complete are priced."""
    card = "" if request.method == "POST" else request.GET.get("card", "").strip()[:14]
    header = CounterForm(request.POST or None, card_number=card)
    formset = LineFormSet(request.POST or None, prefix="lines", initial=counter_lines_initial(timezone.localdate()))
    action = request.POST.get("action", "")
    ben = None
    if request.method == "POST" and header.is_valid():
        ben = beneficiary_by_card(card=header.cleaned_data["card_number"])
        if ben is None:
            header.add_error("card_number", MSG_NO_CARD)
    elif card:  # opened from a member's file: the beneficiary is shown and the cursor is on the first line
        ben = beneficiary_by_card(card=card)
        formset.forms[0].fields["code"].widget.attrs["autofocus"] = True
    error = ""
    if action == "add" and formset.is_bound:
        data = request.POST.copy()
        total = min(int(data.get("lines-TOTAL_FORMS", "1") or 1), LineFormSet.max_num - 1)
        data["lines-TOTAL_FORMS"] = str(total + 1)
        # The new line starts with a coefficient and quantity of 1 and the previous line's date of care.
        data.update({f"lines-{total}-coefficient": "1", f"lines-{total}-quantity": "1",
                     f"lines-{total}-care_date": data.get(f"lines-{total - 1}-care_date", "")})  # fmt: skip
        formset = LineFormSet(data, prefix="lines")
        # htmx puts the cursor on the new line's code: picking a code sets the kind.
        formset.forms[total].fields["code"].widget.attrs["autofocus"] = True
    if action == "save" and ben is not None and formset.is_valid():
        inpe = header.cleaned_data.get("provider_inpe") or ""
        provider = Provider.objects.filter(inpe=inpe).first() if inpe else None
        try:
            claim = claim_take_at_counter(
                actor=request.user, beneficiary=ben, filed_on=header.cleaned_data["filed_on"],
                lines=line_inputs(formset), provider=provider, provider_inpe=inpe,
                provider_sector=header.cleaned_data["provider_sector"],
                diagnosis=header.cleaned_data.get("diagnosis", ""),
            )  # fmt: skip
        except (ClaimIntakeError, ClaimTransitionError) as exc:
            error = str(exc.message)
        else:
            messages.success(request, MSG_SAVED % {"number": claim.number})
            # The receipt for the member comes first; it links to the file and to the next one.
            target = receipt_url(claim.pk, header.cleaned_data.get("pieces") or [])
            if request.htmx:  # type: ignore[attr-defined]
                return HttpResponseClientRedirect(target)
            return redirect(target)
    show_errors = action in ("save", "preview")
    if request.method == "POST" and not show_errors:
        _quiet(header, *formset.forms)
    priced = _complete(formset) if formset.is_bound else []
    decision = _preview(header, line_inputs(formset, priced), ben) if ben is not None and priced else None
    context = {
        "header": header, "formset": formset, "beneficiary": ben, "show_errors": show_errors,
        "error": error, **_display(formset, decision, priced),
    }  # fmt: skip
    template = "claims/counter_form.html" if request.htmx else "claims/counter.html"  # type: ignore[attr-defined]
    if action == "live":
        template = "claims/counter_live.html"
    return render(request, template, context)


@login_required
@permission_required(COUNTER_PERMS, raise_exception=True)
def counter_beneficiary(request: HttpRequest) -> HttpResponse:
    ben = beneficiary_by_card(card=request.GET.get("card_number", ""))
    return render(request, "claims/counter_beneficiary.html", {"beneficiary": ben})


@login_required
@permission_required(COUNTER_PERMS, raise_exception=True)
def counter_codes(request: HttpRequest) -> HttpResponse:
    """The completion's options: key letters, acts (lab tests and imaging among them), stays and
    medicines whose code starts with the text or (from two letters on) whose label holds it."""
    options = codes_search(query=request.GET.get("q", ""))
    return render(request, "claims/counter_codes.html", {"options": options})
