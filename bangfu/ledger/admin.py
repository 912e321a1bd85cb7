"""The ledger in the admin: read-only (entries are append-only; requests and budgets change through services)."""

from django.contrib import admin

from bangfu.common.admin import ReadOnlyAdmin

from .models import Budget, LedgerEntry, LedgerRequest


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("paid_on", "household", "description", "fund_source", "amount", "recorded_by", "approved_by")
    list_filter = ("fund_source", "kind")


@admin.register(LedgerRequest)
class LedgerRequestAdmin(ReadOnlyAdmin):
    list_display = ("id", "household", "description", "amount", "status", "requested_by", "decided_by")
    list_filter = ("status", "fund_source")


@admin.register(Budget)
class BudgetAdmin(ReadOnlyAdmin):
    list_display = ("union", "year", "fund_source", "amount", "refuse_over")
