"""Advances on care: the list, a new advance, the verbs (approve, refuse, cancel, an instalment)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from allowances import selectors
from allowances.forms import MSG_NO_MEMBER
from allowances.models import Advance, AdvanceState
from allowances.services.advances import (
    LINKABLE,
    advance_claim_link,
    advance_create,
    advance_decide,
    advance_instalment_record,
)
from allowances.services.errors import AllowanceError
from allowances.services.transitions import FILE

MSG_DONE = _("Done.")


class AdvanceForm(forms.Form):
    membership_number = forms.CharField(label=_("Membership number"), max_length=10)
    quote_reference = forms.CharField(label=_("Quote reference"), max_length=40)
    quote_amount = forms.DecimalField(label=_("Amount of the quote"), max_digits=12, decimal_places=2, min_value=0)
    amount = forms.DecimalField(label=_("Advance"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    instalment = forms.DecimalField(label=_("Monthly instalment"), max_digits=12, decimal_places=2, min_value=0,
                                    required=False)  # fmt: skip
    rib = forms.CharField(label=_("RIB"), max_length=24)

    def clean_membership_number(self) -> object:
        from members.models import Member

        member = Member.objects.filter(membership_number=self.cleaned_data["membership_number"].strip()).first()
        if member is None:
            raise forms.ValidationError(MSG_NO_MEMBER)
        return member


class InstalmentForm(forms.Form):
    amount = forms.DecimalField(label=_("Instalment received"), max_digits=12, decimal_places=2,
                                min_value=Decimal("0.01"))  # fmt: skip


@login_required
@permission_required(selectors.VIEW, raise_exception=True)
def advance_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.advance_list(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "allowances/advances.html", {"page": page, "form": AdvanceForm(), "States": AdvanceState,
                                                        "instalment_form": InstalmentForm(),
                                                        "linkable": LINKABLE})  # fmt: skip


@login_required
@permission_required(FILE, raise_exception=True)
@require_POST
def advance_new(request: HttpRequest) -> HttpResponse:
    form = AdvanceForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            advance_create(actor=request.user, member=d["membership_number"], quote_reference=d["quote_reference"],
                           quote_amount=d["quote_amount"], amount=d["amount"], rib=d["rib"],
                           instalment=d["instalment"] or Decimal("0.00"))  # fmt: skip
        except AllowanceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, MSG_DONE)
            return redirect("allowances:advances")
    page = Paginator(selectors.advance_list(user=request.user), 50).get_page(1)
    return render(request, "allowances/advances.html", {"page": page, "form": form, "States": AdvanceState,
                                                        "instalment_form": InstalmentForm(), "linkable": LINKABLE},
                  status=400)  # fmt: skip


@login_required
@require_POST
def advance_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    advance = Advance.objects.filter(pk=pk).first()
    if advance is None or not request.user.has_perm(selectors.VIEW):
        raise Http404
    try:
        if action == "instalment":
            form = InstalmentForm(request.POST)
            if not form.is_valid():
                raise AllowanceError(_("Give the amount received."), code="amount")
            advance_instalment_record(actor=request.user, advance=advance, amount=form.cleaned_data["amount"])
        elif action == "claim":
            number = request.POST.get("claim_number", "").strip()[:20]
            advance_claim_link(actor=request.user, advance=advance, claim_number=number)
        elif action in (AdvanceState.APPROVED, AdvanceState.REFUSED, AdvanceState.CANCELLED):
            advance_decide(actor=request.user, advance=advance, to=action, note=request.POST.get("note", "")[:300])
        else:
            raise Http404
    except AllowanceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, MSG_DONE)
    return redirect("allowances:advances")
