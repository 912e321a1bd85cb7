"""The bridge to the policy engine: a household as the assessment format's input document, and its answer."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from bangfu.common.bounds import as_of_within
from bangfu.common.errors import ValidationFailed
from bangfu.policy import InputError, assess
from bangfu.policy.rules.income import income_summary, window, yuan

from .income import income_batch
from .models import Household, Member

INCOME_MONTHS = 12  # Article 26 精准识别: a year of income


@dataclass(frozen=True)
class HouseholdIncome:
    """A household's income by the engine's rule (`bangfu.policy.rules.income`), the one home of these figures for
    the file, its medical year and the engine's documents: Decimal yuan, each computed from the records in fen and
    rounded once, half-up to the fen (never a rounded figure multiplied or divided again)."""

    months_recorded: int  # months with records in the window (0: income unknown)
    monthly: Decimal  # the average over the months with records; 0.00 without records
    annual: Decimal  # the exact total × 12 ÷ months recorded (1475, 1183, 1292 → 15,800.00, not 1316.67 × 12)
    per_capita: Decimal | None  # monthly per member; None without records or members
    monthly_unrounded: float  # the average as the engine takes it (it rounds its own results once)

    @property
    def missing(self) -> bool:
        """No income record in the window: the document's `monthly_income` is the spec's default 0, not a fact."""
        return not self.months_recorded


def income_missing_text(as_of: datetime.date, months: int = INCOME_MONTHS) -> str:
    """What a page says of a household without income records in the window before `as_of`'s month."""
    first, last = (f"{m.astype(object):%Y年%m月}" for m in window(as_of, months)[[0, -1]])
    return f"{first}至{last}没有家庭收入记录:收入信息缺失"


def household_incomes(households: list[Household], as_of: datetime.date,
                      months: int = INCOME_MONTHS) -> list[HouseholdIncome]:
    """The incomes of many loaded households (incomes prefetched) over the `months` whole months before `as_of`'s
    month, in one batch of the income rule."""
    batch = income_batch(households, as_of, months)
    summary = income_summary(batch.incomes, batch.members, as_of, months=months)
    found = []
    for i in range(len(households)):
        recorded = int(summary.months_recorded[i])
        found.append(HouseholdIncome(recorded, yuan(summary.monthly[i]), yuan(summary.annual[i]),
                                     yuan(summary.per_capita[i]) if summary.known[i] else None,
                                     int(summary.total[i]) / recorded / 100 if recorded else 0.0))
    return found


def household_income(household: Household, as_of: datetime.date, months: int = INCOME_MONTHS) -> HouseholdIncome:
    """The household's income over the `months` whole months before `as_of`'s month."""
    return household_incomes([household], as_of, months)[0]


def monthly_income(household: Household, as_of: datetime.date) -> Decimal:
    """The engine's income rule: the average monthly total over the 12 whole months before `as_of`'s month
    that have records (0 when none; `bangfu.policy.rules.income`)."""
    return household_income(household, as_of).monthly


def school_document(member: Member) -> dict | None:
    if not member.school_stage:
        return None
    return {"stage": member.school_stage, "year": member.school_year,
            "institution": member.school_institution, "excellent": member.school_excellent}


def business_document(member: Member, as_of: datetime.date) -> dict | None:
    if not member.business_kind or member.business_registered_on is None or member.business_registered_on > as_of:
        return None
    return {"kind": member.business_kind, "registered_on": member.business_registered_on.isoformat(),
            "employees": member.business_employees, "first_time": member.business_first_time,
            "premises": member.business_premises or "none",
            "other_rent_subsidy": member.business_other_rent_subsidy}


def member_document(member: Member, as_of: datetime.date) -> dict:
    document = {
        "id": f"m{member.pk}", "relation": member.relation, "sex": member.sex,
        "birth_date": member.birth_date.isoformat(), "employment": member.employment,
        "work_ability": member.work_ability, "willing_to_work": member.willing_to_work,
        "disability_grade": member.disability_grade,
        "poverty_alleviation_target": member.poverty_alleviation_target,
        "resident_medical_insurance": member.resident_medical_insurance,
        "resident_pension_insurance": member.resident_pension_insurance,
        "serious_illness": member.serious_illness,
        "school": school_document(member), "business": business_document(member, as_of),
    }
    if member.retirement_group:
        document["retirement_group"] = member.retirement_group
    return document


def _active_members(household: Household) -> list[Member]:
    if hasattr(household, "active_members"):
        return household.active_members
    return list(household.members.filter(removed=False).order_by("position", "id"))


def household_to_assessment_document(household: Household, as_of: datetime.date, *,
                                     income: HouseholdIncome | None = None) -> dict:
    """The spec's input document for this household on `as_of` (members not yet born on that day left out;
    `income`: its `household_income` on `as_of`, when the caller has it already)."""
    as_of_within(as_of)
    income = income or household_income(household, as_of)
    return {
        "as_of": as_of.isoformat(),
        "region": household.region_code,
        "category": household.verified_category,
        "archived": household.archived,
        "dibao": household.dibao,
        "dibao_edge": household.dibao_edge,
        # Not rounded: the engine's amounts from it (Article 2's shortfall × 12) are rounded once, at the end.
        "monthly_income": income.monthly_unrounded,
        "hardship_causes": list(household.hardship_causes),
        "members": [member_document(m, as_of) for m in _active_members(household) if m.birth_date <= as_of],
    }


def household_entitlements(household: Household, as_of: datetime.date, *, preview: bool = False,
                           overrides: dict | None = None, income: HouseholdIncome | None = None) -> dict:
    """What the engine says the household and each member are entitled to on `as_of` (the spec's output).

    `preview`: a file not yet verified, assessed as if its proposed category had been verified. Either way the
    figures are the system's (`effective_parameters`), as for the assessment API and the command line with
    an exported bundle. `overrides` replace fields of the document (a what-if: the same household as if not
    on 低保, say). Without income records the document's `monthly_income` is 0 (the spec's default): the answers of
    the rules in `bangfu.policy.rules.INCOME_TESTED` are then no facts (`HouseholdIncome.missing`)."""
    from bangfu.standards.selectors import effective_parameters

    document = household_to_assessment_document(household, as_of, income=income)
    if preview:
        document.update(category=household.proposed_category, archived=True)
    document.update(overrides or {})
    try:
        return assess(document, parameters=effective_parameters())
    except InputError as exc:
        # A file still being entered (no worker yet, say) is not a valid assessment input.
        raise ValidationFailed(f"档案信息不完整,无法测算:{exc.path}: {exc.message}") from exc
