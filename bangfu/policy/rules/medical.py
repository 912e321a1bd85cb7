"""Chapter 三, Articles 6-11: medical insurance and medical assistance for hardship households."""

import numpy as np

from bangfu.policy.rules.base import Ctx, Outcome, percent, pick, rows_of, rule

_INSURED = "未参加城乡居民基本医疗保险"


def _insurance_explanation(r: dict) -> str:
    share = "特困职工家庭成员全部由政府资助" if r["share"] == "1" else f"财政补贴{percent(r['share'])}"
    if r["contribution"] is None:
        return f"城乡居民基本医疗保险个人缴费{share};当地缴费标准系统尚未录入,金额以当地标准为准(第6条)。"
    return (f"{r['basis']}城乡居民基本医疗保险个人缴费每人每年{r['contribution']}元,{share},"
            f"每人每年{r['amount']}元(第6条)。")


@rule("medical.resident_insurance_subsidy", article=6, kind="subsidy", entity="person",
      title="资助参加城乡居民基本医疗保险",
      explain=_insurance_explanation)
def resident_insurance_subsidy(c: Ctx) -> Outcome:
    """Article 6: 困难职工家庭成员个人缴费由财政适当补贴;特困职工家庭成员全额资助。"""
    contribution = c.pparam("medical.resident_insurance.contribution")
    extreme = c.pparam("medical.resident_insurance.share_extreme")
    hardship = c.pparam("medical.resident_insurance.share_hardship")
    share = pick(c.extreme_p, extreme.value, hardship.value)
    return Outcome([(c.pop.medical_insurance, _INSURED)],
                   amount=contribution.value * share,
                   details={"contribution": contribution.value, "share": share},
                   illustrative={"contribution": contribution.illustrative,
                                 "share": pick(c.extreme_p, extreme.illustrative, hardship.illustrative)},
                   sources={"basis": c.cited("medical.resident_insurance.contribution", "person")})


@rule("medical.critical_illness_preference", article=7, kind="subsidy", entity="person",
      title="大病保险倾斜性支付",
      explain=lambda r: (f"大病保险起付线比普通参保患者降低{percent(1 - float(r['threshold_factor']))},"
                         f"各段报销比例提高{r['ratio_bonus_points_min']}到{r['ratio_bonus_points_max']}个百分点(第7条)。"))
def critical_illness_preference(c: Ctx) -> Outcome:
    """Article 7: 大病保险起付线比普通参保患者降低50%,各报销段报销比例提高5到10个百分点。"""
    return Outcome([(c.pop.medical_insurance, _INSURED)], details={
        key: c.pparam(f"medical.critical_illness.{key}").value
        for key in ("threshold_factor", "ratio_bonus_points_min", "ratio_bonus_points_max")
    })


@rule("medical.expense_assistance", article=8, kind="subsidy", entity="person",
      title="医疗费用补助",
      explain=lambda r: ("特困职工家庭成员经各项医疗保险支付后符合规定的个人自负费用给予补助,"
                         "取消救助起付线和病种限制(第8条)。" if r["threshold"] is not None else
                         "困难职工家庭中的大重病患者,参照临时救助对象中大重病患者医疗救助政策给予医疗费用补助(第8条)。"))
def expense_assistance(c: Ctx) -> Outcome:
    """Article 8: 大重病患者参照临时救助给予补助;特困职工家庭成员取消救助起付线和病种限制。"""
    threshold = c.pparam("medical.expense_assistance.threshold_extreme").value
    return Outcome([(c.extreme_p | c.pop.serious_illness, "不是特困职工家庭成员,也不是大重病患者")],
                   # Only answers read it: computed for their rows alone.
                   details={"threshold": lambda rows: np.where(c.extreme_p[rows], rows_of(threshold, rows), np.nan).tolist()})


@rule("medical.pay_after_treatment", article=9, kind="service", entity="person",
      title="先诊疗后付费、一站式结算",
      explain="在定点医疗机构住院先诊疗后付费,减免住院押金,出院时一站式同步结算,只需支付自负费用(第9条)。")
def pay_after_treatment(c: Ctx) -> Outcome:
    """Article 9: 困难职工家庭成员在定点医疗机构住院,先诊疗后付费,减免住院押金。"""
    return Outcome([])


@rule("medical.emergency_relief", article=10, kind="eligibility", entity="person",
      title="疾病应急救助",
      explain="发生急、重、危、伤病需要急救但无力缴费的,各类保险等渠道支付后仍有缺口的,由疾病应急救助基金补助(第10条)。")
def emergency_relief(c: Ctx) -> Outcome:
    """Article 10: 无力缴费拖欠的急救医疗费用,缺口由疾病应急救助基金给予补助。"""
    return Outcome([])


@rule("medical.mutual_aid", article=11, kind="eligibility", entity="person",
      title="职工医疗互助保障",
      explain="符合条件的困难职工纳入职工医疗互助保障项目(第11条)。")
def mutual_aid(c: Ctx) -> Outcome:
    """Article 11: 将符合条件的困难职工纳入职工医疗互助保障项目。"""
    is_self = c.relation("self")
    return Outcome([(is_self, "职工医疗互助保障面向职工本人")], listed=is_self)
