"""Chapter 二, Articles 3-5: public welfare jobs and start-up aid for members of hardship households."""

from bangfu.policy import schema as s
from bangfu.policy.rules.base import Ctx, Outcome, rule, wan


@rule("employment.public_welfare_job", article=3, kind="priority", entity="person",
      title="优先安排公益性岗位",
      explain="特困职工家庭中有劳动能力和就业愿望的登记失业成员,鼓励公益性岗位优先安排(第3条)。")
def public_welfare_job(c: Ctx) -> Outcome:
    """Article 3: 鼓励公益性岗位安排有劳动能力和就业愿望的登记失业特困职工家庭成员。"""
    unemployed = c.employment("registered_unemployed")
    return Outcome([
        (c.extreme_p, "仅特困职工家庭成员优先安排公益性岗位"),
        (c.working_age, "不在法定劳动年龄内"),
        (unemployed, "不是登记失业人员"),
        (c.pop.work_ability != s.WORK_ABILITIES.index("none"), "无劳动能力"),
        (c.pop.willing, "没有就业愿望"),
    ], listed=unemployed)


@rule("entrepreneurship.startup_subsidies", article=4, kind="eligibility", entity="person",
      title="一次性创业补贴等创业补贴政策",
      explain="登记失业的困难职工家庭成员纳入一次性创业、带动就业、创业基地运营经费等补贴政策范围(第4条)。")
def startup_subsidies(c: Ctx) -> Outcome:
    """Article 4: 将登记失业的困难职工家庭成员纳入一次性创业、带动就业…等补贴政策范围。"""
    unemployed = c.employment("registered_unemployed")
    return Outcome([
        (c.working_age, "不在法定劳动年龄内"),
        (unemployed, "不是登记失业人员"),
    ], listed=unemployed | c.has_business)


@rule("entrepreneurship.guaranteed_loan", article=4, kind="eligibility", entity="person", within="has_business",
      title="创业担保贷款及财政贴息",
      explain=lambda r: ("法定劳动年龄内创业的困难职工家庭成员可申请创业担保贷款,财政给予贴息;"
                         f"个人贷款最高{wan(r['max_loan'])}(具体额度按雇用人数确定),期限最长{r['max_term_years']}年(第4条)。"))
def guaranteed_loan(c: Ctx) -> Outcome:
    """Article 4: 个人贷款最高额度为50万元,贷款期限最长不超过3年,财政按规定给予贷款贴息。"""
    return Outcome([
        (c.working_age, "不在法定劳动年龄内"),
        (c.has_business, "没有经登记的创业项目"),
    ], details={
        "max_loan": c.pparam("employment.entrepreneurship.max_loan").value,
        "max_term_years": c.pparam("employment.entrepreneurship.max_term_years").value,
    }, listed=c.has_business)


@rule("entrepreneurship.tax_relief", article=4, kind="eligibility", entity="person", within="has_business",
      title="创业税收优惠",
      explain="从事个体经营的困难职工家庭成员享受创业税收优惠政策(第4条)。")
def tax_relief(c: Ctx) -> Outcome:
    """Article 4: 符合条件的困难职工家庭成员从事个体经营的,享受创业税收优惠政策。"""
    return Outcome([
        (c.pop.business == s.BUSINESS_KINDS.index("individual"), "不是个体经营(个体工商户)"),
    ], listed=c.has_business)


@rule("entrepreneurship.rent_subsidy", article=5, kind="subsidy", entity="person", within="has_business",
      title="创业场地租金补贴",
      explain="租用创业场地的困难职工家庭成员可享受租金补贴,自登记之日起最长{max_years}年(第5条)。")
def rent_subsidy(c: Ctx) -> Outcome:
    """Article 5: 初次创业租用创业孵化基地的登记失业人员,或在基地以外自行租用场地的,享受租金补贴;
    创业租金补贴期限不超过3年 (version 2: counted from the business's registration)."""
    premises = c.pop.premises
    incubator = premises == s.PREMISES.index("incubator")
    rented = premises == s.PREMISES.index("rented")
    years = c.pparam("employment.entrepreneurship.rent_subsidy_max_years").value
    renting = c.has_business & (incubator | rented)
    return Outcome([
        (renting, "未租用创业孵化基地或经营场地"),
        (~incubator | (c.employment("registered_unemployed") & c.pop.first_time),
         "在创业孵化基地创业的,须为初次创业的登记失业人员"),
        (~c.pop.other_rent_subsidy, "已享受政府租金补贴(减免)的,不享受此项补贴"),
        (c.before_anniversary(renting, c.pop.registered_on, years),
         "创业租金补贴最长{max_years}年,自登记之日起已满{max_years}年(第5条)"),
    ], details={"max_years": years}, listed=c.has_business)

