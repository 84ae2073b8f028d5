"""Application pages: the list (filter, count, export), filing, one application and its verbs, the
waiting list with its scores, and the family's page linked from the member portal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from care import selectors_centres as sel
from care.exports import applications_xlsx
from care.forms_enrolment import (
    ApplicationFilter,
    ApplicationForm,
    AssessForm,
    FamilyApplicationForm,
    LeaveForm,
    RefuseForm,
    ScheduleForm,
)
from care.models import Application, ApplicationState, Enrolment, PlaceOffer, Programme
from care.services_enrolment import (
    CareError,
    application_admit,
    application_assess,
    application_assessment_schedule,
    application_moves,
    application_refuse,
    application_wait,
    application_withdraw,
    enrolment_leave,
)
from care.services_filing import PartnerChild, application_file
from care.services_waiting import offer_answer
from members.selectors import beneficiary_by_card

VIEW = "care.view_application"
PAGE = 50
MSG_NO_CARD = _("No beneficiary has this card number.")
MSG_DONE = _("Done.")
A = ApplicationState


def _application(request: HttpRequest, pk: int) -> Application:
    try:
        return sel.application_get(user=request.user, pk=pk)
    except Application.DoesNotExist:
        raise Http404 from None


@login_required
@permission_required(VIEW, raise_exception=True)
def application_list(request: HttpRequest) -> HttpResponse:
    programmes = sel.programmes_visible(user=request.user)
    form = ApplicationFilter(request.GET or None, programmes=programmes)
    state, programme = "", None
    if form.is_valid():
        state = form.cleaned_data["state"] or ""
        programme = form.cleaned_data["programme"].pk if form.cleaned_data["programme"] else None
    apps = sel.applications_list(user=request.user, state=state, programme=programme)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            applications_xlsx(apps), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="applications.xlsx"'
        return response
    page = Paginator(apps, PAGE).get_page(request.GET.get("page"))
    return render(request, "care/application_list.html", {"page": page, "form": form, "count": apps.count()})


@login_required
@permission_required("care.add_application", raise_exception=True)
def application_new(request: HttpRequest) -> HttpResponse:
    programmes = sel.programmes_visible(user=request.user)
    form = ApplicationForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["card_number"]:
                beneficiary = beneficiary_by_card(card=data["card_number"])
                if beneficiary is None:
                    raise CareError(MSG_NO_CARD, code="card")
                app = application_file(
                    actor=request.user,
                    programme=data["programme"],
                    beneficiary=beneficiary,
                    disability_details=data["disability_details"],
                )
            else:
                partner = PartnerChild(
                    mutual=data["partner_mutual"],
                    last_name=data["last_name"],
                    first_name=data["first_name"],
                    last_name_ar=data["last_name_ar"],
                    first_name_ar=data["first_name_ar"],
                    birth_date=data["birth_date"],
                )
                app = application_file(
                    actor=request.user,
                    programme=data["programme"],
                    partner=partner,
                    disability_details=data["disability_details"],
                )
        except CareError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("care:application", pk=app.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "care/application_form.html", {"form": form}, status=status)


@login_required
@permission_required(VIEW, raise_exception=True)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = _application(request, pk)
    return render(request, "care/application_detail.html", _detail_context(request, app))


def _detail_context(request: HttpRequest, app: Application, **forms: Any) -> dict[str, Any]:
    today = timezone.localdate()
    enrolment = Enrolment.objects.filter(application=app).first()
    return {
        "app": app,
        "moves": {str(m) for m in application_moves(actor=request.user, application=app)},
        "medical": sel.application_medical_read(user=request.user, application=app),
        "position": sel.waiting_position(application=app, on=today),
        "offer": app.offers.filter(state="offered").first(),
        "offers": list(app.offers.all()),
        "enrolment": enrolment,
        "can_leave": enrolment is not None
        and enrolment.state == "active"
        and request.user.has_perm("care.change_enrolment"),
        "schedule_form": forms.get("schedule_form") or ScheduleForm(),
        "assess_form": forms.get("assess_form") or AssessForm(),
        "refuse_form": forms.get("refuse_form") or RefuseForm(),
        "leave_form": forms.get("leave_form") or LeaveForm(),
        "can_see_medical": sel.care_medical_allowed(request.user),
    }


@login_required
@require_POST
def application_act(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    """One verb of the application page; the service checks the state and the actor's right."""
    app = _application(request, pk)
    bound: dict[str, Any] = {}
    form: forms.Form | None = None
    try:
        if verb == "schedule":
            bound["schedule_form"] = form = ScheduleForm(request.POST)
            if form.is_valid():
                application_assessment_schedule(actor=request.user, application=app, at=form.cleaned_data["at"])
        elif verb == "assess":
            bound["assess_form"] = form = AssessForm(request.POST)
            if form.is_valid():
                application_assess(actor=request.user, application=app, note=form.cleaned_data["note"])
        elif verb == "admit":
            application_admit(actor=request.user, application=app)
        elif verb == "wait":
            application_wait(actor=request.user, application=app)
        elif verb == "refuse":
            bound["refuse_form"] = form = RefuseForm(request.POST)
            if form.is_valid():
                application_refuse(actor=request.user, application=app, reason=form.cleaned_data["reason"])
        elif verb == "withdraw":
            application_withdraw(actor=request.user, application=app)
        elif verb == "leave":
            bound["leave_form"] = form = LeaveForm(request.POST)
            enrolment = Enrolment.objects.filter(application=app).first()
            if enrolment is None:
                raise Http404
            if form.is_valid():
                enrolment_leave(actor=request.user, enrolment=enrolment, reason=form.cleaned_data["reason"])
        else:
            raise Http404
    except CareError as exc:
        messages.error(request, exc.message)
        return render(request, "care/application_detail.html", _detail_context(request, app, **bound), status=400)
    if form is not None and not form.is_valid():
        return render(request, "care/application_detail.html", _detail_context(request, app, **bound), status=400)
    messages.success(request, MSG_DONE)
    if getattr(request.user, "member", None) is not None and not request.user.has_perm(VIEW):
        return redirect("care:family")
    return redirect("care:application", pk=app.pk)


