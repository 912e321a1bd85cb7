"""Chapter 五, Articles 18-22: utilities, prices, pensions, housing and the union's living subsidy."""

import numpy as np

from bangfu.policy.rules.base import Ctx, Outcome, given_or, pick, rule

_EXTREME = "仅特困职工家庭享受"
_U = "living.utilities."


@rule("living.free_electricity", article=18, kind="subsidy", entity="household",
      title="免费用电基数",
      explain="特困职工家庭每户每月{kwh_per_month}度免费用电,按第一档电价{price}元/度计,每年{amount}元(第18条)。")
def free_electricity(c: Ctx) -> Outcome:
    """Article 18: 对特困职工家庭每户每月给予15度免费用电基数。"""
    kwh = c.hparam(_U + "free_kwh_per_month")
    price = c.hparam(_U + "electricity_price")
    return Outcome([(c.extreme, _EXTREME)], amount=kwh.value * 12 * price.value,
                   details={"kwh_per_month": kwh.value, "price": price.value},
                   illustrative={"price": price.illustrative})


@rule("living.utility_relief", article=18, kind="subsidy", entity="household",
      title="水、气费用补贴或减免",
      explain="通过增加用气、用水补贴或设定减免优惠气量、水量,确保基本生活水平不因阶梯气价、水价而降低(第18条)。")
def utility_relief(c: Ctx) -> Outcome:
    """Article 18: 确保特困职工家庭基本生活水平不因实施阶梯气价、水价制度而降低。"""
    return Outcome([(c.extreme, _EXTREME)])


def _cable_tv_explanation(r: dict) -> str:
    saving = (f"普通标准{r['normal_monthly_fee']}元/月,每年少缴{r['amount']}元;"
              if r["amount"] is not None and float(r["amount"]) > 0 else "")
    return (f"有线电视初装费减半收取,主终端基本收视维护费按{r['monthly_fee']}元/月执行,"
            f"{saving}(第18条)。").replace(",(", "(").replace(";(", "(")


@rule("living.cable_tv", article=18, kind="subsidy", entity="household",
      title="有线电视费用减免", explain=_cable_tv_explanation)
def cable_tv(c: Ctx) -> Outcome:
    """Article 18: 有线电视初装费减半收取,主终端基本收视维护费按8元/月标准执行。"""
    fee = c.hparam(_U + "cable_tv_monthly_fee").value
    normal = c.hparam(_U + "cable_tv_normal_monthly_fee")
    return Outcome([(c.extreme, _EXTREME)], amount=(normal.value - fee) * 12, details={
        "installation_fee_factor": c.hparam(_U + "cable_tv_installation_factor").value,
        "monthly_fee": fee, "normal_monthly_fee": normal.value,
    }, illustrative={"normal_monthly_fee": normal.illustrative})


def _price_explanation(r: dict) -> str:
    month = r["cpi_month"]
    if month is None:
        source = f"居民消费价格同比上涨{r['cpi_yoy_percent']}%(评估时提供)"
    else:
        year, number = month.split("-")
        source = f"江苏省{year}年{int(number)}月居民消费价格同比上涨{r['cpi_yoy_percent']}%(国家统计局江苏调查总队发布)"
    return f"{source},达到{r['threshold_percent']}%,特困职工家庭纳入物价补贴联动机制,发放物价补贴(第19条)。"


@rule("living.price_subsidy", article=19, kind="eligibility", entity="household",
      title="物价补贴", explain=_price_explanation)
