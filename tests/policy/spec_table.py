"""The benefit table of spec/assessment.md, as the tests read it: code -> (article, kind, scope), in spec order."""

from __future__ import annotations

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

# Chapter of each YAML file: which code prefixes its cases are about (household.yaml may use any).
CHAPTERS: dict[str, tuple[str, ...]] = {
    "employment": ("employment.", "entrepreneurship."),
    "medical": ("medical.",),
    "education": ("education.",),
    "living": ("living.", "housing."),
    "legal": ("legal.",),
    "sync": ("living.dibao_policies", "living.dibao_special_hardship_aid"),
}