@login_required
@require_POST
def offer_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """The family (portal) or the coordinator accepts or declines an offered place."""
    try:
        offer = PlaceOffer.objects.select_related("application").get(
            pk=pk, application__in=sel.applications_visible(user=request.user)
        )
    except PlaceOffer.DoesNotExist:
        raise Http404 from None
    try:
        offer_answer(actor=request.user, offer=offer, accept=request.POST.get("answer") == "accept")
    except CareError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, MSG_DONE)
    if request.user.has_perm(VIEW):
        return redirect("care:application", pk=offer.application_id)
    return redirect("care:family")


@login_required
@permission_required(VIEW, raise_exception=True)
def waiting_list_page(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        programme = sel.programmes_visible(user=request.user).get(pk=pk)
    except Programme.DoesNotExist:
        raise Http404 from None
    today = timezone.localdate()
    context = {
        "programme": programme,
        "entries": sel.waiting_list(programme=programme, on=today),
        "rule": sel.programme_rule_on(programme=programme, on=today),
        "free": sel.places_free(programme=programme),
        "today": today,
    }
    return render(request, "care/waiting_list.html", context)


@login_required
def family_home(request: HttpRequest) -> HttpResponse:
    """The parent's page: their children's applications, the waiting-list position, the offers."""
    if getattr(request.user, "member", None) is None:
        raise Http404
    today = timezone.localdate()
    children = sel.family_children(user=request.user)
    form = FamilyApplicationForm(
        request.POST or None,
        children=[(c.pk, c.full_name_ar if get_language() == "ar" else c.full_name) for c in children],
        programmes=Programme.objects.select_related("centre"),
    )
    if request.method == "POST" and form.is_valid():
        child = next(c for c in children if str(c.pk) == form.cleaned_data["child"])
        try:
            application_file(
                actor=request.user,
                programme=form.cleaned_data["programme"],
                beneficiary=child,
                disability_details=form.cleaned_data["disability_details"],
            )
        except CareError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, MSG_DONE)
            return redirect("care:family")
    context = {"rows": sel.family_applications(user=request.user, on=today), "form": form, "children": children}
    return render(request, "care/application_family.html", context, status=400 if form.errors else 200)
