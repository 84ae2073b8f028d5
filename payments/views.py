"""Accountants' pages: batches, their contents, bank files, returns, rejected payments, accounting."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from payments import selectors
from payments.accounting import fund_totals_xlsx
from payments.forms import PeriodForm, PrepareForm, ReturnUploadForm
from payments.models import BatchKind, BatchState, Payment, PaymentBatch
from payments.preview import batch_preview
from payments.services import (
    PaymentError,
    payment_batch_cancel,
    payment_batch_export,
    payment_batch_prepare_enqueue,
    payment_batch_validate,
    payment_requeue,
)
from payments.services.batches import payment_batch_confirm_enqueue, payment_batch_file
from payments.services.returns import payment_return_import_outcome
from payments.views_feedback import MSG_PREPARING, batch_actions, batch_done_message, return_messages

VIEW = "payments.view_paymentbatch"
PAGE = 50


def _error(request: HttpRequest, exc: PaymentError) -> None:
    messages.error(request, exc.message)


@login_required
@permission_required(VIEW, raise_exception=True)
def batch_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.batch_list(user=request.user), PAGE).get_page(request.GET.get("page"))
    form = PrepareForm()
    return render(request, "payments/batch_list.html", {"page": page, "form": form})


@login_required
@permission_required("payments.prepare_paymentbatch", raise_exception=True)
@require_POST
def batch_prepare(request: HttpRequest) -> HttpResponse:
    form = PrepareForm(request.POST)
    if not form.is_valid():
        page = Paginator(selectors.batch_list(user=request.user), PAGE).get_page(1)
        return render(request, "payments/batch_list.html", {"page": page, "form": form}, status=400)
    try:
        batch, job = payment_batch_prepare_enqueue(
            actor=request.user, kind=form.cleaned_data["kind"], execution_date=form.cleaned_data["execution_date"]
        )
    except PaymentError as exc:
        _error(request, exc)
        return redirect("payments:list")
    messages.info(request, MSG_PREPARING % {"number": batch.number})
    # The worker fills the batch; the page follows the job queued here (not the oldest of its kind).
    return _following(redirect("payments:detail", pk=batch.pk), job.pk)


@login_required
@permission_required("payments.prepare_paymentbatch", raise_exception=True)
def batch_preview_view(request: HttpRequest) -> HttpResponse:
    """What the batch would pay and leave out, before it is created: a GET, nothing written."""
    form = PrepareForm(request.GET)
    if not form.is_valid():
        page = Paginator(selectors.batch_list(user=request.user), PAGE).get_page(1)
        return render(request, "payments/batch_list.html", {"page": page, "form": form}, status=400)
    preview = batch_preview(kind=form.cleaned_data["kind"])
    context = {"form": form, "preview": preview, "execution_date": form.cleaned_data["execution_date"]}
    return render(request, "payments/batch_preview.html", context)


def _following(response: HttpResponseRedirect, job_id: int) -> HttpResponseRedirect:
    """The redirect to the page that shows the progress of the job just queued (`?job=`)."""
    response["Location"] += f"?{urlencode({'job': job_id})}"
    return response


def _batch(request: HttpRequest, pk: int) -> PaymentBatch:
    try:
        return selectors.batch_get(user=request.user, pk=pk)
    except PaymentBatch.DoesNotExist:
        raise Http404 from None


@login_required
@permission_required(VIEW, raise_exception=True)
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    page = Paginator(selectors.batch_payments(user=request.user, batch=batch), PAGE).get_page(request.GET.get("page"))
    context = {
        "batch": batch,
        "page": page,
        "is_postal": batch.kind == BatchKind.POSTAL_ORDER,
        "States": BatchState,
        "actions": batch_actions(user=request.user, batch=batch),
    }
    return render(request, "payments/batch_detail.html", context)


@login_required
@require_POST
def batch_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    batch = _batch(request, pk)
    services: dict[str, Any] = {
        "validate": payment_batch_validate,
        "confirm": payment_batch_confirm_enqueue,
        "cancel": payment_batch_cancel,
    }
    if action not in services:
        return HttpResponse(status=404)
    try:
        result = services[action](actor=request.user, batch=batch)
    except PaymentError as exc:
        _error(request, exc)
        return redirect("payments:detail", pk=pk)
    done = result[0] if isinstance(result, tuple) else result
    messages.success(request, batch_done_message(action, done))
    # Confirming postal orders queues their settlement (the worker pays them): follow that job.
    job = result[1] if isinstance(result, tuple) else None
    if job is not None:
        return _following(redirect("payments:detail", pk=pk), job.pk)
    return redirect("payments:detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def batch_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """POST exports (the first export of a validated batch marks it exported) and returns the file;
    GET gives again a file already exported and changes nothing (a link from anywhere cannot move a batch)."""
    if not request.user.has_perm("payments.export_paymentbatch"):
        raise PermissionDenied
    batch = _batch(request, pk)
    service = payment_batch_export if request.method == "POST" else payment_batch_file
    try:
        data = service(actor=request.user, batch=batch, fmt=fmt)
    except PaymentError as exc:
        _error(request, exc)
        return redirect("payments:detail", pk=pk)
    content_type = "application/xml" if fmt == "xml" else "text/csv; charset=utf-8"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{batch.number}.{fmt}"'
    return response


@login_required
@permission_required(VIEW, raise_exception=True)
def returns(request: HttpRequest) -> HttpResponse:
    form = ReturnUploadForm()
    status, errors = 200, []
    if request.method == "POST":
        if not request.user.has_perm("payments.import_paymentreturn"):
            raise PermissionDenied
        form = ReturnUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                outcome = payment_return_import_outcome(actor=request.user, data=upload.read(), file_name=upload.name)
            except PaymentError as exc:
                _error(request, exc)
                errors, status = exc.details, 400
            else:
                return_messages(request, outcome)
                return redirect("payments:returns")
        else:
            status = 400
    page = Paginator(selectors.return_imports(user=request.user), PAGE).get_page(request.GET.get("page"))
    return render(request, "payments/returns.html", {"form": form, "errors": errors, "page": page}, status=status)


@login_required
@permission_required(VIEW, raise_exception=True)
def rejected(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.rejected_queue(user=request.user), PAGE).get_page(request.GET.get("page"))
    return render(request, "payments/rejected.html", {"page": page})


@login_required
@require_POST
def requeue(request: HttpRequest, pk: int) -> HttpResponse:
    payment = get_object_or_404(Payment, pk=pk) if request.user.has_perm(VIEW) else None
    if payment is None:
        raise PermissionDenied
    try:
        payment_requeue(actor=request.user, payment=payment)
        messages.success(request, _("The claim files will be in the next batch."))
    except PaymentError as exc:
        _error(request, exc)
    return redirect("payments:rejected")


@login_required
@permission_required(VIEW, raise_exception=True)
def accounting(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        data = fund_totals_xlsx(user=request.user, start=start, end=end)
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="funds-{start}-{end}.xlsx"'
        return response
    return render(request, "payments/accounting.html", {"form": form}, status=400 if form.is_bound else 200)


@login_required
def member_payments(request: HttpRequest, member_pk: int) -> HttpResponse:
    """The payments made to a member: the member themself, or staff who may see payments."""
    member, payments = selectors.member_payments_get(user=request.user, member_pk=member_pk)
    return render(request, "payments/member_page.html", {"member": member, "member_payments": payments})
