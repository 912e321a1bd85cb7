"""The self-check's answer: the engine's, with the system's figures, for a hypothetical verified household."""

from __future__ import annotations

import datetime
from decimal import Decimal

import numpy as np

from bangfu.policy.departments import where_to_apply
from bangfu.policy.rules import income
from bangfu.registry import choices as c
from bangfu.registry.income import lines_on

KIND_LABELS = {"cash": "现金补助", "subsidy": "费用减免或补贴", "priority": "优先安排", "service": "服务",
               "eligibility": "可以申请"}
CATEGORIES = {income.EXTREME: c.Category.EXTREME_HARDSHIP, income.HARDSHIP: c.Category.HARDSHIP,
              income.NONE: c.Category.NONE}


def suggested_category(*, region: str, as_of: datetime.date, monthly_income: Decimal, size: int) -> dict:
    """{category, reason}: the category the family's income suggests against the local lines (Article 26), by the
    engine's income rule; without a local 低保 standard the family is taken as 困难 and told so."""
    lines = lines_on(as_of, region)
    if lines.extreme is None or lines.hardship is None:
        return {"category": c.Category.HARDSHIP, "known": False,
                "reason": "系统中暂无当地城市低保标准,按困难职工家庭估计。"}
    # The per-capita income in fen, rounded once half-up as identification rounds it (`income_summary`)
    per_capita = income.divide_half_up(np.array([income.fen(monthly_income)]), np.array([size]))
    code = int(income.category_by_income(per_capita, np.array([True]), np.array([lines.extreme]),
                                         np.array([lines.hardship]))[0])
    category = CATEGORIES[code]
    per = income.yuan(per_capita[0])
    dibao = lines.yuan("dibao")
    reason = {c.Category.EXTREME_HARDSHIP: f"家庭人均月收入约{per}元,低于当地特困认定线{income.yuan(lines.extreme)}元",
              c.Category.HARDSHIP: f"家庭人均月收入约{per}元,低于当地困难认定线{income.yuan(lines.hardship)}元",
              c.Category.NONE: f"家庭人均月收入约{per}元,不低于当地困难认定线{income.yuan(lines.hardship)}元"}[category]
    return {"category": category, "known": True, "reason": f"{reason}(当地城市低保标准{dibao}元/人·月)。"}


def readable(answer: dict, members: dict[str, str]) -> list[dict]:
    """The answer's benefits in plain words for the family: who, what, how much, which article, where to apply."""
    rows = []
    for benefit in answer["benefits"]:
        details = benefit.get("details") or {}
        rows.append({
            "code": benefit["code"], "title": benefit["title"], "article": benefit["article"],
            "kind": KIND_LABELS.get(benefit["kind"], benefit["kind"]), "amount": benefit.get("amount"),
            "who": members.get(benefit["member"], "全家") if benefit.get("member") else "全家",
            "explanation": benefit["explanation"], "estimate": bool(details.get("illustrative")),
            "where": where_to_apply(benefit["code"], benefit["kind"]),
        })
    return rows
