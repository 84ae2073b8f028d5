"""The member's ledger (staff page and the member's own), receipts, periods off payroll, PDFs, schedules."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from claims.services.documents import pdf_render
from contributions.forms import OffPayrollForm, ReceiptForm
from contributions.models import OffPayroll, Receipt
from contributions.selectors import schedules_history
from contributions.selectors_ledger import (
    member_ledger,
    member_receipts,
    months_between,
    months_outstanding,
    receipt_for,
)  # fmt: skip
from contributions.services_common import ContributionRefused
from contributions.services_receipts import (
    COUNTER_PERM,
    TRANSFER_PERM,
    ReceiptMonth,
    off_payroll_record,
    receipt_record,
)  # fmt: skip
from members.models import Member, Relation
from members.selectors import member_get

MSG_RECORDED = _("Receipt %(number)s recorded.")
MSG_OFF_RECORDED = _("The period off payroll is recorded.")
MSG_NOTHING_OWED = _("Nothing is owed for these months.")
MSG_NO_MEMBER = _("Your account is not linked to a membership.")


def _member(request: HttpRequest, pk: int) -> Member:
    try:
        return member_get(user=request.user, pk=pk)
    except Member.DoesNotExist:
        raise Http404 from None


def _context(request: HttpRequest, member: Member, **extra: Any) -> dict[str, Any]:
    user = request.user
    holder = next((b for b in member.beneficiaries.all() if b.relation == Relation.SELF), None)
    return {
        "member": member, "holder": holder, "ledger": member_ledger(user=user, member=member),
        "receipts": member_receipts(user=user, member=member)[:50],
        "off_payroll": OffPayroll.objects.filter(member=member).order_by("-valid_from"),
        "receipt_form": extra.pop("receipt_form", None) or (ReceiptForm(initial={"received_on": timezone.localdate()})
                                                            if user.has_perm(COUNTER_PERM) else None),
        "off_form": extra.pop("off_form", None) or (OffPayrollForm() if user.has_perm(TRANSFER_PERM) else None),
        **extra,
    }  # fmt: skip


@login_required
@permission_required("contributions.view_ledgerentry", raise_exception=True)
def ledger_page(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    return render(request, "contributions/ledger.html", _context(request, member))


@login_required
@permission_required(COUNTER_PERM, raise_exception=True)
@require_POST
def receipt_create(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    form = ReceiptForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        owed = months_outstanding(member=member, months=months_between(data["first_month"], data["last_month"]))
        lines = [ReceiptMonth(o.month, **o.amounts) for o in owed if o.total > 0]
        try:
            if not lines:
                raise ContributionRefused(MSG_NOTHING_OWED)
            receipt = receipt_record(
                actor=request.user, member=member, channel=data["channel"], reference=data["reference"],
                received_on=data["received_on"], months=lines,
            )  # fmt: skip
        except ContributionRefused as refused:
            form.add_error(None, str(refused.message))
        else:
            messages.success(request, str(MSG_RECORDED % {"number": receipt.number}))
            return redirect("contributions:ledger", pk=member.pk)
    return render(request, "contributions/ledger.html", _context(request, member, receipt_form=form), status=422)


@login_required
@permission_required(TRANSFER_PERM, raise_exception=True)
@require_POST
def off_payroll_create(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    form = OffPayrollForm(request.POST)
    if form.is_valid():
        try:
            off_payroll_record(actor=request.user, member=member, **form.cleaned_data)
        except ContributionRefused as refused:
            form.add_error(None, str(refused.message))
        else:
            messages.success(request, str(MSG_OFF_RECORDED))
            return redirect("contributions:ledger", pk=member.pk)
    return render(request, "contributions/ledger.html", _context(request, member, off_form=form), status=422)


def _language(request: HttpRequest) -> str:
    asked = request.GET.get("lang") or translation.get_language() or "ar"
    return "fr" if asked.startswith("fr") else "ar"


_NAME_AR = "التعاضدية العامة لموظفي الإدارات العمومية"
_NAME_FR = "Mutuelle générale du personnel des administrations publiques"


def _letterhead() -> dict[str, str]:
    """The mutual's legal name in both scripts (settings MUTUAL_NAME_AR / MUTUAL_NAME_FR)."""
    ar = str(getattr(settings, "MUTUAL_NAME_AR", _NAME_AR))
    return {"mutual_ar": ar, "mutual_fr": str(getattr(settings, "MUTUAL_NAME_FR", _NAME_FR))}


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@login_required
def receipt_pdf(request: HttpRequest, number: str) -> HttpResponse:
    try:
        receipt = receipt_for(user=request.user, number=number)
    except Receipt.DoesNotExist:
        raise Http404 from None
    holder = receipt.member.beneficiaries.filter(relation=Relation.SELF).first()
    entries = receipt.entries.order_by("month")
    context = {"receipt": receipt, "holder": holder, "entries": entries, "today": timezone.localdate(), **_letterhead()}
    return _pdf(pdf_render("contributions/receipt_pdf.html", context, language=_language(request)), receipt.number)


def _statement(request: HttpRequest, member: Member) -> HttpResponse:
    ledger = member_ledger(user=request.user, member=member)
    holder = member.beneficiaries.filter(relation=Relation.SELF).first()
    context = {"member": member, "holder": holder, "ledger": ledger, "today": timezone.localdate(), **_letterhead()}
    data = pdf_render("contributions/statement_pdf.html", context, language=_language(request))
    return _pdf(data, f"contributions-{member.membership_number}")


@login_required
@permission_required("contributions.view_ledgerentry", raise_exception=True)
def statement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _statement(request, _member(request, pk))


def _own_member(request: HttpRequest) -> Member:
    member = Member.objects.filter(user__pk=request.user.pk or 0).select_related("administration").first()
    if member is None:
        raise PermissionDenied(MSG_NO_MEMBER)
    return member


@login_required
def my_ledger(request: HttpRequest) -> HttpResponse:
    member = _own_member(request)
    ledger = member_ledger(user=request.user, member=member)
    receipts = member_receipts(user=request.user, member=member)[:50]
    return render(request, "contributions/my_ledger.html", {"member": member, "ledger": ledger, "receipts": receipts})


@login_required
def my_statement_pdf(request: HttpRequest) -> HttpResponse:
    return _statement(request, _own_member(request))


@login_required
@permission_required("referentials.view_referentials", raise_exception=True)
def schedules_page(request: HttpRequest) -> HttpResponse:
    return render(request, "contributions/schedules.html", {"schedules": schedules_history()})
