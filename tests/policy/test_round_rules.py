"""The round rules of the engine: amounts by category, months and household size, reasons in Chinese."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bangfu.policy.parameters import default_parameters
from bangfu.policy.rules import rounds

P = default_parameters()


def test_send_warmth_pays_by_category_and_names_illustrative_figures():
    picks = rounds.send_warmth([("extreme_hardship", "320102"), ("hardship", "320102"), ("none", "320102")],
                               dt.date(2026, 1, 20), P)
    assert [p.amount for p in picks] == [Decimal("1000.00"), Decimal("500.00"), None]
    assert "待确认" in picks[0].reason and picks[0].illustrative
    assert picks[2].reason == "核定类别为非困难,不在发放范围"


def test_free_electricity_is_15_kwh_a_month_at_the_first_tier_price_for_extreme_hardship_only():
    picks = rounds.free_electricity([("extreme_hardship", "320102"), ("hardship", "320102")],
                                    dt.date(2026, 1, 1), dt.date(2026, 3, 31), P)
    assert picks[0].amount == Decimal("23.77")  # 15 × 0.5283 × 3 = 23.7735
    assert "第18条" in picks[0].reason and picks[1].amount is None


def test_price_subsidy_counts_only_the_months_with_cpi_at_3_percent_or_more():
    # Jiangsu's CPI is in force from its publication day (living/price.yaml): December 2019's 4.7 % from
    # 2020-01-09 until January's figure is missing (2020-02-20). Of 2020's first half only February's 1st sees
    # a figure of 3 % or more: one month at the illustrative 50 yuan.
    picks = rounds.price_subsidy([("extreme_hardship", "320102")], dt.date(2020, 1, 1), dt.date(2020, 6, 30), P)
    assert picks[0].amount == Decimal("50.00") and "2020年2月(4.7%)" in picks[0].reason
    # July 2019's 2.9 % is below the line, and from 2019-09-20 to 2019-11-08 no figure is in force.
    none = rounds.price_subsidy([("extreme_hardship", "320102")], dt.date(2019, 7, 1), dt.date(2019, 11, 30), P)
    assert none[0].amount is None and "第19条" in none[0].reason
    # October 2019's 4.1 %, published 2019-11-09, is in force on December's 1st: one month.
    december = rounds.price_subsidy([("extreme_hardship", "320102")], dt.date(2019, 7, 1), dt.date(2019, 12, 31), P)
    assert december[0].amount == Decimal("50.00") and "2019年12月(4.1%)" in december[0].reason


def test_living_subsidy_by_household_size_capped():
    picks = rounds.living_subsidy([("hardship", "320102", 3), ("hardship", "320102", 7)],
                                  dt.date(2026, 1, 1), dt.date(2026, 3, 31), P)
    assert picks[0].amount == Decimal("900.00") and picks[1].amount == Decimal("1200.00")


def test_education_aid_sums_the_engines_education_benefits():
    answer = {"benefits": [{"code": "education.compulsory_living_subsidy", "article": 14, "title": "义务教育生活补助",
                            "kind": "cash", "amount": 1000.0, "details": {}},
                           {"code": "living.free_electricity", "article": 18, "title": "免费用电", "kind": "subsidy",
                            "amount": 95.09, "details": {}}], "not_eligible": []}
    pick = rounds.education_aid([answer, {"benefits": [], "not_eligible": []}])
    assert pick[0].amount == Decimal("1000.00") and "第14条" in pick[0].reason
    assert pick[1].amount is None


def test_months_of_a_period_cross_the_year():
    assert rounds.months_of(dt.date(2025, 11, 15), dt.date(2026, 2, 1)) == [
        dt.date(2025, 11, 1), dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1)]
