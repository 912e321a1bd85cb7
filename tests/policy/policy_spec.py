"""The benefit table of spec/assessment.md, as the tests read it: code -> (article, kind, scope), in spec order."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

# scope: "household" (member null) or "member" (a member id). Order is the order benefits must be listed in.
BENEFITS: dict[str, tuple[int, str, str]] = {
    "living.minimum_living_guarantee": (2, "eligibility", "household"),
    "employment.public_welfare_job": (3, "priority", "member"),
    "entrepreneurship.startup_subsidies": (4, "eligibility", "member"),
    "entrepreneurship.guaranteed_loan": (4, "eligibility", "member"),
    "entrepreneurship.tax_relief": (4, "eligibility", "member"),
    "entrepreneurship.rent_subsidy": (5, "subsidy", "member"),
    "medical.resident_insurance_subsidy": (6, "subsidy", "member"),
    "medical.critical_illness_preference": (7, "subsidy", "member"),
    "medical.expense_assistance": (8, "subsidy", "member"),
    "medical.pay_after_treatment": (9, "service", "member"),
    "medical.emergency_relief": (10, "eligibility", "member"),
    "medical.mutual_aid": (11, "eligibility", "member"),
    "education.preschool_aid": (13, "cash", "member"),
    "education.compulsory_living_subsidy": (14, "cash", "member"),
    "education.high_school_grant": (15, "cash", "member"),
    "education.vocational_grant": (16, "cash", "member"),
    "education.university_grant": (17, "cash", "member"),
    "education.inspirational_scholarship": (17, "cash", "member"),
    "living.free_electricity": (18, "subsidy", "household"),
    "living.utility_relief": (18, "subsidy", "household"),
    "living.cable_tv": (18, "subsidy", "household"),
    "living.price_subsidy": (19, "eligibility", "household"),
    "living.dibao_equivalent_benefits": (19, "eligibility", "household"),
    "living.pension_contribution": (20, "subsidy", "member"),
    "housing.public_rental_priority": (21, "priority", "household"),
    "housing.provident_fund": (21, "eligibility", "household"),
    "living.union_living_subsidy": (22, "cash", "household"),
    "legal.legal_aid": (23, "service", "household"),
    "living.dibao_policies": (24, "eligibility", "household"),
    "living.dibao_special_hardship_aid": (24, "eligibility", "household"),
}

ORDER = {code: i for i, code in enumerate(BENEFITS)}
# The details keys the table says each answer has at least.
DETAILS: dict[str, set[str]] = {
    "living.minimum_living_guarantee": {"dibao_standard", "household_size", "monthly_gap"},
    "entrepreneurship.guaranteed_loan": {"max_loan", "max_term_years"},
    "entrepreneurship.rent_subsidy": {"max_years"},
    "medical.resident_insurance_subsidy": {"contribution", "share"},
    "medical.critical_illness_preference": {"threshold_factor", "ratio_bonus_points_min", "ratio_bonus_points_max"},
    "medical.expense_assistance": {"threshold"},
    "education.compulsory_living_subsidy": {"yuan_per_day", "days"},
    "education.high_school_grant": {"min", "max"},
    "living.free_electricity": {"kwh_per_month", "price"},
    "living.cable_tv": {"installation_fee_factor", "monthly_fee"},
    "living.price_subsidy": {"cpi_yoy_percent"},
    "housing.provident_fund": {"loan_interest_subsidy", "withdrawal_for_illness_or_emergency"},
    "legal.legal_aid": {"legal_aid_fee", "appraisal_fee", "notary_fee"},
}
HAN = re.compile(r"[\u4e00-\u9fff]")
NOTICE = datetime.date(2019, 1, 10)

# Chapter of each YAML file: which code prefixes its cases are about (household.yaml may use any).
CHAPTERS: dict[str, tuple[str, ...]] = {
    "employment": ("employment.", "entrepreneurship."),
    "medical": ("medical.",),
    "education": ("education.",),
    "living": ("living.", "housing."),
    "legal": ("legal.",),
    "sync": ("living.dibao_policies", "living.dibao_special_hardship_aid"),
}


def check_invariants(doc: dict, answer: dict) -> None:
    """What the spec says of every answer, whatever the household."""
    member_ids = [m["id"] for m in doc["members"]]
    member_pos = {mid: i for i, mid in enumerate(member_ids)}
    assert str(answer["as_of"]) == doc["as_of"]
    assert answer["region"] == doc["region"]
    assert answer["category"] == doc["category"]
    seen = set()
    for b in answer["benefits"]:
        code, member = b["code"], b["member"]
        where = f"benefit {code}/{member}"
        assert code in BENEFITS, f"{where}: not a code of the spec"
        article, kind, scope = BENEFITS[code]
        assert b["article"] == article, f"{where}: article {b['article']}, the spec says {article}"
        assert b["kind"] == kind, f"{where}: kind {b['kind']}, the spec says {kind}"
        if scope == "household":
            assert member is None, f"{where}: a household benefit has member null"
        else:
            assert member in member_pos, f"{where}: member is not an id of the input"
        assert (code, member) not in seen, f"{where}: listed twice"
        seen.add((code, member))
        assert isinstance(b["explanation"], str) and HAN.search(b["explanation"]), f"{where}: explanation"
        assert not re.search(r"None|nan|\{", b["explanation"]), f"{where}: a figure missing in {b['explanation']!r}"
        assert isinstance(b.get("title"), str) and b["title"], f"{where}: title"
        amount = b["amount"]
        if amount is not None:
            assert isinstance(amount, Decimal), f"{where}: amount {amount!r} is not a Decimal"
            assert amount.as_tuple().exponent == -2, f"{where}: amount {amount!r} has not two places"
        details = b["details"]
        assert isinstance(details, dict), f"{where}: details"
        assert DETAILS.get(code, set()) <= set(details), f"{where}: details lack {DETAILS[code] - set(details)}"
        assert set(details.get("illustrative", [])) <= set(details), f"{where}: illustrative names no detail"
    keys = [(ORDER[b["code"]], -1 if b["member"] is None else member_pos[b["member"]]) for b in answer["benefits"]]
    assert keys == sorted(keys), "benefits are not in the spec table's order, then member order"
    for n in answer["not_eligible"]:
        code, member = n["code"], n["member"]
        where = f"not_eligible {code}/{member}"
        if code == "household.eligibility":
            assert n["article"] == 2 and member is None, where
        else:
            assert code in BENEFITS, f"{where}: not a code of the spec"
            assert n["article"] == BENEFITS[code][0], f"{where}: article {n['article']}"
            assert (code, member) not in seen, f"{where}: also listed as a benefit"
        assert isinstance(n["reason"], str) and HAN.search(n["reason"]), f"{where}: reason in Chinese"
    _check_refusals(doc, answer)
    total = answer["total_cash"]
    assert isinstance(total, Decimal) and total.as_tuple().exponent == -2, f"total_cash {total!r}"
    paid = sum(
        (b["amount"] for b in answer["benefits"] if b["kind"] in ("cash", "subsidy") and b["amount"] is not None),
        Decimal("0.00"),
    )
    assert total == paid, f"total_cash {total} is not the sum of cash and subsidy amounts {paid}"


def _check_refusals(doc: dict, answer: dict) -> None:
    """The spec's not_eligible rules: the gate's single entry, else at least the codes it names."""
    listed = {(n["code"], n["member"]) for n in answer["not_eligible"]}
    granted = {(b["code"], b["member"]) for b in answer["benefits"]}
    as_of = datetime.date.fromisoformat(doc["as_of"])
    if not doc["archived"] or doc["category"] == "none" or as_of < NOTICE:
        assert answer["benefits"] == [], "a household outside the policy has no benefit"
        assert [(n["code"], n["member"], n["article"]) for n in answer["not_eligible"]] == [
            ("household.eligibility", None, 2)
        ], "a household outside the policy has one household.eligibility refusal"
        return
    assert ("household.eligibility", None) not in listed
    owed = [(code, None) for code, (_, _, scope) in BENEFITS.items() if scope == "household"]
    for m in doc["members"]:
        if m.get("school"):
            owed += [(code, m["id"]) for code in BENEFITS if code.startswith("education.")]
        if m.get("business"):
            owed += [(code, m["id"]) for code in BENEFITS if code.startswith("entrepreneurship.")]
        if m.get("employment") == "registered_unemployed":
            owed += [(code, m["id"]) for code in BENEFITS if code.startswith("employment.")]
    for key in owed:
        assert key in granted or key in listed, f"{key} is neither granted nor listed as not eligible"
