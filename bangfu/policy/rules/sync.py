"""Article 2's safety net and chapter 七, Article 24: linking the programme to 低保 and its standards."""

import numpy as np

from bangfu.policy import schema as s
from bangfu.policy.rules.base import Ctx, Outcome, rule


def _guarantee_explanation(r: dict) -> str:
    if r["dibao_standard"] is None:
        return "家里没有能靠就业摆脱困难的成员,应纳入社会救助,生活水平不低于当地城市低保标准(第2条)。"
    return (f"家里没有能靠就业摆脱困难的成员,应纳入社会救助,生活水平不低于当地低保标准:"
            f"当地低保标准每人每月{r['dibao_standard']}元,全家{r['household_size']}人,每月收入还差{r['monthly_gap']}元,"
            f"一年共{r['amount']}元(第2条)。")


@rule("living.minimum_living_guarantee", article=2, kind="eligibility", entity="household",
      title="纳入社会救助体系,生活水平不低于当地低保标准", explain=_guarantee_explanation,
      income_tested=True)
def minimum_living_guarantee(c: Ctx) -> Outcome:
    """Article 2: 难以自救脱困的困难职工家庭全部纳入社会救助体系,生活水平不低于当地城市低保标准。

    Version 2: a household on 低保 is already in the social assistance system, and no shortfall (0)
    means its living standard is not below the line.
    """
    p = c.pop
    able = c.working_age & ~c.in_school & (p.work_ability == s.WORK_ABILITIES.index("full"))
    has_able = c.any_member(able)
    standard = c.hparam("sync.dibao.standard")
    gap = np.maximum(0.0, standard.value * c.household_size - p.monthly_income)
    return Outcome([
        (~p.dibao, "已纳入城市低保,已在社会救助体系内(第2条)"),
        (~has_able, "家庭中有处于法定劳动年龄、有完全劳动能力且不在学的成员,可通过就业帮扶自救脱困(第2条)"),
        # NaN (no standard held) is not refused: the spec answers it with a null shortfall.
        (~(gap <= 0), "家庭月收入{monthly_income}元不低于当地低保标准{dibao_standard}元/人·月×{household_size}人,"
                      "生活水平已不低于当地低保标准(第2条)"),
    ], amount=gap * 12,
        details={"dibao_standard": standard.value, "household_size": c.household_size, "monthly_gap": gap},
        illustrative={"dibao_standard": standard.illustrative},
        facts={"monthly_income": p.monthly_income})


@rule("living.dibao_policies", article=24, kind="eligibility", entity="household",
      title="同时享受城市低保对象和低保边缘户的优惠政策",
      explain="特困职工家庭除享受本意见各项政策外,同时享受城市低保对象和低保边缘户的有关优惠政策(第24条)。")
def dibao_policies(c: Ctx) -> Outcome:
    """Article 24: 特困职工家庭…同时享受城市低保对象和低保边缘户的有关优惠政策。"""
    return Outcome([(c.extreme, "仅特困职工家庭享受")])


@rule("living.dibao_special_hardship_aid", article=24, kind="eligibility", entity="household",
      title="低保家庭因病、因学、因灾特殊困难帮扶",
      explain="纳入城市低保且存在因病、因学、因灾等特殊困难的职工家庭,工会根据有关规定给予帮扶救助(第24条)。")
def dibao_special_hardship_aid(c: Ctx) -> Outcome:
    """Article 24: 工会对纳入城市低保且存在因病、因学、因灾等特殊困难的职工家庭给予帮扶救助。"""
    return Outcome([
        (c.pop.dibao, "未纳入城市低保"),
        (c.has_cause("illness", "education", "disaster"), "没有因病、因学、因灾等特殊困难"),
    ])
