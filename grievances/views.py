"""Pages: the member's own (file, list with answers), the agent's filing from the member's file, the
officers' queue, a grievance's page with its verbs and the answer form. Views validate, call a
service, render; a GET never writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from allowances.models import AllowanceRequest
from claims.models import ClaimLine
from claims.uploads import served_file
from grievances import selectors
from grievances.forms import AgentGrievanceForm, AnswerForm, GrievanceForm, QueueFilterForm
from grievances.models import Channel, Grievance, GrievanceAttachment, Kind, Status
from grievances.services import (
    Answer,
    Contested,
    GrievanceError,
    LineChange,
    allowed_targets,
    grievance_answer,
    grievance_close,
    grievance_file,
    grievance_review_start,
    grievance_withdraw,
)
from members.models import Member, RightsSuspension
from payments.models import Payment

PAGE = 50
MSG_FILED = _("Received: your tracking number is %(number)s. An answer is due by %(due)s.")
MSG_DONE = _("Done.")
MSG_CORRECT = _("Please correct the errors below. Nothing has been recorded.")
MSG_APPROVAL_UNKNOWN = _("No prior approval of this beneficiary has this number.")
VERBS: dict[str, Callable[..., Grievance]] = {
    "review": grievance_review_start, "close": grievance_close, "withdraw": grievance_withdraw,
}  # fmt: skip


def _own_member(request: HttpRequest) -> Member:
    member = Member.objects.filter(user=request.user).first() if request.user.is_authenticated else None
    if member is None:
        raise Http404
    return member


def _contested(value: str, member: Member) -> Contested:
    """The form's "kind:id" as the member's own row (the service checks ownership again)."""
    kind, _sep, pk = value.partition(":")
    if not value or not pk.isdigit():
        return Contested()
    models: dict[str, Any] = {"line": ClaimLine, "payment": Payment, "allowance": AllowanceRequest,
                              "suspension": RightsSuspension}  # fmt: skip
    model = models.get(kind)
    row = model.objects.filter(pk=int(pk), member_id=member.pk).first() if model is not None else None
    if row is None:
        return Contested()
    field = {"line": "claim_line", "payment": "payment", "allowance": "allowance_request", "suspension": "suspension"}
    return Contested(**{field[kind]: row})


def _initial(request: HttpRequest) -> dict[str, str]:
    """A link from a decision (a claim line, a payment) fills the form in: ?line=12 or ?payment=7."""
    for key in ("line", "payment", "allowance", "suspension"):
        value = request.GET.get(key, "")
        if value.isdigit():
            return {"decision": f"{key}:{value}", "kind": Kind.APPEAL}
    return {}


def _file(request: HttpRequest, *, member: Member, agent: bool) -> HttpResponse:
    decisions = selectors.member_decisions(member=member)
    form_class = AgentGrievanceForm if agent else GrievanceForm
    form = form_class(request.POST or None, request.FILES or None, decisions=decisions,
                      initial=_initial(request) or None)  # fmt: skip
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                grievance = grievance_file(
                    actor=request.user, member=member, kind=data["kind"], category=data["category"],
                    channel=data["channel"] if agent else Channel.PORTAL, text=data["text"],
                    contested=_contested(data.get("decision") or "", member), uploads=data.get("attachments") or [],
                )  # fmt: skip
            except GrievanceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, MSG_FILED % {"number": grievance.number, "due": grievance.due_on.isoformat()})
                return redirect("grievances:detail", grievance.pk)
        if not form.is_valid() or form.errors:
            messages.error(request, MSG_CORRECT)
    return render(request, "grievances/new.html", {"form": form, "member": member, "agent": agent},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


@login_required
def grievance_new(request: HttpRequest) -> HttpResponse:
    """The member files from their space (a link on a claim line or a payment fills the decision in)."""
    return _file(request, member=_own_member(request), agent=False)


@login_required
@permission_required("grievances.add_grievance", raise_exception=True)
def grievance_new_for(request: HttpRequest, member_pk: int) -> HttpResponse:
    """An agent files for the member at the counter or on the phone, from the member's file."""
    return _file(request, member=get_object_or_404(Member, pk=member_pk), agent=True)


