"""The ledger in the admin: read-only (entries are append-only; requests and budgets change through services)."""

from django.contrib import admin

from .models import Budget, LedgerEntry, LedgerRequest


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnly):
    list_display = ("paid_on", "household", "description", "fund_source", "amount", "recorded_by", "approved_by")
    list_filter = ("fund_source", "kind")


@admin.register(LedgerRequest)
class LedgerRequestAdmin(ReadOnly):
    list_display = ("id", "household", "description", "amount", "status", "requested_by", "decided_by")
    list_filter = ("status", "fund_source")


@admin.register(Budget)
class BudgetAdmin(ReadOnly):
    list_display = ("union", "year", "fund_source", "amount", "refuse_over")
