"""Explanations a family understands (issue 9): later figures name their document, plain units, illustrative
figures said in the text, refusals citing their article, where to apply, the CPI's true reason."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

from bangfu.policy import assess
from bangfu.policy.departments import DEPARTMENTS, department_for, where_to_apply
from bangfu.policy.rules import RULES

EXAMPLE = json.loads(Path(__file__).parents[3].joinpath("shared/spec/examples/extreme-family.json").read_text())


def _doc(**changes) -> dict:
    doc = copy.deepcopy(EXAMPLE)
    doc.update(changes)
    return doc


def _text(answer: dict, code: str, member: str | None = None) -> str:
    return next(b["explanation"] for b in answer["benefits"] if b["code"] == code and b["member"] == member)


def _reason(answer: dict, code: str, member: str | None = None) -> str:
    return next(n["reason"] for n in answer["not_eligible"] if n["code"] == code and n["member"] == member)


def test_a_later_figure_names_its_document_and_the_notice_figure_does_not() -> None:
    later = assess(_doc(as_of="2025-06-01"))
    assert _text(later, "education.university_grant", "c2").startswith("按财教〔2024〕181号,")
    assert "3700元" in _text(later, "education.university_grant", "c2")
    assert "财教〔2024〕181号" in _text(later, "education.inspirational_scholarship", "c2")
    assert "医保发〔2024〕19号" in _text(later, "medical.resident_insurance_subsidy", "f")
    early = assess(_doc(as_of="2019-06-01"))
    assert not _text(early, "education.university_grant", "c2").startswith("按")


def test_the_scholarship_is_applied_for_not_promised() -> None:
    text = _text(assess(_doc()), "education.inspirational_scholarship", "c2")
    assert "可以申请" in text and "评审" in text


def test_shares_read_as_percentages_and_large_sums_in_wan() -> None:
    doc = _doc(category="hardship", as_of="2025-06-01")
    doc["members"][0]["business"] = {"kind": "individual", "registered_on": "2025-01-01", "premises": "own"}
    hardship = assess(doc)
    assert "补贴50%" in _text(hardship, "medical.resident_insurance_subsidy", "f")
    assert "降低50%" in _text(hardship, "medical.critical_illness_preference", "f")
    assert "倍计" not in _text(hardship, "medical.critical_illness_preference", "f")
    loan = _text(hardship, "entrepreneurship.guaranteed_loan", "f")
    assert "最高50万元" in loan and "雇用人数" in loan and "500000" not in loan


def test_an_illustrative_figure_is_said_to_be_one_in_the_text() -> None:
    answer = assess(_doc())
    electricity = next(b for b in answer["benefits"] if b["code"] == "living.free_electricity")
    assert electricity["details"]["illustrative"] == ["price"]
    assert "电价是示例数" in electricity["explanation"]
    confirmed = _text(assess(_doc(as_of="2025-06-01")), "education.university_grant", "c2")
    assert "示例" not in confirmed


def test_every_refusal_cites_its_article() -> None:
    for day in ("2019-06-01", "2026-12-01"):
        answer = assess(_doc(as_of=day))
        for refusal in answer["not_eligible"]:
            assert refusal["reason"].endswith(f"(第{refusal['article']}条)"), refusal
    outside = assess(_doc(archived=False))
    assert outside["not_eligible"][0]["reason"].endswith("(第2条)")


def test_every_benefit_says_where_to_apply() -> None:
    answer = assess(_doc())
    for benefit in answer["benefits"]:
        assert benefit["explanation"].endswith(where_to_apply(benefit["code"], benefit["kind"])), benefit
    assert _text(answer, "education.compulsory_living_subsidy", "c1").endswith("可向当地教育部门申请。")
    assert _text(answer, "medical.mutual_aid", "f").endswith("可向当地工会申请。")


def test_every_rule_has_a_known_department() -> None:
    for rule in RULES:
        assert department_for(rule.code) in DEPARTMENTS


def test_the_cpi_refusal_says_which_month_is_missing() -> None:
    doc = _doc(as_of="2026-12-01")
    doc.pop("cpi_yoy_percent", None)
    reason = _reason(assess(doc), "living.price_subsidy")
    assert "2023年11月起" in reason and "没有录入" in reason and "(第19条)" in reason
    doc["as_of"] = "2020-01-08"
    assert "2019年11月的" in _reason(assess(doc), "living.price_subsidy")


def test_a_low_cpi_refusal_gives_the_figure() -> None:
    doc = _doc(as_of="2019-03-09")
    doc.pop("cpi_yoy_percent", None)
    assert re.search(r"涨幅1\.8%,低于3%", _reason(assess(doc), "living.price_subsidy"))


def test_the_cpi_explanation_names_the_month_and_its_publisher() -> None:
    doc = _doc(as_of="2020-01-09")
    doc.pop("cpi_yoy_percent", None)
    text = _text(assess(doc), "living.price_subsidy")
    assert "江苏省2019年12月居民消费价格同比上涨4.7%" in text and "江苏调查总队" in text


def test_no_zero_yuan_guarantee_row() -> None:
    answer = assess(_doc(monthly_income=100000, members=[EXAMPLE["members"][0] | {"work_ability": "none"}]))
    assert all(b["amount"] is None or b["amount"] > 0 for b in answer["benefits"])
    assert "不低于当地低保标准" in _reason(answer, "living.minimum_living_guarantee")


def test_family_lines_say_a_benefit_once_for_the_members_it_reads_the_same_for() -> None:
    from decimal import Decimal

    from bangfu.policy.explain import family_lines

    answer = assess(_doc(as_of="2025-06-01"))
    lines = family_lines(answer["benefits"])
    emergency = [line for line in lines if line["code"] == "medical.emergency_relief"]
    assert len(emergency) == 1 and emergency[0]["members"] == ["f", "w", "c1", "c2"]
    insurance = next(line for line in lines if line["code"] == "medical.resident_insurance_subsidy")
    assert insurance["members"] == ["f", "w"] and insurance["amount"] == Decimal("800.00")
    assert insurance["amount_each"] == Decimal("400.00")
    household = next(line for line in lines if line["code"] == "legal.legal_aid")
    assert household["members"] == []
    assert len(lines) < len(answer["benefits"])


def test_family_lines_leave_out_zero_yuan_entries() -> None:
    from decimal import Decimal

    from bangfu.policy.explain import family_lines

    entry = {"code": "living.cable_tv", "article": 18, "member": None, "title": "t", "kind": "subsidy",
             "amount": Decimal("0.00"), "details": {}, "explanation": "x"}
    assert family_lines([entry]) == []
    assert len(family_lines([entry | {"amount": None}])) == 1
