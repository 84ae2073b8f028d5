"""Sessions: a therapist's day (tablet), attendance, a child's page and notes, the quarterly report, billing."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from care.models import ABSENCE_REASONS, CANCEL_REASONS, AttendanceReason, Therapy
from care.selectors_reports import bills_of_centre, child_quarter, quarter_bounds, sessions_recent
from care.selectors_week import (
    centre_for_planning,
    enrolment_get,
    notes_allowed,
    plans_of_child,
    progress_notes_read,
    session_get,
    sessions_of_day,
    slot_label,
)
from care.services_billing import BillingError, care_bills_month
from care.services_sessions import SessionError, attendance_record, progress_note_add, sessions_generate
from claims.services.documents import pdf_render

MSG_GENERATED = _("%(created)s sessions made, %(replaced)s replaced, %(kept)s already there.")
MSG_NOTE_SAVED = _("Note saved.")
MSG_BILLED = _("%(billed)s claim files made; %(already)s children already billed; %(skipped)s sessions not billable.")
MSG_BAD_DATE = _("Enter a date as YYYY-MM-DD.")


def _day(request: HttpRequest) -> dt.date:
    raw = request.GET.get("date", "")
    try:
        return dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _reasons(codes: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(c, str(AttendanceReason(c).label)) for c in codes]


def _day_context(request: HttpRequest, on: dt.date) -> dict[str, object]:
    rows = sessions_of_day(user=request.user, on=on)
    for s in rows:
        s.time = slot_label(s.centre, s.date.weekday(), s.start)  # type: ignore[attr-defined]
        s.until = slot_label(s.centre, s.date.weekday(), s.start + s.length)  # type: ignore[attr-defined]
    return {
        "sessions": rows, "on": on, "previous": on - dt.timedelta(days=1), "next": on + dt.timedelta(days=1),
        "absence_reasons": _reasons(ABSENCE_REASONS), "cancel_reasons": _reasons(CANCEL_REASONS),
    }  # fmt: skip


@login_required
@permission_required("care.record_attendance", raise_exception=True)
def session_day(request: HttpRequest) -> HttpResponse:
    """The day's sessions to record: a therapist's own, a coordinator's centre's."""
    return render(request, "care/session_day.html", _day_context(request, _day(request)))


@login_required
def home_sessions(request: HttpRequest, centre: int) -> HttpResponse:
    """Today's sessions of a centre, for the coordinator's home (loaded into it by htmx)."""
    on = timezone.localdate()
    if request.user.has_perm("care.plan_week"):
        row = centre_for_planning(user=request.user, pk=centre)
        rows = [s for s in sessions_of_day(user=request.user, on=on, centre=row)]
    elif request.user.has_perm("care.record_attendance"):
        rows = [s for s in sessions_of_day(user=request.user, on=on) if s.centre_id == centre]
    else:
        raise Http404
    for s in rows:
        s.time = slot_label(s.centre, on.weekday(), s.start)  # type: ignore[attr-defined]
    return render(request, "care/session_today.html", {"sessions": rows, "on": on, "centre_id": centre})


class AttendanceForm(forms.Form):
    state = forms.ChoiceField(choices=[("present", "present"), ("absent", "absent"), ("cancelled", "cancelled"),
                                       ("planned", "planned")])  # fmt: skip
    reason = forms.CharField(required=False, max_length=20)


@login_required
@permission_required("care.record_attendance", raise_exception=True)
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_get(user=request.user, pk=pk)
    form = AttendanceForm(request.POST)
    error = None
    status = 200
    if not form.is_valid():
        error, status = _("Unknown attendance answer."), 400
    else:
        try:
            session = attendance_record(actor=request.user, session=session, state=form.cleaned_data["state"],
                                        reason=form.cleaned_data["reason"])  # fmt: skip
        except SessionError as exc:
            error, status = exc.message, 400
    if request.headers.get("HX-Request"):
        session = session_get(user=request.user, pk=pk)
        session.time = slot_label(session.centre, session.date.weekday(), session.start)  # type: ignore[attr-defined]
        session.until = slot_label(session.centre, session.date.weekday(), session.start + session.length)  # type: ignore[attr-defined]
        context = {"s": session, "error": error, "absence_reasons": _reasons(ABSENCE_REASONS),
                   "cancel_reasons": _reasons(CANCEL_REASONS)}  # fmt: skip
        return render(request, "care/attendance_row.html", context, status=status)
    if error:
        messages.error(request, error)
    return redirect(reverse("care:day") + f"?date={session.date.isoformat()}")


class DatesForm(forms.Form):
    first = forms.DateField(label=_("From"))
    last = forms.DateField(label=_("To"))


@login_required
@permission_required("care.plan_week", raise_exception=True)
@require_POST
def sessions_make(request: HttpRequest, centre: int) -> HttpResponse:
    row = centre_for_planning(user=request.user, pk=centre)
    form = DatesForm(request.POST)
    if not form.is_valid():
        messages.error(request, MSG_BAD_DATE)
        return redirect("care:timetables", centre=row.pk)
    try:
        made = sessions_generate(actor=request.user, centre=row, first=form.cleaned_data["first"],
                                 last=form.cleaned_data["last"])  # fmt: skip
    except SessionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, MSG_GENERATED % {"created": made.created, "replaced": made.replaced, "kept": made.kept}
        )
    return redirect("care:timetables", centre=row.pk)


class NoteForm(forms.Form):
    therapy = forms.ModelChoiceField(queryset=Therapy.objects.all(), label=_("Therapy"))
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    for_parents = forms.BooleanField(label=_("For the parents' quarterly report"), required=False)


def _quarters(on: dt.date) -> list[tuple[int, int]]:
    year, q = on.year, (on.month - 1) // 3 + 1
    out = []
    for _k in range(4):
        out.append((year, q))
        year, q = (year, q - 1) if q > 1 else (year - 1, 4)
    return out


@login_required
def child_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A child's week: plan, recent attendance, and for its therapists and medical roles the progress notes."""
    enrolment = enrolment_get(user=request.user, pk=pk)
    notes = progress_notes_read(user=request.user, enrolment=enrolment)
    today = timezone.localdate()
    recent = sessions_recent(enrolment=enrolment, until=today)
    plan = plans_of_child(enrolment=enrolment)
    context = {
        "enrolment": enrolment, "notes": notes, "recent": recent, "plan": plan, "quarters": _quarters(today),
        "note_form": NoteForm() if notes is not None and request.user.has_perm("care.add_progressnote") else None,
    }  # fmt: skip
    return render(request, "care/session_child.html", context)


