"""Issue 17 item 2: income figures are computed in Decimal from the records and rounded once, half-up to the fen.

Monthly incomes 1475, 1183 and 1292 (3,950.00 over three months): 家庭年收入 15,800.00 (not 1,316.67 × 12 =
15,800.04); for one member, after 100 yuan of rigid expenses, 1308.33 a month (tests/exchange/
test_exchange_verification.py, the 核对报告's proposal)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from bangfu.cases.parameters import add_months
from bangfu.medical.selectors import medical_year
from bangfu.registry.assessment import (
    household_entitlements,
    household_income,
    household_to_assessment_document,
)
from bangfu.registry.income import lines_on
from bangfu.registry.services import income_set

pytestmark = pytest.mark.django_db


def with_incomes(users, household, today):
    first = add_months(today.replace(day=1), -3)  # the three whole months before this one
    for i, amount in enumerate(("1475", "1183", "1292")):
        income_set(actor=users["caseworker_g1"], household=household, month=add_months(first, i), source="wages",
                   amount=Decimal(amount))
    return household


def test_the_household_income_of_1475_1183_and_1292(users, make_household, build, today):
    one = with_incomes(users, make_household(members=[build.member("self")]), today)
    figures = household_income(one, today)
    assert (figures.months_recorded, figures.monthly, figures.annual, figures.per_capita) == (
        3, Decimal("1316.67"), Decimal("15800.00"), Decimal("1316.67"))
    two = with_incomes(users, make_household(members=[build.member("self"), build.member("spouse", sex="female")]),
                       today)
    assert household_income(two, today).per_capita == Decimal("658.33")  # 15,800.00 ÷ 12 ÷ 2 = 658.333…
    assert household_income(make_household(), today).per_capita is None  # no records: unknown, not 0.00


def test_the_medical_year_and_the_file_show_15800_exactly(users, make_household, build, login, today):
    household = with_incomes(users, make_household(members=[build.member("self")]), today)
    worker = household.members.get()
    client = login(users["caseworker_g1"])
    assert client.post(reverse("web:bill_create", args=[household.pk]), {
        "member": worker.pk, "billed_on": today.isoformat(), "hospital": "南京鼓楼医院", "hospital_level": "tertiary",
        "kind": "inpatient", "scheme": "resident", "total": "8000", "in_scope": "6000"}).status_code == 302
    assert medical_year(user=users["caseworker_g1"], household=household, year=today.year,
                        as_of=today).annual_income == Decimal("15800.00")
    page = client.get(reverse("web:household_detail", args=[household.pk])).content.decode()
    assert "家庭全年收入 15,800.00 元" in page and "15,800.04" not in page


def test_article_2s_yearly_shortfall_is_rounded_once(users, make_household, build, today):
    """(低保 standard × 2 members) × 12 − 15,800.00: the shortfall from the exact average, not from 1,316.67."""
    household = with_incomes(users, make_household(members=[
        build.member("self", born=datetime.date(1960, 1, 1), work_ability="none"),
        build.member("spouse", sex="female", born=datetime.date(1962, 1, 1), work_ability="none")]), today)
    assert household_to_assessment_document(household, today)["monthly_income"] == pytest.approx(3950 / 3)
    answer = household_entitlements(household, today, preview=True)
    guarantee = next(b for b in answer["benefits"] if b["code"] == "living.minimum_living_guarantee")
    dibao = lines_on(today, household.region_code).yuan("dibao")
    assert Decimal(str(guarantee["amount"])) == dibao * 2 * 12 - Decimal("15800.00")


def test_the_public_self_check_rounds_the_per_capita_income_half_up(orgs, today):
    """3,950.00 a month for three people: 1316.67 (half-up, as identification rounds it), not 1316.66 (floored)."""
    from bangfu.web.public.selfcheck import suggested_category

    answer = suggested_category(region="320102", as_of=today, monthly_income=Decimal("3950"), size=3)
    assert answer["known"] and "家庭人均月收入约1316.67元" in answer["reason"]
