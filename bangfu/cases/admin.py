"""Cases, plans and measures in the admin: read-only; every change goes through the services (and the audit)."""

from django.contrib import admin

from .models import Case, CaseEvent, FollowUp, Measure, Plan


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnly):
    list_display = ("id", "household", "episode", "state", "category", "next_review_on", "is_relapse")
    list_filter = ("state", "category", "is_relapse")


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnly):
    list_display = ("at", "case", "actor", "action", "from_state", "to_state")
    list_filter = ("action",)


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnly):
    list_display = ("case", "kind", "due_on", "done_on", "relapse_seen")


@admin.register(Plan)
class PlanAdmin(ReadOnly):
    list_display = ("case", "year", "version")


@admin.register(Measure)
class MeasureAdmin(ReadOnly):
    list_display = ("plan", "title", "department", "amount", "owner", "due_on", "status")
    list_filter = ("status", "department", "kind")
