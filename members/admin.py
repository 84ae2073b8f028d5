from __future__ import annotations

from typing import Any

from django.contrib import admin

from audit.admin_mixins import AuditedAdmin
from members.models import Administration, Beneficiary, Member, MemberStatusChange
from members.services import beneficiary_search_text, member_search_text_refresh


@admin.register(Administration)
class AdministrationAdmin(AuditedAdmin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name_fr", "name_ar"]
    search_fields = ["code", "name_fr", "name_ar"]


class BeneficiaryInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Beneficiary
    extra = 0
    fields = ("rank", "relation", "card_number", "last_name", "first_name", "birth_date", "covered_until")
    readonly_fields = fields
    can_delete = False
    show_change_link = True


class StatusInline(admin.TabularInline):  # type: ignore[type-arg]
    model = MemberStatusChange
    extra = 0
    readonly_fields = ["status", "valid_from", "note", "recorded_by", "recorded_at"]
    can_delete = False


@admin.register(Member)
class MemberAdmin(AuditedAdmin, admin.ModelAdmin):  # type: ignore[type-arg]
    """Read mostly: registration and changes go through the member pages, which keep the search text."""

    list_display = ["membership_number", "matricule", "cin", "administration", "status", "joined_on"]
    list_filter = ["status", "administration"]
    search_fields = ["membership_number", "matricule", "cin"]
    raw_id_fields = ["user"]
    readonly_fields = ["membership_number", "status", "status_since"]
    inlines = [BeneficiaryInline, StatusInline]

    def save_model(self, request: Any, obj: Member, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        member_search_text_refresh(member=obj)


@admin.register(Beneficiary)
class BeneficiaryAdmin(AuditedAdmin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["card_number", "relation", "last_name", "first_name", "birth_date"]
    search_fields = ["card_number", "last_name", "first_name", "last_name_ar", "first_name_ar"]
    readonly_fields = ["member", "relation", "rank", "card_number", "search_text"]
    list_select_related = ["member"]

    def save_model(self, request: Any, obj: Beneficiary, form: Any, change: bool) -> None:
        obj.search_text = beneficiary_search_text(obj, obj.member)
        super().save_model(request, obj, form, change)
