"""Member pages: list and live search, member file, member/dependant/status forms. Thin views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.presentation import audit_events_present
from audit.selectors import audit_events_for_member
from members import services
from members.forms import (
    BeneficiaryEditForm,
    BeneficiaryForm,
    MemberEditForm,
    MemberForm,
    StatusChangeForm,
    form_errors_from,
    member_initial,
)
from members.models import Beneficiary, Relation
from members.rib import iban_from_rib
from members.rules import DEPENDANT_EDITABLE
from members.sections import member_sections
from members.selectors import (
    age_on,
    beneficiary_eligibility,
    eligibility_reason_label,
    member_get,
    member_lookup,
)

PAGE_SIZE = 25
MEMBER_SAVED = _("The member's file has been saved.")
DEPENDANT_SAVED = _("The dependant has been saved.")
STATUS_SAVED = _("The status change has been recorded.")
CORRECT_ERRORS = _("Please correct the errors below.")
# members.search: no number and no name starts with the query, so the closest names are shown.
NAMES_CLOSE_TO = _("No exact match; names close to “%(query)s”, the closest first.")


@login_required
@permission_required("members.view_member", raise_exception=True)
def member_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    found = member_lookup(user=request.user, query=query)
    page = Paginator(found.rows(), PAGE_SIZE).get_page(request.GET.get("page"))  # type: ignore[arg-type]  # CountedMembers slices as its queryset
    context = {
        "page": page, "query": query, "close_names": NAMES_CLOSE_TO % {"query": query} if found.tolerant else "",
        "capped": found.capped, "max_found": found.count,  # when capped, the bound
    }  # fmt: skip
    template = "members/_results.html" if getattr(request, "htmx", False) else "members/list.html"
    return render(request, template, context)


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_get(user=request.user, pk=pk)
    today = timezone.localdate()
    people: list[dict[str, Any]] = []
    for beneficiary in member.beneficiaries.all():
        beneficiary.member = member  # the prefetched history is on this instance
        eligibility = beneficiary_eligibility(beneficiary=beneficiary, on=today)
        people.append(
            {
                "b": beneficiary,
                "age": age_on(beneficiary.birth_date, today),
                "eligibility": eligibility,
                "why_not": eligibility_reason_label(eligibility),
            }
        )
    holder = next(b for b in member.beneficiaries.all() if b.relation == Relation.SELF)
    events = None
    if request.user.has_perm("audit.view_auditevent"):
        events = audit_events_present(audit_events_for_member(user=request.user, member_id=member.pk)[:100])
    sections, section_context = member_sections(user=request.user, member=member)  # claims', payments'
    context = {
        "member": member,
        "holder": holder,
        "people": people,
        "iban": iban_from_rib(member.rib) if member.rib else "",
        "history": sorted(member.status_history.all(), key=lambda r: (r.valid_from, r.pk), reverse=True),
        "events": events,
        "today": today,
        "member_sections": sections,
        **section_context,
    }
    return render(request, "members/detail.html", context)


def _form_page(request: HttpRequest, form: Any, title: Any, member: Any = None, status: int = 200) -> HttpResponse:
    return render(request, "members/form.html", {"form": form, "title": title, "member": member}, status=status)


def _form_submit(
    request: HttpRequest,
    form: Any,
    *,
    save: Callable[[dict[str, Any]], Any],
    saved: Any,
    title: Any,
    member: Any = None,
) -> HttpResponse:
    """Show the form; on a valid POST call the service, then back to the member's file.

    A service's ValidationError lands on the form's fields and the page answers 400; `save`
    returns the member when there is none yet (creation)."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, saved)
            return redirect("members:detail", pk=(member or result).pk)
    return _form_page(request, form, title, member, status=400 if form.errors else 200)


@login_required
@permission_required("members.add_member", raise_exception=True)
def member_create(request: HttpRequest) -> HttpResponse:
    form = MemberForm(request.POST or None)
    return _form_submit(
        request,
        form,
        save=lambda data: services.member_create(actor=request.user, **data),
        saved=MEMBER_SAVED,
        title=_("New member"),
    )


@login_required
@permission_required("members.change_member", raise_exception=True)
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_get(user=request.user, pk=pk)
    holder = next(b for b in member.beneficiaries.all() if b.relation == Relation.SELF)
    form = MemberEditForm(request.POST or None, initial=member_initial(member, holder))
    return _form_submit(
        request,
        form,
        save=lambda data: services.member_update(actor=request.user, member=member, **data),
        saved=MEMBER_SAVED,
        title=_("Edit member"),
        member=member,
    )


@login_required
@permission_required("members.change_member", raise_exception=True)
def member_status_change(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_get(user=request.user, pk=pk)
    form = StatusChangeForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    return _form_submit(
        request,
        form,
        save=lambda data: services.member_status_change(actor=request.user, member=member, **data),
        saved=STATUS_SAVED,
        title=_("Change of status"),
        member=member,
    )


@login_required
@permission_required("members.add_beneficiary", raise_exception=True)
def beneficiary_create(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_get(user=request.user, pk=pk)
    form = BeneficiaryForm(request.POST or None)
    return _form_submit(
        request,
        form,
        save=lambda data: services.beneficiary_add(actor=request.user, member=member, **data),
        saved=DEPENDANT_SAVED,
        title=_("New dependant"),
        member=member,
    )


@login_required
@permission_required("members.change_beneficiary", raise_exception=True)
def beneficiary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    beneficiary = get_object_or_404(Beneficiary.objects.exclude(relation=Relation.SELF), pk=pk)
    member = member_get(user=request.user, pk=beneficiary.member_id)
    beneficiary.member = member
    initial = {name: getattr(beneficiary, name) for name in DEPENDANT_EDITABLE}
    form = BeneficiaryEditForm(request.POST or None, initial=initial)
    return _form_submit(
        request,
        form,
        save=lambda data: services.beneficiary_update(actor=request.user, beneficiary=beneficiary, **data),
        saved=DEPENDANT_SAVED,
        title=_("Edit dependant"),
        member=member,
    )
