"""The household as the engine's input document, and the engine's answer for it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from bangfu.cases.services import case_take_over
from bangfu.common.errors import ValidationFailed
from bangfu.registry import services
from bangfu.registry.assessment import (
    household_entitlements,
    household_to_assessment_document,
    monthly_income,
)

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2025, 6, 1)


@pytest.fixture
def archived(make_household, users):
    household = make_household(hardship_causes=["illness"])
    case_take_over(actor=users["reviewer_xuanwu"], household=household, category="extreme_hardship")
    for month, amount in ((datetime.date(2025, 4, 1), "1500"), (datetime.date(2025, 5, 1), "1700")):
        services.income_set(actor=users["caseworker_g1"], household=household, month=month, source="wages",
                            amount=Decimal(amount))
    services.income_set(actor=users["caseworker_g1"], household=household, month=datetime.date(2025, 5, 1),
                        source="transfer", amount=Decimal("200"))
    return household


def test_the_document_follows_the_spec(archived):
    document = household_to_assessment_document(archived, AS_OF)
    assert document["as_of"] == "2025-06-01" and document["region"] == "320102"
    assert document["category"] == "extreme_hardship" and document["archived"] is True
    assert document["monthly_income"] == 1700.0  # (1500 + 1900) / 2 months with records
    assert document["hardship_causes"] == ["illness"]
    worker, spouse, child = document["members"]
    assert worker["relation"] == "self" and worker["employment"] == "registered_unemployed"
    assert spouse["sex"] == "female" and spouse["birth_date"] == "1991-03-03"
    assert child["school"] == {"stage": "primary", "year": 3, "institution": "public", "excellent": False}
    assert child["business"] is None and "retirement_group" not in worker


def test_monthly_income_only_counts_the_twelve_whole_months_before_the_month_of_as_of(archived):
    assert monthly_income(archived, datetime.date(2025, 5, 31)) == Decimal("1500.00")  # May not over yet
    assert monthly_income(archived, datetime.date(2025, 4, 30)) == Decimal("0.00")
    assert monthly_income(archived, datetime.date(2027, 1, 1)) == Decimal("0.00")


def test_entitlements_come_from_the_engine(archived):
    answer = household_entitlements(archived, AS_OF)
    child = f"m{archived.members.get(relation='child').pk}"
    subsidy = [b for b in answer["benefits"] if b["code"] == "education.compulsory_living_subsidy"]
    assert [(b["member"], b["amount"]) for b in subsidy] == [(child, Decimal("1250.00"))]  # 2025: the base standard raised in 2024
    assert answer["total_cash"] >= Decimal("1000")


def test_a_draft_household_is_answered_as_not_eligible(make_household):
    answer = household_entitlements(make_household(), AS_OF)
    assert answer["benefits"] == [] and answer["not_eligible"][0]["code"] == "household.eligibility"


def test_a_file_without_members_cannot_be_assessed(make_household):
    with pytest.raises(ValidationFailed, match="无法测算"):
        household_entitlements(make_household(members=[]), AS_OF)
