"""The Django admin: no medical field for anyone without the medical permission."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.test import RequestFactory
from django.urls import reverse

from accounts.roles import Role
from audit.admin_mixins import AuditedAdmin
from audit.tests.medical_data import leaked, medical_file_make
from claims.models import PriorApproval
from referentials.models import AldCondition

pytestmark = pytest.mark.django_db


def _request(user):  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _medical(model) -> set[str]:  # type: ignore[no-untyped-def]
    return set(getattr(model, "AUDIT_MASKED_FIELDS", ()))


def test_every_registered_admin_hides_the_medical_fields_from_an_administrator(make_user) -> None:
    request = _request(make_user(Role.ADMINISTRATOR))
    shown = {}
    for model_admin in admin.site._registry.values():
        for part in (model_admin, *model_admin.get_inline_instances(request)):
            names = {*part.get_fields(request), *part.get_readonly_fields(request)}
            if part is model_admin:
                names |= {*model_admin.get_list_display(request), *model_admin.get_list_filter(request),
                          *model_admin.get_search_fields(request)}  # fmt: skip
            shown[part.model._meta.label] = sorted(str(n) for n in names if str(n) in _medical(part.model))
    assert shown == {label: [] for label in shown}


def test_the_audited_admin_shows_medical_fields_to_medical_controllers_only(make_user) -> None:
    class ApprovalAdmin(AuditedAdmin, admin.ModelAdmin):  # type: ignore[type-arg]
        list_display = ("number", "code", "justification", "status")
        search_fields = ("number", "justification")

    model_admin = ApprovalAdmin(PriorApproval, AdminSite(name="medical_test"))
    staff, doctor = _request(make_user(Role.ADMINISTRATOR)), _request(make_user(Role.MEDICAL_CONTROLLER))
    assert "justification" not in model_admin.get_list_display(staff)
    assert "justification" not in model_admin.get_search_fields(staff)
    assert {"justification", "decision_note"}.isdisjoint(model_admin.get_fields(staff))
    assert {"justification", "decision_note"}.isdisjoint(model_admin.get_form(staff)().fields)
    assert "justification" in model_admin.get_list_display(doctor)
    assert {"justification", "decision_note"} <= set(model_admin.get_form(doctor)().fields)


def test_no_admin_page_an_administrator_opens_shows_a_medical_value(client_for, make_user) -> None:
    file = medical_file_make(make_user)
    client = client_for(Role.ADMINISTRATOR)
    pages = {}
    for model in admin.site._registry:
        if model is AldCondition:
            continue  # the public list of the 41 conditions: reference data, no one's illness
        info = (model._meta.app_label, model._meta.model_name)
        urls = [reverse(f"admin:{info[0]}_{info[1]}_changelist")]
        obj = model._default_manager.order_by("pk").last()
        if obj is not None:
            urls.append(reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk]))
        for url in urls:
            response = client.get(url)
            pages[url] = leaked(response.content.decode()) if response.status_code == 200 else []
    member_page = client.get(reverse("admin:members_member_change", args=[file.member.pk]))
    assert member_page.status_code == 200
    assert pages == {url: [] for url in pages} and not leaked(member_page.content.decode())


def test_an_auditor_does_not_reach_the_admin(client_for, make_user) -> None:
    medical_file_make(make_user)
    response = client_for(Role.AUDITOR).get(reverse("admin:index"))
    assert response.status_code == 302 and not leaked(response.content.decode())
