"""Settlement scenarios (scenarios.yaml), each with the ordinary insured person's figure beside it."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from bangfu.policy.settlement import LAYERS, settle

CASES = yaml.safe_load((Path(__file__).parent / "scenarios.yaml").read_text(encoding="utf-8"))
ARTICLES = {"medical.basic_insurance": None, "medical.critical_illness_insurance": 7, "medical.mutual_aid": 11,
            "medical.expense_assistance": 8, "medical.emergency_relief": 10}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def check_invariants(answer: dict) -> None:
    """What the spec says of every answer, whatever the bill."""
    assert [layer["code"] for layer in answer["layers"]] == list(LAYERS)
    for layer in answer["layers"]:
        assert layer["article"] == ARTICLES[layer["code"]]
        assert isinstance(layer["amount"], Decimal) and layer["amount"] >= 0
        assert layer["amount"] == layer["amount"].quantize(Decimal("0.01"))
        assert CHINESE.search(layer["explanation"]) and layer["explanation"].endswith("。")
        if layer["article"] is not None:
            assert f"第{layer['article']}条" in layer["explanation"]
        assert layer["details"].get("illustrative", ["x"]) != []
    schemes = sum(layer["amount"] for layer in answer["layers"])
    assert answer["paid_by_schemes"] == schemes
    assert answer["out_of_pocket"] == max(Decimal(0), answer["total"] - schemes)
    assert set(answer["year_to_date"]) == {"basic_paid", "critical_base", "critical_paid", "assistance_base",
                                           "assistance_paid", "mutual_aid_paid"}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_scenario(case):
    answer = settle(case["input"])
    check_invariants(answer)
    amounts = {layer["code"]: str(layer["amount"]) for layer in answer["layers"]}
    assert amounts == case["amounts"]
    assert str(answer["out_of_pocket"]) == case["out_of_pocket"]
    assert {k: str(v) for k, v in answer["year_to_date"].items()} == case["year_to_date"]
    by_code = {layer["code"]: layer for layer in answer["layers"]}
    for code in case.get("empty_details", []):
        assert by_code[code]["details"] == {}, code
    if "critical_threshold" in case:
        assert by_code["medical.critical_illness_insurance"]["details"]["threshold"] == case["critical_threshold"]
    if "assistance_threshold" in case:
        assert by_code["medical.expense_assistance"]["details"]["threshold"] == case["assistance_threshold"]
        assert "取消救助起付线" in by_code["medical.expense_assistance"]["explanation"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_ordinary_patient_beside(case):
    """The same bill of an ordinary insured person: no preference, never less to pay than the hardship member."""
    document = copy.deepcopy(case["input"])
    document.update(category="none", archived=False)
    ordinary = settle(document)
    check_invariants(ordinary)
    by_code = {layer["code"]: layer for layer in ordinary["layers"]}
    assert str(ordinary["out_of_pocket"]) == case["ordinary"]["out_of_pocket"]
    assert str(by_code["medical.critical_illness_insurance"]["amount"]) == case["ordinary"]["critical"]
    assert by_code["medical.expense_assistance"]["amount"] == 0
    assert by_code["medical.expense_assistance"]["details"] == {}
    if document["member"]["scheme"] == "resident":
        assert by_code["medical.critical_illness_insurance"]["details"]["bonus_points"] == 0
    assert Decimal(case["out_of_pocket"]) <= ordinary["out_of_pocket"]


def test_illustrative_figures_are_named_and_local_ones_are_not():
    case = CASES[-1]["input"]
    answer = settle(case)
    basic = answer["layers"][0]["details"]
    assert set(basic["illustrative"]) == {"threshold", "ratio", "cap"}
    answer = settle({**case, "local": {"basic": {"threshold": 1000, "ratio": 0.65, "cap": 250000}}})
    assert "illustrative" not in answer["layers"][0]["details"]
    assert answer["layers"][0]["amount"] == Decimal("38350.00")


def test_a_null_cap_given_locally_means_no_cap():
    case = copy.deepcopy(CASES[2]["input"])
    case["local"] = {**case["local"], "assistance": {**case["local"]["assistance"], "cap": None}}
    by_code = {x["code"]: x for x in settle(case)["layers"]}
    assert by_code["medical.expense_assistance"]["amount"] == Decimal("630.00")
    assert by_code["medical.expense_assistance"]["details"]["cap"] is None


def test_one_ratio_for_assistance_is_one_open_segment():
    case = copy.deepcopy(CASES[1]["input"])  # 特困, B = 4600 from 0
    case["local"] = {**case["local"], "assistance": {"ratio": 0.9}}
    by_code = {x["code"]: x for x in settle(case)["layers"]}
    assert by_code["medical.expense_assistance"]["details"]["segments"] == [{"to": None, "ratio": 0.9}]
    assert by_code["medical.expense_assistance"]["amount"] == Decimal("4140.00")  # 4600 × 0.9
