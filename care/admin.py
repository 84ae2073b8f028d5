"""The centres' set-up in the admin (audited); applications and enrolments are read-only here:
their states change through the application pages' services only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from audit.admin_mixins import AuditedAdmin
from care.models import (
    Application,
    Centre,
    CentreHours,
    Enrolment,
    GroupClass,
    PlaceOffer,
    Programme,
    ProgrammeRule,
    Room,
    StaffAvailability,
    StaffMember,
    Therapy,
)
from mutuelle.admin_readonly import ReadOnlyAdmin


@admin.register(Therapy)
class TherapyAdmin(AuditedAdmin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name_ar", "name_fr", "name_en", "act_code"]
    search_fields = ["code", "name_ar", "name_fr", "name_en"]


class HoursInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CentreHours
    extra = 0


class ProgrammeInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Programme
    extra = 0
    fields = ["code", "name_ar", "name_fr", "capacity", "age_min", "age_max"]
    show_change_link = True


@admin.register(Centre)
class CentreAdmin(AuditedAdmin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name_ar", "name_fr", "city", "region", "provider"]
    list_filter = ["region"]
    search_fields = ["code", "name_ar", "name_fr", "city"]
    autocomplete_fields = ["provider"]
    inlines = [HoursInline, ProgrammeInline]


class RuleInline(admin.TabularInline):  # type: ignore[type-arg]
    """A change of weights is a new row from its date on; rows already in force are not edited."""

    model = ProgrammeRule
    extra = 0

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        return ["valid_from", "age_window_months", "age_bonus_days", "partner_penalty_days",
                "offer_deadline_days", "age_out_notice_months"] if obj else []  # fmt: skip


class GroupClassInline(admin.TabularInline):  # type: ignore[type-arg]
    model = GroupClass
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(AuditedAdmin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name_fr", "name_ar", "centre", "capacity", "age_min", "age_max"]
    list_filter = ["centre"]
    search_fields = ["code", "name_fr", "name_ar"]
    inlines = [RuleInline, GroupClassInline]


@admin.register(Room)
class RoomAdmin(AuditedAdmin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "centre"]
    list_filter = ["centre"]
    filter_horizontal = ["therapies"]


class AvailabilityInline(admin.TabularInline):  # type: ignore[type-arg]
    model = StaffAvailability
    extra = 0


@admin.register(StaffMember)
class StaffMemberAdmin(AuditedAdmin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "last_name", "first_name", "last_name_ar", "first_name_ar", "kind", "centre", "active"]
    list_filter = ["centre", "kind", "active"]
    search_fields = ["code", "last_name", "first_name", "last_name_ar", "first_name_ar"]
    filter_horizontal = ["therapies"]
    raw_id_fields = ["user"]
    inlines = [AvailabilityInline]


class _ReadOnly(ReadOnlyAdmin, AuditedAdmin, admin.ModelAdmin):  # type: ignore[type-arg]
    pass


@admin.register(Application)
class ApplicationAdmin(_ReadOnly):
    list_display = ["child_last_name", "child_first_name", "programme", "state", "filed_at", "partner_mutual"]
    list_filter = ["state", "centre", "partner_mutual"]
    search_fields = ["child_last_name", "child_first_name", "child_last_name_ar", "child_first_name_ar"]


@admin.register(Enrolment)
class EnrolmentAdmin(_ReadOnly):
    list_display = ["application", "programme", "state", "starts_on", "leaves_on", "ends_on"]
    list_filter = ["state", "programme"]


@admin.register(PlaceOffer)
class PlaceOfferAdmin(_ReadOnly):
    list_display = ["application", "programme", "offered_at", "deadline", "state"]
    list_filter = ["state"]
