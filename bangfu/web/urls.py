"""Routes of the web interface (namespace `web`)."""

from django.urls import path

from .views import (
    admin_pages,
    auth,
    cases,
    dashboard,
    file_actions,
    households,
    ledger,
    ledger_pages,
    plans,
    register,
)

app_name = "web"

urlpatterns = [
    path("accounts/login/", auth.Login.as_view(), name="login"),
    path("accounts/logout/", auth.logout_view, name="logout"),
    path("", dashboard.home, name="home"),
    path("households/", households.household_list, name="household_list"),
    path("households/export.xlsx", households.household_export_view, name="household_export"),
    path("households/new/", register.household_create, name="household_create"),
    path("households/<int:pk>/", households.household_detail, name="household_detail"),
    path("households/<int:pk>/edit/", register.household_edit, name="household_edit"),
    path("households/<int:pk>/print/", households.household_print, name="household_print"),
    path("households/<int:pk>/entitlements/", households.household_entitlements, name="household_entitlements"),
    path("households/<int:pk>/members/new/", register.member_add, name="member_add"),
    path("households/<int:pk>/documents/", file_actions.document_upload, name="document_upload"),
    path("households/<int:pk>/incomes/", file_actions.income_set, name="income_set"),
    path("households/<int:pk>/case/", cases.case_panel, name="case_panel"),
    path("households/<int:pk>/case/<slug:move>/", cases.case_move, name="case_move"),
    path("followups/<int:pk>/", cases.followup_record, name="followup_record"),
    path("households/<int:pk>/plans/<int:year>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/entitlements/", plans.measure_from_entitlement_view, name="measure_from_entitlement"),
    path("plans/<int:pk>/measures/", plans.measure_create_view, name="measure_create"),
    path("measures/<int:pk>/", plans.measure_update_view, name="measure_update"),
    path("households/<int:pk>/ledger/", ledger.household_ledger, name="household_ledger"),
    path("ledger/requests/<int:pk>/approve/", ledger.request_approve, name="ledger_approve"),
    path("ledger/requests/<int:pk>/reject/", ledger.request_reject, name="ledger_reject"),
    path("ledger/entries/<int:pk>/reverse/", ledger.entry_reverse, name="ledger_reverse"),
    path("ledger/", ledger_pages.union_ledger, name="union_ledger"),
    path("ledger/requests/", ledger_pages.request_queue, name="ledger_requests"),
    path("ledger/export.xlsx", ledger_pages.ledger_export_view, name="ledger_export"),
    path("ledger/budgets/", ledger_pages.budget_set_view, name="budget_set"),
    path("targets/", dashboard.targets, name="targets"),
    path("members/<int:pk>/edit/", register.member_edit, name="member_edit"),
    path("members/<int:pk>/id-number/", file_actions.member_id_number, name="member_id_number"),
    path("documents/<int:pk>/", file_actions.document_download, name="document_download"),
    path("audit/", admin_pages.audit_log, name="audit_log"),
    path("users/", admin_pages.user_list, name="user_list"),
    path("users/<int:pk>/deactivate/", admin_pages.user_deactivate, name="user_deactivate"),
]
