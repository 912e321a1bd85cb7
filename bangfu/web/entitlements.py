"""The engine's answer for a household file, arranged for the page: benefits, refusals, total, by member."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from bangfu.cases.workflow import ARCHIVED_STATES, INACTIVE_STATES
from bangfu.common.errors import ValidationFailed
from bangfu.policy.explain import PAID, family_lines
from bangfu.policy.rules import INCOME_TESTED
from bangfu.registry import choices as c
from bangfu.registry.assessment import (
    HouseholdIncome,
    household_entitlements,
    household_income,
    income_missing_text,
)
from bangfu.registry.models import Household

KIND_LABELS = {"cash": "现金", "subsidy": "补贴减免", "priority": "优先", "service": "服务", "eligibility": "可申请"}
EXTRA_TITLES = {"household.eligibility": "困难职工家庭资格"}


def _titles() -> dict[str, str]:
    from bangfu.policy.rules import RULES

    return {**{r.code: r.title for r in RULES}, **EXTRA_TITLES}


@dataclass
class Entitlements:
    as_of: datetime.date
    preview: bool = False  # assessed as if the proposed category had been verified
    benefits: list[dict] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)
    total_cash: object = None
    error: str = ""
    # Without income records: what the page says instead, and the income-tested benefits held back (their
    # figures would come from the spec's default income 0, not from the household).
    income_missing: str = ""
    pending: list[dict] = field(default_factory=list)


def is_preview(household: Household) -> bool:
    """A file not yet verified with a proposed category is shown as a preview under that category."""
    preview = household.status not in ARCHIVED_STATES and household.status not in INACTIVE_STATES
    return preview and household.proposed_category != c.Category.NONE


def page_answer(household: Household, as_of: datetime.date, income: HouseholdIncome | None = None) -> dict:
    """The engine's answer the household page shows (its preview for a file not yet verified)."""
    return household_entitlements(household, as_of, preview=is_preview(household), income=income)


def _who(members: list[str], names: dict[str, str]) -> str:
    """Whom a line is for: 全户 (the household), 全家N人 when it is every member, else their names."""
    if not members:
        return "全户"
    if len(members) > 1 and len(members) == len(names) and set(members) == set(names):
        return f"全家{len(members)}人"
    return "、".join(names.get(m, m) for m in members)


def entitlements_for(household: Household, as_of: datetime.date) -> Entitlements:
    """What the engine says today; for a file not yet verified, a preview under the proposed category.

    A file with no income records (`HouseholdIncome.missing`) says so, and the benefits of income-tested rules
    (`bangfu.policy.rules.INCOME_TESTED`) go to `pending`, without figures and outside the total: the engine
    assessed them with the spec's default income 0. (Refusals stand: 0 is the most favourable income.)"""
    result = Entitlements(as_of=as_of, preview=is_preview(household))
    try:
        income = household_income(household, as_of)
        answer = page_answer(household, as_of, income)
    except ValidationFailed as exc:
        result.error = exc.message
        return result
    if income.missing:
        result.income_missing = income_missing_text(as_of)
    held_back = INCOME_TESTED if income.missing else frozenset()
    names = {f"m{m.pk}": m.name for m in getattr(household, "active_members", [])}
    titles = _titles()
    for line in family_lines(answer["benefits"]):
        row = {**line, "member_name": _who(line["members"], names),
               "kind_label": KIND_LABELS.get(line["kind"], line["kind"]),
               "illustrative": bool(line.get("details", {}).get("illustrative"))}
        (result.pending if line["code"] in held_back else result.benefits).append(row)
    for entry in answer["not_eligible"]:
        result.refused.append({**entry, "member_name": names.get(entry["member"], "全户"),
                               "title": titles.get(entry["code"], entry["code"])})
    result.total_cash = answer["total_cash"] - sum(
        (b["amount"] for b in result.pending if b["kind"] in PAID and b["amount"] is not None), 0)
    return result
