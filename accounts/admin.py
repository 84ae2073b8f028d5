from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import Provider, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("Mutuelle", {"fields": ("provider", "preferred_language")}))
    list_display = ("username", "first_name", "last_name", "is_active", "provider")


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ("inpe", "name", "kind", "sector", "city")
    search_fields = ("inpe", "name", "name_ar")
