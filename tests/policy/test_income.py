"""The income rule (bangfu.policy.rules.income): YAML scenarios written from its text, and its arithmetic."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from bangfu.policy.rules import income

SCENARIOS = Path(__file__).parent / "income"
NAMES = {income.EXTREME: "extreme_hardship", income.HARDSHIP: "hardship", income.NONE: "none",
         income.UNKNOWN: "unknown"}


def _month(key) -> datetime.date:
    text = key if isinstance(key, str) else f"{key:%Y-%m}"
    return datetime.date.fromisoformat(f"{text}-01")


def _load() -> list:
    cases = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append(pytest.param(case, id=case["name"]))
    return cases


def _batch(case: dict):
    rows = []
    for i, household in enumerate(case["households"]):
        for month, amounts in (household.get("incomes") or {}).items():
            for amount in amounts if isinstance(amounts, list) else [amounts]:
                rows.append((i, _month(month), Decimal(amount)))
    members = np.array([h["members"] for h in case["households"]])
    rigid = np.array([income.fen(h.get("rigid", "0")) for h in case["households"]])
    return income.Incomes.from_rows(rows), members, rigid


@pytest.mark.parametrize("case", _load())
def test_scenario(case):
    incomes, members, rigid = _batch(case)
    as_of = case["as_of"] if isinstance(case["as_of"], datetime.date) else datetime.date.fromisoformat(case["as_of"])
    summary = income.income_summary(incomes, members, as_of, rigid=rigid)
    dibao = income.fen(case.get("dibao", "900"))
    factors = case.get("factors", {"extreme": 1, "hardship": 2})
    extreme, hardship = income.line(dibao, factors["extreme"]), income.line(dibao, factors["hardship"])
    category = income.category_by_income(summary.per_capita, summary.known, extreme, hardship)
    own = np.array([income.CATEGORY_CODES[h.get("category", "hardship")] for h in case["households"]])
    review = income.months_against_line(incomes, members, as_of, case["months"],
                                        income.own_line(own, extreme, hardship), rigid=rigid)
    for i, expected in enumerate(case["expect"]):
        got = {"months_recorded": int(summary.months_recorded[i]), "monthly": str(income.yuan(summary.monthly[i])),
               "annual": str(income.yuan(summary.annual[i])), "per_capita": str(income.yuan(summary.per_capita[i])),
               "known": bool(summary.known[i]), "category": NAMES[int(category[i])],
               "exit": bool(review.exit_due[i]), "months_above": int(review.at_or_above[i].sum())}
        assert {k: got[k] for k in expected} == expected, f"household {i}"


def test_a_batch_gives_each_household_what_it_gets_alone():
    rows = [(0, datetime.date(2025, 3, 1), Decimal("1475")), (1, datetime.date(2025, 2, 1), Decimal("333.33")),
            (0, datetime.date(2025, 1, 1), Decimal("1183")), (1, datetime.date(2025, 2, 1), Decimal("0.01"))]
    both = income.income_summary(income.Incomes.from_rows(rows), np.array([1, 3]), datetime.date(2025, 4, 1))
    for i in (0, 1):
        alone = income.income_summary(income.Incomes.from_rows([(0, m, a) for h, m, a in rows if h == i]),
                                      np.array([[1, 3][i]]), datetime.date(2025, 4, 1))
        assert (both.per_capita[i], both.annual[i]) == (alone.per_capita[0], alone.annual[0])


@given(st.integers(-10**12, 10**12), st.integers(1, 10**6))
def test_division_rounds_half_away_from_zero_like_decimal(numerator, denominator):
    expected = (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(1), rounding="ROUND_HALF_UP")
    assert income.divide_half_up(np.array([numerator]), np.array([denominator]))[0] == int(expected)


def test_the_window_crosses_the_year():
    months = income.window(datetime.date(2025, 2, 28), 3)
    assert [str(m) for m in months] == ["2024-11", "2024-12", "2025-01"]


@given(st.lists(st.tuples(st.integers(0, 11), st.decimals("0", "99999.99", places=2)), max_size=30),
       st.integers(1, 8), st.decimals("0", "50000", places=2))
def test_the_figures_equal_decimal_arithmetic_rounded_once(records, members, rigid):
    """An oracle in Decimal, from the rule's text: sums of the records, one division, half-up to the fen."""
    as_of = datetime.date(2025, 1, 15)
    months = [datetime.date(2024, 1 + m, 1) for m in range(12)]
    rows = [(0, months[m], amount) for m, amount in records]
    summary = income.income_summary(income.Incomes.from_rows(rows), np.array([members]), as_of,
                                    rigid=np.array([income.fen(rigid)]))
    k = len({m for m, _ in records})
    total = sum((a for _, a in records), Decimal(0))
    assert summary.months_recorded[0] == k
    if not k:
        assert not summary.known[0]
        return
    cent = Decimal("0.01")
    assert income.yuan(summary.annual[0]) == (total * 12 / k).quantize(cent, rounding="ROUND_HALF_UP")
    exact = (total * 12 / k - rigid) / 12 / members
    assert income.yuan(summary.per_capita[0]) == exact.quantize(cent, rounding="ROUND_HALF_UP")
