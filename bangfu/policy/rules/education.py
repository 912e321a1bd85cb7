"""Chapter 四, Articles 13-17: aid for the children of hardship households at every stage of school."""

import numpy as np

from bangfu.policy.rules.base import Ctx, Outcome, pick, rule

_CHILD = "不是职工子女"


def _child(c: Ctx, stages: tuple[str, ...], not_there: str) -> list:
    return [(c.relation("child"), _CHILD), (c.stage(*stages), not_there)]


def _standard(c: Ctx, name: str) -> tuple[dict, dict, dict]:
    """The yearly standard of a grant as `details`, its illustrative flag, and the document it comes from."""
    standard = c.pparam(name)
    return ({"standard": standard.value}, {"standard": standard.illustrative},
            {"basis": c.cited(name, "person")})


@rule("education.preschool_aid", article=13, kind="cash", entity="person", within="in_school",
      title="学前教育政府资助",
      explain="{basis}在公办幼儿园或普惠性民办幼儿园上学,平均每人每年资助{amount}元(第13条)。")
def preschool_aid(c: Ctx) -> Outcome:
    """Article 13: 公办幼儿园和普惠性民办幼儿园,平均资助标准为每人每年1000元。"""
    details, illustrative, sources = _standard(c, "education.preschool_aid.amount")
    return Outcome([
        *_child(c, ("preschool",), "不在学前教育阶段"),
        (c.institution("public", "private_inclusive"), "就读的不是公办或普惠性民办幼儿园"),
    ], amount=details["standard"], details=details, illustrative=illustrative, sources=sources,
        listed=c.in_school)


@rule("education.compulsory_living_subsidy", article=14, kind="cash", entity="person", within="in_school",
      title="义务教育家庭经济困难学生生活补助",
      explain=lambda r: (f"{r['basis']}{'小学生' if r['stage'] == 'primary' else '初中生'}每人每年{r['amount']}元"
                         f"(每天{r['yuan_per_day']}元,一年按{r['days']}天算)(第14条)。"))
def compulsory_living_subsidy(c: Ctx) -> Outcome:
    """Article 14: 小学生每生每年1000元(每天4元),初中生每生每年1250元(每天5元),每年按250天计。"""
    primary = c.stage("primary")
    p = "education.compulsory_living_subsidy."
    primary_day, junior_day = c.pparam(p + "primary_yuan_per_day"), c.pparam(p + "junior_yuan_per_day")
    per_day = pick(primary, primary_day.value, junior_day.value)
    days = c.pparam(p + "days").value
    return Outcome([
        *_child(c, ("primary", "junior"), "不在义务教育阶段"),
        (c.institution("public", "private_nonprofit"), "就读的不是公办或非营利性民办学校"),
    ], amount=per_day * days, details={
        "yuan_per_day": per_day, "days": days,
        # Only answers read it: computed for their rows alone, not for ten million pupils.
        "stage": lambda rows: np.where(primary[rows], "primary", "junior").tolist(),
    }, illustrative={"yuan_per_day": pick(primary, primary_day.illustrative, junior_day.illustrative)},
        sources={"basis": c.cited(p + "primary_yuan_per_day", "person")}, listed=c.in_school)


@rule("education.high_school_grant", article=15, kind="cash", entity="person", within="in_school",
      title="普通高中国家助学金",
      explain="{basis}普通高中国家助学金平均每人每年{amount}元,学校按家庭困难程度在{min}元至{max}元之间分档发放(第15条)。")
def high_school_grant(c: Ctx) -> Outcome:
    """Article 15: 平均资助标准为每生每学年2000元,在1000元至3000元之间分档发放。"""
    p = "education.high_school_grant."
    details, illustrative, sources = _standard(c, p + "amount")
    return Outcome(_child(c, ("senior_high",), "不在普通高中就读"), amount=details["standard"],
                   details={**details, "min": c.pparam(p + "min").value, "max": c.pparam(p + "max").value},
                   illustrative=illustrative, sources=sources, listed=c.in_school)


def _grades(last_year: object) -> object:
    return np.where(np.asarray(last_year) >= 3, "一至三年级", "一、二年级")


@rule("education.vocational_grant", article=16, kind="cash", entity="person", within="in_school",
      title="中等职业学校国家助学金",
      explain=lambda r: (f"{r['basis']}中等职业学校全日制正式学籍{_grades(float(r['last_year']))}学生,"
                         f"国家助学金每人每年{r['amount']}元(第16条)。"))
def vocational_grant(c: Ctx) -> Outcome:
    """Article 16: 全日制正式学籍一、二年级,按每生每年2000元的标准发放 (一至三年级 from 2025, 财教〔2024〕181号)."""
    p = "education.vocational_grant."
    details, illustrative, sources = _standard(c, p + "amount")
    last_year = c.pparam(p + "last_year").value
    return Outcome([
        *_child(c, ("secondary_vocational",), "不在中等职业学校就读"),
        (c.pop.school_year <= last_year, "中等职业学校国家助学金只发给{grades}学生"),
    ], amount=details["standard"], details={**details, "last_year": last_year}, illustrative=illustrative,
        sources=sources, facts={"grades": lambda rows: np.broadcast_to(_grades(last_year), (c.pop.n_persons,))[rows].tolist()},
        listed=c.in_school)


_HIGHER = ("higher", "adult_higher_regular")


@rule("education.university_grant", article=17, kind="cash", entity="person", within="in_school",
      title="高校国家助学金",
      explain="{basis}在高校全日制本专科或成人高校普通班上学,国家助学金平均每人每年{amount}元(第17条)。")
def university_grant(c: Ctx) -> Outcome:
    """Article 17: 高校全日制本专科(含高职、第二学士学位)或成人高校普通班,平均每生每年3000元。"""
    details, illustrative, sources = _standard(c, "education.university_grant.amount")
    return Outcome(_child(c, _HIGHER, "不在高校全日制本专科或成人高校普通班就读"), amount=details["standard"],
                   details=details, illustrative=illustrative, sources=sources, listed=c.in_school)


@rule("education.inspirational_scholarship", article=17, kind="cash", entity="person", within="in_school",
      title="国家励志奖学金",
      explain="二年级以上(含二年级)品学兼优的高校学生可以申请国家励志奖学金,{basis}每人每年{amount}元,"
              "由学校评审,不是人人都有(第17条)。")
def inspirational_scholarship(c: Ctx) -> Outcome:
    """Article 17: 在校二年级以上(含二年级)品学兼优的,可申请国家励志奖学金,奖励标准为每生每年5000元。"""
    p = "education.inspirational_scholarship."
    details, illustrative, sources = _standard(c, p + "amount")
    return Outcome([
        *_child(c, _HIGHER, "不在高校全日制本专科或成人高校普通班就读"),
        (c.pop.school_year >= c.pparam(p + "first_year").value, "须在校二年级以上(含二年级)"),
        (c.pop.excellent, "须品学兼优"),
    ], amount=details["standard"], details=details, illustrative=illustrative, sources=sources,
        listed=c.in_school)
