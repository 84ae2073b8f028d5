"""Counter intake, built for the keyboard: card number, lines with code completion, live amounts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Provider
from claims import engine as e
from claims.engine import reason_label
from claims.forms import CounterForm, LineFormSet
from claims.services import ClaimTransitionError, claim_take_at_counter
from claims.services.adjudication import snapshot_current
from claims.services.engine_io import to_decimal
from claims.services.intake import ClaimIntakeError, LineInput
from members.models import Beneficiary

MSG_NO_CARD = _("No beneficiary has this card number.")


def _beneficiary(card: str) -> Beneficiary | None:
    card = "".join((card or "").split()).upper()
    return Beneficiary.objects.select_related("member").filter(card_number=card).first() if card else None


def _lines(formset: Any) -> list[LineInput]:
    return [
        LineInput(**{k: f.cleaned_data[k] for k in ("kind", "code", "coefficient", "quantity", "care_date", "paid")})
        for f in formset.forms
        if f.cleaned_data
    ]


def _preview(header: CounterForm, formset: Any, ben: Beneficiary) -> e.FileDecision:
    """The engine's decision on the lines as typed, without writing anything."""
    from claims.services.engine_io import history_for

    lines = _lines(formset)
    snap = snapshot_current()
    member = ben.member
    facts = e.BeneficiaryFacts(
        beneficiary_id=str(ben.pk), relation=ben.relation, birth_date=ben.birth_date, member_joined=member.joined_on,
        member_status=member.status, from_other_amo=member.from_other_amo,
        student_until=ben.school_certificate_until, disabled=ben.disabled,
    )  # fmt: skip
    inpe = header.cleaned_data.get("provider_inpe") or None
    efile = e.ClaimFile(
        ref="preview", beneficiary=facts, filed_on=header.cleaned_data["filed_on"], filed_by="member",
        provider=e.Provider(sector=header.cleaned_data["provider_sector"], kind="doctor", inpe=inpe),
        lines=tuple(e.ClaimLine(ref=str(i), kind=ln.kind, date=ln.care_date, paid=e.to_centimes(ln.paid),
                                code=ln.code.strip().upper() if ln.kind != "medicine" else ln.code.strip(),
                                coefficient_x100=e.to_hundredths(ln.coefficient), quantity=ln.quantity)
                    for i, ln in enumerate(lines)),
    )  # fmt: skip
    history = history_for(beneficiary_ids={ben.pk}, exclude_files=set(), snapshot=snap)
    return e.adjudicate_file(efile, snap, history)


def _display(formset: Any, decision: e.FileDecision | None) -> dict[str, Any]:
    """Rows of (form, computed amounts in MAD or None) and the totals, for the template."""
    lang = get_language() or "fr"
    computed: list[dict[str, Any] | None] = [
        {"amo": to_decimal(d.amo), "complementary": to_decimal(d.complementary), "remainder": to_decimal(d.remainder),
         "reasons": [reason_label(r, lang) for r in d.reasons]}
        for d in (decision.lines if decision else ())
    ]  # fmt: skip
    computed += [None] * (len(formset.forms) - len(computed))
    totals = None
    if decision is not None:
        totals = {"amo": to_decimal(decision.amo), "complementary": to_decimal(decision.complementary),
                  "remainder": to_decimal(decision.remainder)}  # fmt: skip
    return {"rows": list(zip(formset.forms, computed, strict=False)), "totals": totals}


@login_required
@permission_required("claims.add_claimfile", raise_exception=True)
def counter(request: HttpRequest) -> HttpResponse:
    header = CounterForm(request.POST or None)
    formset = LineFormSet(request.POST or None, prefix="lines")
    decision = None
    ben = None
    if request.method == "POST" and header.is_valid():
        ben = _beneficiary(header.cleaned_data["card_number"])
        if ben is None:
            header.add_error("card_number", MSG_NO_CARD)
    action = request.POST.get("action", "")
    if action == "add":
        data = request.POST.copy()
        total = int(data.get("lines-TOTAL_FORMS", "1"))
        data["lines-TOTAL_FORMS"] = str(total + 1)
        formset = LineFormSet(data, prefix="lines")
    elif request.method == "POST" and ben is not None and formset.is_valid():
        if action == "save":
            inpe = header.cleaned_data.get("provider_inpe") or ""
            provider = Provider.objects.filter(inpe=inpe).first() if inpe else None
            try:
                claim = claim_take_at_counter(
                    actor=request.user, beneficiary=ben, filed_on=header.cleaned_data["filed_on"],
                    lines=_lines(formset), provider=provider, provider_sector=header.cleaned_data["provider_sector"],
                    diagnosis=header.cleaned_data.get("diagnosis", ""),
                )  # fmt: skip
            except (ClaimIntakeError, ClaimTransitionError) as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("File saved and adjudicated."))
                return redirect("claims:detail", pk=claim.pk)
        decision = _preview(header, formset, ben)
    context = {"header": header, "formset": formset, "beneficiary": ben, **_display(formset, decision)}
    template = "claims/counter_form.html" if request.htmx else "claims/counter.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
@permission_required("claims.add_claimfile", raise_exception=True)
def counter_beneficiary(request: HttpRequest) -> HttpResponse:
    ben = _beneficiary(request.GET.get("card_number", ""))
    return render(request, "claims/counter_beneficiary.html", {"beneficiary": ben})


@login_required
@permission_required("claims.add_claimfile", raise_exception=True)
def counter_codes(request: HttpRequest) -> HttpResponse:
    """<option>s for the code datalist: acts and medicines starting with the typed text."""
    from referentials.models import Act, Medicine

    q = request.GET.get("q", "").strip()
    acts = list(Act.objects.filter(code__istartswith=q).values_list("code", "label_fr").distinct()[:10]) if q else []
    meds = list(Medicine.objects.filter(code__istartswith=q).values_list("code", "name").distinct()[:10]) if q else []
    return render(request, "claims/counter_codes.html", {"codes": acts + meds})
