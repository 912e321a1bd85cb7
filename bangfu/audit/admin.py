"""The audit log in the admin: read-only, for nobody to add, change or delete."""

from django.contrib import admin

from bangfu.common.admin import ReadOnlyAdmin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_name", "action", "object_type", "object_id", "ip")
    list_filter = ("action", "object_type")
    search_fields = ("actor_name", "object_id")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
