"""The household file in the admin: read-only, because every write must go through the audited services."""

from django.contrib import admin

from bangfu.common.admin import ReadOnlyAdmin

from .models import Document, Household, IncomeRecord, Member


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ("id", "union", "region_code", "status", "verified_category")
    list_filter = ("status", "verified_category")


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ("id", "household", "name", "relation", "active")
    exclude = ("id_number",)


admin.site.register(IncomeRecord, ReadOnlyAdmin)
admin.site.register(Document, ReadOnlyAdmin)
