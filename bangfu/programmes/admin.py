"""Programmes in the admin: read-only; every change goes through the services (and the audit)."""

from django.contrib import admin

from bangfu.common.admin import ReadOnlyAdmin

from .models import BankFormat, Payee, Programme, Reconciliation, Round


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ("name", "union", "kind", "fund_source", "budget", "period_kind", "delivery")
    list_filter = ("kind", "fund_source", "delivery")


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ("programme", "number", "union", "period_key", "paid_on", "state")
    list_filter = ("state",)


@admin.register(Reconciliation)
class ReconciliationAdmin(ReadOnlyAdmin):
    list_display = ("round", "file_name", "uploaded_by", "uploaded_at", "paid", "failed", "errors")
    exclude = ("result",)


@admin.register(BankFormat)
class BankFormatAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "encoding")


@admin.register(Payee)
class PayeeAdmin(ReadOnlyAdmin):
    list_display = ("household", "bank_name", "account_kind")
    exclude = ("account_number",)  # shown masked on the file, revealed only with an audit row
