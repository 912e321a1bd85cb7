"""Which rules read the household's income (`Rule.income_tested`): pages hold their answers back when a file has no
income records (issue 17, item 3). The flag is checked against the engine's answers, not trusted."""

from __future__ import annotations

from bangfu.policy import assess
from bangfu.policy.rules import INCOME_TESTED, RULES


def _document(monthly_income: float, *, work_ability: str = "none", category: str = "extreme_hardship") -> dict:
    return {
        "as_of": "2026-11-16", "region": "320102", "category": category, "archived": True,
        "monthly_income": monthly_income, "hardship_causes": ["illness"],
        "members": [
            {"id": "w", "relation": "self", "sex": "male", "birth_date": "1970-03-01", "work_ability": work_ability,
             "employment": "registered_unemployed", "resident_medical_insurance": True,
             "resident_pension_insurance": True, "disability_grade": 2,
             "business": {"kind": "individual", "registered_on": "2025-01-01", "premises": "rented"}},
            {"id": "s", "relation": "spouse", "sex": "female", "birth_date": "1972-05-01", "work_ability": work_ability},
            {"id": "c", "relation": "child", "sex": "male", "birth_date": "2014-09-01", "employment": "student",
             "school": {"stage": "primary", "year": 4, "institution": "public"}},
        ],
    }


def _entries(answer: dict) -> dict[tuple, object]:
    found = {(b["code"], b["member"]): (b["amount"], b["explanation"]) for b in answer["benefits"]}
    found.update({(r["code"], r["member"]): r["reason"] for r in answer["not_eligible"]})
    return found


def test_the_income_tested_rules_are_those_whose_answer_moves_with_income() -> None:
    assert {"living.minimum_living_guarantee"} == INCOME_TESTED
    assert [r.code for r in RULES if r.income_tested] == ["living.minimum_living_guarantee"]
    for work_ability in ("none", "full"):
        for category in ("extreme_hardship", "hardship"):
            without = _entries(assess(_document(0, work_ability=work_ability, category=category)))
            rich = _entries(assess(_document(99999, work_ability=work_ability, category=category)))
            moved = {code for (code, _), value in without.items() if rich.get((code, _)) != value}
            moved |= {code for (code, _) in rich if (code, _) not in without}
            assert moved <= INCOME_TESTED, moved
    # and the flag is no formality: with no able member, the guarantee is a figure from income
    poor, rich = (_entries(assess(_document(x))) for x in (0, 99999))
    assert poor[("living.minimum_living_guarantee", None)] != rich[("living.minimum_living_guarantee", None)]
