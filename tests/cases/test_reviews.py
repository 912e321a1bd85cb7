"""Reviews due, exit suggested (never automatic), follow-ups after exit, and the figures of Article 2."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from bangfu.cases import services
from bangfu.cases.parameters import add_months
from bangfu.cases.reviews import exit_suggestion, followups_due, overdue_reviews
from bangfu.cases.targets import article2_targets
from bangfu.common.errors import NotFound, ValidationFailed
from bangfu.exchange.identification import propose_category
from bangfu.registry import services as registry

pytestmark = pytest.mark.django_db


def set_income(household, users, months: list[datetime.date], amount: str) -> None:
    for month in months:
        registry.income_set(actor=users["caseworker_g1"], household=household, month=month, source="wages",
                            amount=Decimal(amount))


def last_months(today: datetime.date, n: int) -> list[datetime.date]:
    first = today.replace(day=1)
    return [add_months(first, -i) for i in range(n, 0, -1)]


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(datetime.date(2025, 1, 31), 1) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2025, 11, 15), 3) == datetime.date(2026, 2, 15)
    assert add_months(datetime.date(2025, 3, 1), -3) == datetime.date(2024, 12, 1)


def test_exit_is_suggested_after_six_months_at_the_households_own_line(archived_case, users, today):
    household = archived_case.household
    set_income(household, users, last_months(today, 6), "5400")  # 1800 per person: 2 × 900 (Nanjing), 困难's line
    suggestion = exit_suggestion(household, today)
    assert suggestion["suggestion"] == "exit" and suggestion["months_required"] == 6
    assert [m["month"] for m in suggestion["months"]] == [f"{d:%Y-%m}" for d in last_months(today, 6)]
    assert all(m["per_capita"] == Decimal("1800.00") and m["standard"] == Decimal("900.00")
               and m["line"] == Decimal("1800.00") for m in suggestion["months"])
    assert archived_case.household.status == "archived", "a suggestion changes nothing"
    assert propose_category(household, today)["category"] == "none", "identification agrees"


def test_one_month_below_the_line_means_no_exit_suggestion(archived_case, users, today):
    household = archived_case.household
    months = last_months(today, 6)
    set_income(household, users, months, "5400")
    set_income(household, users, months[2:3], "5399.97")  # 1799.99 per person: still meets 困难
    suggestion = exit_suggestion(household, today)
    assert suggestion["suggestion"] is None and f"{months[2]:%Y-%m}" in suggestion["reason"]


@pytest.mark.parametrize("category", ["hardship", "extreme_hardship"])
def test_a_household_at_one_and_a_half_times_the_dibao_standard_is_not_told_to_exit(
        archived_case, users, today, category):
    household = archived_case.household
    household.verified_category = category
    household.save(update_fields=["verified_category"])
    set_income(household, users, last_months(today, 12), "4050")  # 1350 per person: 1.5 × 900
    suggestion = exit_suggestion(household, today)
    assert suggestion["suggestion"] != "exit" and not any(m["above"] for m in suggestion["months"])
    assert propose_category(household, today)["category"] == "hardship", "identification still says 困难"


def test_relief_is_suggested_when_no_member_can_work(make_household, build, drive, users, today):
    household = make_household(members=[build.member("self", work_ability="none"),
                                         build.member("spouse", sex="female", work_ability="none")])
    case = drive(services.case_open(actor=users["caseworker_g1"], household=household), "archived")
    suggestion = exit_suggestion(case.household, today)
    assert suggestion["suggestion"] == "relieve" and "社会救助" in suggestion["reason"]


def test_the_exit_records_the_suggestion_and_schedules_follow_ups(archived_case, drive, users, today):
    set_income(archived_case.household, users, last_months(today, 6), "5400")
    case = drive(archived_case, "exited")
    event = case.events.last()
    assert event.data["suggestion"] == "exit"
    first, second = case.followups.order_by("due_on")
    assert (first.due_on, second.due_on) == (add_months(today, 3), add_months(today, 12))
    assert list(followups_due(user=users["caseworker_g1"], as_of=first.due_on)) == [first]
    assert not followups_due(user=users["caseworker_g4"], as_of=second.due_on).exists()
    recorded = services.followup_record(actor=users["caseworker_g1"], followup=first, notes="再次失业",
                                        relapse_seen=True)
    assert recorded.relapse_seen and recorded.done_on == today
    assert list(followups_due(user=users["caseworker_g1"], as_of=second.due_on)) == [second]
    with pytest.raises(ValidationFailed, match="已登记"):
        services.followup_record(actor=users["caseworker_g1"], followup=first, notes="again")


def test_reviews_due_show_for_those_in_the_area(archived_case, drive, users, today):
    due = archived_case.next_review_on
    assert list(overdue_reviews(user=users["caseworker_g1"], as_of=due)) == [archived_case]
    assert not overdue_reviews(user=users["caseworker_g1"], as_of=due - datetime.timedelta(days=1)).exists()
    assert not overdue_reviews(user=users["caseworker_g4"], as_of=due).exists()
    case = drive(archived_case, "review")
    case = services.case_complete_review(actor=users["caseworker_g1"], case=case, version=case.version,
                                         reason="仍需帮扶")
    assert case.state == "helping" and case.next_review_on == add_months(today, 12)


def test_article_2_targets_for_a_union(make_household, build, drive, users, orgs, today):
    cw = users["caseworker_g1"]
    helped = drive(services.case_open(actor=cw, household=make_household()), "helping")
    set_income(helped.household, users, last_months(today, 3), "9000")  # 3000 per person: above 低保
    exited = drive(services.case_open(actor=cw, household=make_household(members=[build.member("self")])), "exited")
    services.case_open(actor=cw, household=exited.household, reason="返贫")
    below = drive(services.case_open(actor=cw, household=make_household(members=[build.member("self")])), "review")
    services.case_relieve(actor=users["reviewer_xuanwu"], case=below, version=below.version, reason="纳入低保")
    still = drive(services.case_open(actor=cw, household=make_household(members=[build.member("self")])), "archived")
    set_income(still.household, users, last_months(today, 2), "899.99")  # one person below 900
    drive(services.case_open(actor=cw, household=make_household(members=[build.member("self")])), "archived")
    figures = article2_targets(user=users["admin_nanjing"], union=orgs["xuanwu"], year=today.year,
                               as_of=today)["figures"]
    assert figures == {"archived": 3, "helped": 0, "exited_by_work": 1, "social_assistance": 1, "relapsed": 1,
                       "below_dibao": 1}
    outside = article2_targets(user=users["admin_province"], union=orgs["xishan"], year=today.year, as_of=today)
    assert set(outside["figures"].values()) == {0}
    with pytest.raises(NotFound):
        article2_targets(user=users["caseworker_g4"], union=orgs["xuanwu"], year=today.year, as_of=today)