@login_required
def my_grievances(request: HttpRequest) -> HttpResponse:
    member = _own_member(request)
    return render(request, "grievances/mine.html", {"rows": selectors.member_grievances(member=member)})


@login_required
@permission_required(selectors.VIEW, raise_exception=True)
def grievance_queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None)
    filters = selectors.QueueFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.QueueFilters(**{k: v for k, v in form.cleaned_data.items() if v not in (None, "")})
    today = timezone.localdate()
    qs = selectors.grievance_queue(user=request.user, filters=filters, today=today)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "today": today,
               "counts": selectors.queue_counts(user=request.user, today=today)}  # fmt: skip
    return render(request, "grievances/queue.html", context)


@login_required
def grievance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grievance = selectors.grievance_get(user=request.user, pk=pk)
    return _detail(request, grievance, AnswerForm())


def _detail(request: HttpRequest, grievance: Grievance, form: AnswerForm, status: int = 200) -> HttpResponse:
    targets = allowed_targets(actor=request.user, grievance=grievance)
    context = {
        "g": grievance, "targets": targets, "answer_form": form if Status.ANSWERED in targets else None,
        "staff": request.user.has_perm(selectors.VIEW), "today": timezone.localdate(), "Status": Status,
        "may_review": Status.IN_REVIEW in targets, "may_close": Status.CLOSED in targets,
        "may_withdraw": Status.WITHDRAWN in targets,
    }  # fmt: skip
    return render(request, "grievances/detail.html", context, status=status)


@login_required
@require_POST
def grievance_action(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    grievance = selectors.grievance_get(user=request.user, pk=pk)
    service = VERBS.get(verb)
    if service is None:
        raise Http404
    try:
        service(actor=request.user, grievance=grievance)
    except GrievanceError as exc:
        messages.error(request, exc.message)
        return _detail(request, grievance, AnswerForm(), status=409)
    messages.success(request, MSG_DONE)
    return redirect("grievances:detail", grievance.pk)


def _change(form: AnswerForm, grievance: Grievance) -> LineChange | None:
    data = form.cleaned_data
    approval_id = None
    if data.get("prior_approval"):
        approval_id = selectors.approval_for_line(grievance=grievance, number=data["prior_approval"])
        if approval_id is None:
            form.add_error("prior_approval", MSG_APPROVAL_UNKNOWN)
            return None
    inpatient = {"yes": True, "no": False}.get(data.get("inpatient") or "")
    return LineChange(prior_approval_id=approval_id, code=(data.get("code") or "").strip() or None,
                      coefficient=data.get("coefficient"), quantity=data.get("quantity"), paid=data.get("paid"),
                      inpatient=inpatient)  # fmt: skip


@login_required
@require_POST
def grievance_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    grievance = selectors.grievance_get(user=request.user, pk=pk)
    form = AnswerForm(request.POST)
    change = _change(form, grievance) if form.is_valid() else None
    if change is None:
        return _detail(request, grievance, form, status=400)
    data = form.cleaned_data
    try:
        grievance_answer(actor=request.user, grievance=grievance,
                         answer=Answer(data["outcome"], data["reason_code"], data["text"]), change=change)  # fmt: skip
    except GrievanceError as exc:
        form.add_error(None, exc.message)
        return _detail(request, grievance, form, status=409)
    messages.success(request, MSG_DONE)
    return redirect("grievances:detail", grievance.pk)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(GrievanceAttachment, pk=pk)
    selectors.grievance_get(user=request.user, pk=attachment.grievance_id)  # 404 unless the reader may see it
    path = settings.PRIVATE_MEDIA_ROOT / attachment.path
    if not path.is_file():
        raise Http404
    return served_file(path, content_type=attachment.content_type, download_name=f"grievance-{attachment.pk}")
