"""Agents' pages: the list (filters, count, sums, export), a new request, the request page with its
checklist and verbs, documents, payees, decision letters. Views validate, call a service, render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from allowances import selectors
from allowances.checklist import checklist_missing, request_checklist
from allowances.forms import DocumentForm, FilterForm, PayeeFormSet, RefuseForm, RequestForm
from allowances.models import AllowanceRequest, RequestDocument, RequestState
from allowances.services.decisions import (
    allowance_request_approve,
    allowance_request_check,
    allowance_request_move,
    allowance_request_refuse,
)
from allowances.services.errors import AllowanceError
from allowances.services.requests import (
    ShareInput,
    allowance_document_add,
    allowance_request_create,
    allowance_share_rib_correct,
    allowance_shares_set,
)
from allowances.services.transitions import FILE, allowed_targets
from claims.uploads import served_file

VIEW = selectors.VIEW
PAGE = 50
MSG_DONE = _("Done.")


def _filters(request: HttpRequest) -> tuple[FilterForm, selectors.RequestFilters]:
    form = FilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        return form, selectors.RequestFilters(**data)
    return form, selectors.RequestFilters()


@login_required
@permission_required(VIEW, raise_exception=True)
def request_list(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    qs = selectors.request_list(user=request.user, filters=filters)
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        from allowances.exports import requests_export

        data, content_type = requests_export(qs, fmt=fmt)
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="allowances-{timezone.localdate()}.{fmt}"'
        return response
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "totals": selectors.request_totals(qs), "query": query.urlencode()}
    return render(request, "allowances/list.html", context)


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    """The family's view in the member's space: its requests, what is missing, the deadline, the letters."""
    member = getattr(request.user, "member", None)
    if member is None:
        raise Http404
    rows = [(r, checklist_missing(r)) for r in selectors.requests_of_member(member=member)]
    return render(request, "allowances/mine.html", {"rows": rows, "States": RequestState})


@login_required
@permission_required(FILE, raise_exception=True)
def request_new(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = allowance_request_create(
                actor=request.user, member=data["membership_number"], type=data["type"], event_date=data["event_date"],
                claimant_name=data["claimant_name"], claimant_phone=data["claimant_phone"], year=data["year"],
            )  # fmt: skip
        except AllowanceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, MSG_DONE)
            return redirect("allowances:detail", pk=created.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "allowances/new.html", {"form": form}, status=status)


def _get(request: HttpRequest, pk: int) -> AllowanceRequest:
    try:
        return selectors.request_get(user=request.user, pk=pk)
    except AllowanceRequest.DoesNotExist:
        raise Http404 from None


def _payee_initial(allowance: AllowanceRequest) -> list[dict[str, Any]]:
    fields = ("relation", "name", "name_ar", "rib", "parts", "beneficiary_id", "birth_date")
    return [{f: getattr(s, f) for f in fields} for s in allowance.shares.all()]


@login_required
def request_detail(request: HttpRequest, pk: int, *, payees: Any = None, status: int = 200) -> HttpResponse:
    allowance = _get(request, pk)
    if not request.user.has_perm(VIEW):
        raise PermissionDenied  # the family sees its requests in the member's space
    documents = DocumentForm()
    documents.fields["share"].widget.choices = [("", "—"), *((s.pk, s.name) for s in allowance.shares.all())]
    context = {
        "r": allowance,
        "checklist": request_checklist(allowance),
        "targets": allowed_targets(actor=request.user, request=allowance),
        "States": RequestState,
        "document_form": documents,
        "refuse_form": RefuseForm(),
        "payees": payees or PayeeFormSet(initial=_payee_initial(allowance), prefix="payee"),
        "editable": allowance.state in (RequestState.RECEIVED, RequestState.INCOMPLETE),
    }
    return render(request, "allowances/detail.html", context, status=status)


@login_required
@require_POST
def request_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    allowance = _get(request, pk)
    version = int(request.POST.get("version") or 0) or None
    try:
        if action == "check":
            allowance_request_check(actor=request.user, request=allowance, version=version)
        elif action == "approve":
            allowance_request_approve(actor=request.user, request=allowance, version=version)
        elif action == "refuse":
            form = RefuseForm(request.POST)
            if not form.is_valid():
                raise AllowanceError(_("Choose the reason of the refusal."), code="reason")
            allowance_request_refuse(actor=request.user, request=allowance, reason=form.cleaned_data["reason"],
                                     note=form.cleaned_data["note"], version=version)  # fmt: skip
        elif action in (RequestState.INCOMPLETE, RequestState.RECEIVED, RequestState.CANCELLED):
            allowance_request_move(actor=request.user, request=allowance, to=action, version=version,
                                   note=request.POST.get("note", "")[:300])  # fmt: skip
        else:
            raise Http404
    except AllowanceError as exc:
        messages.error(request, exc.message)
        return redirect("allowances:detail", pk=pk)
    messages.success(request, MSG_DONE)
    return redirect("allowances:detail", pk=pk)


@login_required
@require_POST
def request_payees(request: HttpRequest, pk: int) -> HttpResponse:
    allowance = _get(request, pk)
    formset = PayeeFormSet(request.POST, prefix="payee")
    if not formset.is_valid():
        return request_detail(request, pk, payees=formset, status=400)
    payees = [
        ShareInput(f["relation"], f["name"], f.get("name_ar") or "", f.get("rib") or "", f.get("parts") or 1,
                   f.get("beneficiary_id"), f.get("birth_date"))
        for f in formset.cleaned_data if f and not f.get("DELETE")
    ]  # fmt: skip
    try:
        allowance_shares_set(actor=request.user, request=allowance, payees=payees)
    except AllowanceError as exc:
        messages.error(request, exc.message)
        return request_detail(request, pk, payees=formset, status=400)
    messages.success(request, MSG_DONE)
    return redirect("allowances:detail", pk=pk)


@login_required
@require_POST
def share_rib(request: HttpRequest, pk: int, share: int) -> HttpResponse:
    """A rejected share's new RIB (the family brings another account)."""
    allowance = _get(request, pk)
    chosen = next((s for s in allowance.shares.all() if s.pk == share), None)
    if chosen is None:
        raise Http404
    try:
        allowance_share_rib_correct(actor=request.user, share=chosen, rib=request.POST.get("rib", "").strip()[:24])
    except AllowanceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, MSG_DONE)
    return redirect("allowances:detail", pk=pk)


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    allowance = _get(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    form.fields["share"].widget.choices = [("", "—"), *((s.pk, s.name) for s in allowance.shares.all())]
    if not form.is_valid():
        messages.error(request, _("Choose the document and its file."))
        return redirect("allowances:detail", pk=pk)
    try:
        allowance_document_add(actor=request.user, request=allowance, kind=form.cleaned_data["kind"],
                               upload=form.cleaned_data["file"], share_id=form.cleaned_data["share"])  # fmt: skip
    except AllowanceError as exc:
        messages.error(request, exc.message)
        return redirect("allowances:detail", pk=pk)
    messages.success(request, MSG_DONE)
    return redirect("allowances:detail", pk=pk)


@login_required
@permission_required(VIEW, raise_exception=True)
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    doc = RequestDocument.objects.filter(pk=pk).select_related("request").first()
    if doc is None:
        raise Http404
    path = settings.PRIVATE_MEDIA_ROOT / doc.path
    return served_file(path, content_type=doc.content_type, download_name=f"{doc.request.number}-{doc.kind}-{doc.pk}")


@login_required
def letter(request: HttpRequest, pk: int, share: int, lang: str) -> HttpResponse:
    """A beneficiary's decision letter (PDF, Arabic or French); the member reads their own."""
    from allowances.letters import decision_letter_pdf

    if lang not in ("ar", "fr"):
        raise Http404
    allowance = _get(request, pk)
    chosen = next((s for s in allowance.shares.all() if s.pk == share), None)
    if chosen is None or allowance.state not in (RequestState.APPROVED, RequestState.IN_PAYMENT, RequestState.PAID,
                                                  RequestState.REFUSED):  # fmt: skip
        raise Http404
    data = decision_letter_pdf(request=allowance, share=chosen, language=lang)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{allowance.number}-{chosen.rank}-{lang}.pdf"'
    return response
