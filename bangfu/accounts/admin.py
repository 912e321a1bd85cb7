"""Admin pages of accounts (for the superuser who sets up the first administrators)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import ApiToken, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "kind", "division_code")
    list_filter = ("level", "kind")
    search_fields = ("code", "name")
    readonly_fields = ("path",)


@admin.register(User)
class BangfuUserAdmin(UserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "organisation", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("帮扶", {"fields": ("organisation", "role", "department")}))
    raw_id_fields = ("organisation",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "revoked")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")
