from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, Provider, User
from accounts.roles import Role
from mutuelle.admin_readonly import ReadOnlyAdmin


def role_label(group_name: str) -> str:
    """A group is a role (roles_sync names it by the role's code): shown by the role's label."""
    try:
        return str(Role(group_name).label)
    except ValueError:
        return group_name


class RoleListFilter(admin.RelatedFieldListFilter):
    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [(pk, role_label(str(name))) for pk, name in super().field_choices(field, request, model_admin)]


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    list_display = ("role", "name")

    @admin.display(description=_("role"), ordering="name")
    def role(self, obj: Group) -> str:
        return role_label(obj.name)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), (_("Mutuelle"), {"fields": ("provider", "preferred_language")}))
    list_display = ("username", "first_name", "last_name", "is_active", "provider")
    list_filter = ("is_staff", "is_superuser", "is_active", ("groups", RoleListFilter))

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups" and field is not None:
            field.label_from_instance = lambda group: role_label(group.name)  # type: ignore[method-assign,assignment]
        return field


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ("inpe", "name", "kind", "sector", "city")
    search_fields = ("inpe", "name", "name_ar")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: tokens are issued and revoked by `manage.py api_token` (services, audited); the
    plaintext is never stored, and the digest is not shown either."""

    list_display = ("prefix", "name", "user", "scope", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("scope", "revoked_at", "expires_at")
    search_fields = ("prefix", "name", "user__username")
    fields = (
        "prefix", "name", "user", "scope", "created_at", "expires_at", "rate_per_minute", "last_used_at", "revoked_at",
    )  # fmt: skip
    readonly_fields = fields
    list_select_related = ("user",)