def price_subsidy(c: Ctx) -> Outcome:
    """Article 19: 居民消费价格同比涨幅超过3%(含3%)时,将特困职工家庭纳入联动机制,发放物价补贴。

    The engine's own figure is the latest month published on or before the day (a month's CPI is
    published about the middle of the next month); a month not entered is said to be missing.
    """
    name = "living.price_subsidy.cpi_yoy_percent"
    held = c.hparam(name)
    given = ~np.isnan(c.pop.cpi)
    cpi = given_or(c.pop.cpi, held.value)
    threshold = c.hparam("living.price_subsidy.cpi_threshold_percent").value
    references = c.references(name)

    def month(rows: np.ndarray) -> list:
        return [None if g else r.get("month") for g, r in zip(given[rows].tolist(), references(rows), strict=True)]

    def missing(rows: np.ndarray) -> list:
        return [r.get("missing") or "评估日以前" for r in references(rows)]

    return Outcome([
        (c.extreme, _EXTREME),
        (~np.isnan(cpi), "{missing}的居民消费价格同比数据还没有录入系统(统计部门约在次月中旬发布),评估时也没有提供,"
                         "无法判断是否达到{threshold_percent}%(第19条)"),
        (cpi >= threshold, "居民消费价格同比涨幅{cpi_yoy_percent}%,低于{threshold_percent}%(第19条)"),
    ], details={"cpi_yoy_percent": cpi, "threshold_percent": threshold, "cpi_month": month},
        illustrative={"cpi_yoy_percent": pick(given, False, held.illustrative)}, facts={"missing": missing})


@rule("living.dibao_equivalent_benefits", article=19, kind="eligibility", entity="household",
      title="与城市低保家庭同等享受的补贴和优惠",
      explain="与城市低保家庭同等享受粮油补贴、园林景点门票、区域内公共交通费用补贴及殡葬服务收费优惠等政策(第19条)。")
def dibao_equivalent_benefits(c: Ctx) -> Outcome:
    """Article 19: 特困职工家庭与城市低保家庭同等享受粮油补贴和园林景点门票…以及殡葬服务收费优惠。"""
    return Outcome([(c.extreme, _EXTREME)])


@rule("living.pension_contribution", article=20, kind="subsidy", entity="person",
      title="城乡居民基本养老保险缴费补贴",
      explain="重度残疾或符合城乡居民基本养老保险扶贫对象条件的特困职工参保,地方人民政府为其代缴部分或全部最低标准养老保险费(第20条)。")
def pension_contribution(c: Ctx) -> Outcome:
    """Article 20: 重度残疾或符合扶贫对象条件的特困职工参保的,代缴部分或全部最低标准养老保险费。"""
    is_self = c.relation("self")
    severe = (c.pop.disability == 1) | (c.pop.disability == 2)
    limit = c.pparam("living.pension.contribution_age_limit").value
    return Outcome([
        (is_self, "仅面向职工本人"),
        (c.extreme_p, "仅特困职工享受"),
        (c.pop.pension_insurance, "未参加城乡居民基本养老保险"),
        (severe | c.pop.poverty_target, "不是重度残疾(一、二级),也不符合城乡居民基本养老保险扶贫对象条件"),
        (c.before_anniversary(is_self & c.extreme_p & c.pop.pension_insurance & (severe | c.pop.poverty_target),
                              c.pop.birth, limit), "已满{age_limit}周岁,不再缴纳城乡居民基本养老保险费(第20条)"),
    ], listed=is_self, facts={"age_limit": limit})



@rule("housing.public_rental_priority", article=21, kind="priority", entity="household",
      title="优先解决公共租赁住房保障",
      explain="优先解决困难职工家庭公共租赁住房保障需求(第21条)。")
def public_rental_priority(c: Ctx) -> Outcome:
    """Article 21: 优先解决困难职工家庭公共租赁住房保障需求。"""
    return Outcome([])


@rule("housing.provident_fund", article=21, kind="eligibility", entity="household",
      title="住房公积金贷款贴息和提取",
      explain="使用住房公积金贷款购买普通自住住房的可获贷款贴息(有条件的地区);可提取住房公积金用于重大疾病治疗和突发情况导致的生活困难(第21条)。")
def provident_fund(c: Ctx) -> Outcome:
    """Article 21: 鼓励对住房公积金贷款予以贴息;支持提取住房公积金用于重大疾病和突发情况。"""
    return Outcome([], details={"loan_interest_subsidy": True, "withdrawal_for_illness_or_emergency": True})


@rule("living.union_living_subsidy", article=22, kind="cash", entity="household",
      title="工会生活补助",
      explain="县级以上总工会定期发放生活补助,标准由当地工会确定(第22条)。")
def union_living_subsidy(c: Ctx) -> Outcome:
    """Article 22: 县级以上总工会…定期发放生活补助。"""
    return Outcome([])
