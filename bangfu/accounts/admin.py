"""Admin pages of accounts (for the superuser who sets up the first administrators).

The admin is not a back door: a new union is made by the same service as everywhere (its path follows from its
county, so that area-based access holds), an existing union's place in the tree cannot be edited, and every change
of a union, a user or an API token writes an audit row like any other change.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction

from bangfu.audit.services import audit_log

from .models import ApiToken, GrassrootsKind, Organisation, OrgLevel, User
from .organisations import grassroots_create

SECRET_FIELDS = {"password", "key_hash", "last_login"}


def _snapshot(obj) -> dict:
    return {f.name: str(getattr(obj, f.attname)) for f in obj._meta.concrete_fields if f.name not in SECRET_FIELDS}


def _area(obj) -> str:
    org = obj if isinstance(obj, Organisation) else getattr(obj, "organisation", None) or getattr(
        getattr(obj, "user", None), "organisation", None)
    return org.path if org is not None else ""


class AuditedAdmin(admin.ModelAdmin):
    """Saves and deletions through the admin write an audit row (before/after, no secrets) in their transaction."""

    audit_type = ""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = _snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
            super().save_model(request, obj, form, change)
            after = _snapshot(obj)
            if change:
                before = {k: v for k, v in before.items() if after.get(k) != v}
                after = {k: after[k] for k in before}
                if "password" in form.changed_data:
                    after["password"] = "(已修改)"
            audit_log(actor=request.user, action=f"admin.{self.audit_type}.{'change' if change else 'add'}",
                      object_type=self.audit_type, object_id=obj.pk, area_path=_area(obj), before=before, after=after)

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_log(actor=request.user, action=f"admin.{self.audit_type}.delete", object_type=self.audit_type,
                      object_id=obj.pk, area_path=_area(obj), before=_snapshot(obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class GrassrootsForm(forms.ModelForm):
    """A new grassroots union: its county and kind; code and path are derived by the service."""

    parent = forms.ModelChoiceField(label="所属县(市、区)总工会",
                                    queryset=Organisation.objects.filter(level=OrgLevel.COUNTY))
    kind = forms.ChoiceField(label="基层工会类型", choices=GrassrootsKind.choices)

    class Meta:
        model = Organisation
        fields = ("parent", "name", "kind")


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("code", "name", "level", "kind", "division_code")
    list_filter = ("level", "kind")
    search_fields = ("code", "name")
    audit_type = "organisation"

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = GrassrootsForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # Only the name of an existing union may change: its code, level and place decide who sees what.
        return () if obj is None else ("code", "level", "kind", "division_code", "parent", "path")

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        with transaction.atomic():
            made = grassroots_create(actor=request.user, county=form.cleaned_data["parent"],
                                     name=form.cleaned_data["name"], kind=form.cleaned_data["kind"])
        obj.pk, obj.path, obj.code = made.pk, made.path, made.code
        obj._state.adding = False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class BangfuUserAdmin(AuditedAdmin, UserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "organisation", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("帮扶", {"fields": ("organisation", "role", "department")}))
    raw_id_fields = ("organisation",)
    audit_type = "user"


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "revoked")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")
    audit_type = "api_token"
