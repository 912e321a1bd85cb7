"""Cases, plans and measures in the admin: read-only; every change goes through the services (and the audit)."""

from django.contrib import admin

from bangfu.common.admin import ReadOnlyAdmin

from .models import Case, CaseEvent, FollowUp, Measure, Plan


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("id", "household", "episode", "state", "category", "next_review_on", "is_relapse")
    list_filter = ("state", "category", "is_relapse")


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "case", "actor", "action", "from_state", "to_state")
    list_filter = ("action",)


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ("case", "kind", "due_on", "done_on", "relapse_seen")


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ("case", "year", "version")


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ("plan", "title", "department", "amount", "owner", "due_on", "status")
    list_filter = ("status", "department", "kind")
