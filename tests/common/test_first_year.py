"""The programme's first year (the notice's, 2019) has one home, `bangfu.common.bounds.FIRST_YEAR`, taken from the
policy's NOTICE_DAY; the budget form and service, the report form, plans and medical bills all start there."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.utils import translation

from bangfu.common.bounds import FIRST_YEAR
from bangfu.common.errors import ValidationFailed
from bangfu.policy.parameters import NOTICE_DAY, default_parameters

BILL = {"hospital_level": "tertiary", "scheme": "resident", "total": "100", "in_scope": "80"}


def test_the_first_year_is_the_notices_and_the_notice_is_in_force_from_that_day() -> None:
    assert FIRST_YEAR == 2019
    assert NOTICE_DAY.isoformat() == "2019-01-10"
    in_force = default_parameters()["general.notice.in_force"]
    assert in_force.at(NOTICE_DAY).value == 1 and in_force.at(NOTICE_DAY - datetime.timedelta(days=1)) is None


def test_the_budget_and_report_forms_start_in_the_first_year() -> None:
    from bangfu.web.forms.plans import BudgetForm
    from bangfu.web.views.reports import ReportForm

    for year_field in (BudgetForm.base_fields["year"], ReportForm.base_fields["year"]):
        assert year_field.clean("2019") == 2019 and year_field.clean("2100") == 2100
        with translation.override("zh-hans"), pytest.raises(forms.ValidationError) as exc:
            year_field.clean("2018")
        assert exc.value.messages == ["确保该值大于或等于2019。"]


def test_a_medical_bill_starts_in_the_first_year() -> None:
    from bangfu.medical.validation import clean_bill

    today = datetime.date(2026, 11, 16)
    assert clean_bill({**BILL, "billed_on": "2019-01-01"}, today=today)["billed_on"] == datetime.date(2019, 1, 1)
    with pytest.raises(ValidationFailed) as exc:
        clean_bill({**BILL, "billed_on": "2018-12-31"}, today=today)
    assert (exc.value.field, exc.value.message) == ("billed_on", "只记录2019年及以后的单据")


@pytest.mark.django_db
def test_a_budget_starts_in_the_first_year(users, orgs) -> None:
    from bangfu.ledger import services

    admin = users["admin_nanjing"]
    assert services.budget_set(actor=admin, union=orgs["xuanwu"], fund_source="fiscal", year=2019,
                               amount="1").year == 2019
    with pytest.raises(ValidationFailed) as exc:
        services.budget_set(actor=admin, union=orgs["xuanwu"], fund_source="fiscal", year=2018, amount="1")
    assert (exc.value.field, exc.value.message) == ("year", "预算年度应为2019到2100之间的年份")


def test_plans_start_in_the_first_year() -> None:
    from bangfu.cases.selectors import plan_years

    assert plan_years() == range(2019, 2028)  # the suite's today is 2026-11-16: up to next year


@pytest.mark.django_db
def test_the_medical_api_and_page_start_in_the_first_year(login, users, make_household) -> None:
    household = make_household()
    client = login(users["caseworker_g1"])
    url = f"/api/v1/households/{household.pk}/medical-bills"
    assert client.get(f"{url}?year=2019").status_code == 200
    refused = client.get(f"{url}?year=2018")
    assert refused.status_code == 422 and refused.json()["field"] == "year"
    page = client.get(f"/households/{household.pk}/?medical_year=2018").content.decode()
    assert '<option value="2019" selected>2019年</option>' in page and 'value="2018"' not in page
    assert "2019年尚未录入医疗费用单据" in page  # 2018 asked for: the first year shown


@pytest.mark.django_db
def test_the_year_filters_of_the_dashboard_and_ledger_start_in_the_first_year(users) -> None:
    from bangfu.web.views.dashboard import TargetsForm
    from bangfu.web.views.ledger_pages import LedgerFilterForm

    for form in (TargetsForm(user=users["admin_nanjing"]), LedgerFilterForm(user=users["admin_nanjing"])):
        years = [y for y, _ in form.fields["year"].choices if y != ""]
        assert (years[0], years[-1], len(years)) == (2026, 2019, 8)