@login_required
@permission_required("care.add_progressnote", raise_exception=True)
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = enrolment_get(user=request.user, pk=pk)
    if not notes_allowed(user=request.user, enrolment=enrolment):
        raise Http404
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the note and choose its therapy."))
        return redirect("care:child", pk=pk)
    try:
        progress_note_add(actor=request.user, enrolment=enrolment, therapy=form.cleaned_data["therapy"],
                          text=form.cleaned_data["text"], for_parents=form.cleaned_data["for_parents"])  # fmt: skip
    except SessionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, MSG_NOTE_SAVED)
    return redirect("care:child", pk=pk)


@login_required
def progress_report(request: HttpRequest, pk: int, year: int, quarter: int, language: str) -> HttpResponse:
    """The quarterly progress report for the parents (PDF, Arabic or French). The therapists' notes for the
    parents are in it only for users who may read them (the read is logged); attendance is in every copy."""
    if language not in ("ar", "fr") or not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        raise Http404
    enrolment = enrolment_get(user=request.user, pk=pk)
    first, last = quarter_bounds(year, quarter)
    notes = progress_notes_read(user=request.user, enrolment=enrolment, since=first, until=last, for_parents=True)
    context = {"enrolment": enrolment, "year": year, "quarter": quarter, "first": first, "last": last,
               "rows": child_quarter(enrolment=enrolment, first=first, last=last), "notes": notes,
               "centre": enrolment.programme.centre, "today": timezone.localdate()}  # fmt: skip
    pdf = pdf_render("care/report_progress_pdf.html", context, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="progress-{enrolment.pk}-{year}Q{quarter}-{language}.pdf"'
    return response


class MonthForm(forms.Form):
    month = forms.DateField(label=_("Month"), input_formats=["%Y-%m"], widget=forms.DateInput(attrs={"type": "month"}))


@login_required
@permission_required("care.bill_sessions", raise_exception=True)
def billing(request: HttpRequest, centre: int) -> HttpResponse:
    row = centre_for_planning(user=request.user, pk=centre) if request.user.has_perm("care.plan_week") else None
    if row is None:
        raise Http404
    form = MonthForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                result = care_bills_month(actor=request.user, centre=row, month=form.cleaned_data["month"])
            except BillingError as exc:
                messages.error(request, exc.message)
            else:
                counts = {"billed": len(result.billed), "already": result.already, "skipped": result.not_billable}
                messages.success(request, MSG_BILLED % counts)
            return redirect("care:billing", centre=row.pk)
        messages.error(request, MSG_BAD_DATE)
    context = {"centre": row, "bills": bills_of_centre(centre=row), "form": form}
    return render(request, "care/session_billing.html", context)
