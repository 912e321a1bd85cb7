"""The rules of 苏政办发[2019]2号, one module per chapter, registered in the order of the spec's table."""

from bangfu.policy.rules import education, employment, legal, living, medical, sync  # noqa: F401
from bangfu.policy.rules.base import REGISTRY, Choice, Ctx, Outcome, Rule

# The order of the spec's table of benefit codes: answers list benefits in this order.
ORDER = (
    "living.minimum_living_guarantee",
    "employment.public_welfare_job",
    "entrepreneurship.startup_subsidies",
    "entrepreneurship.guaranteed_loan",
    "entrepreneurship.tax_relief",
    "entrepreneurship.rent_subsidy",
    "medical.resident_insurance_subsidy",
    "medical.critical_illness_preference",
    "medical.expense_assistance",
    "medical.pay_after_treatment",
    "medical.emergency_relief",
    "medical.mutual_aid",
    "education.preschool_aid",
    "education.compulsory_living_subsidy",
    "education.high_school_grant",
    "education.vocational_grant",
    "education.university_grant",
    "education.inspirational_scholarship",
    "living.free_electricity",
    "living.utility_relief",
    "living.cable_tv",
    "living.price_subsidy",
    "living.dibao_equivalent_benefits",
    "living.pension_contribution",
    "housing.public_rental_priority",
    "housing.provident_fund",
    "living.union_living_subsidy",
    "legal.legal_aid",
    "living.dibao_policies",
    "living.dibao_special_hardship_aid",
)
assert set(ORDER) == set(REGISTRY), set(ORDER) ^ set(REGISTRY)
RULES: tuple[Rule, ...] = tuple(REGISTRY[code] for code in ORDER)
# The codes whose answer depends on the household's income (a rule's own `income_tested`).
INCOME_TESTED: frozenset[str] = frozenset(r.code for r in RULES if r.income_tested)

__all__ = ["RULES", "ORDER", "INCOME_TESTED", "Choice", "Ctx", "Outcome", "Rule"]
