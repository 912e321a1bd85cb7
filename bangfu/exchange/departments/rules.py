"""What a department's fact contradicts in the household's statement (flags), and what needs a caseworker (alerts)."""

from __future__ import annotations

from bangfu.cases.workflow import ARCHIVED_STATES, CaseState
from bangfu.medical.models import MedicalBill, Source
from bangfu.medical.settlement import department_difference
from bangfu.registry import choices as c

from ..models import AlertKind, DepartmentFact, FactKind

NOT_WORKING = {c.Employment.REGISTERED_UNEMPLOYED, c.Employment.UNEMPLOYED, c.Employment.NONE}


def _label(enum, value) -> str:
    return dict(enum.choices).get(value, value or "未填写")


def disagreement_for(fact: DepartmentFact) -> tuple[str, str] | None:
    """(kind, Chinese message) when the department's data contradicts the household's statement, else None."""
    member, household, value = fact.member, fact.household, fact.value
    name, source = member.name, fact.get_department_display()
    if fact.kind == FactKind.DIBAO and not household.dibao:
        return "dibao", f"家庭申报未享受城市低保,{source}数据显示{name}享受低保(起始:{value.get('start', '未注明')})"
    if fact.kind == FactKind.DIBAO_EDGE and not household.dibao_edge:
        return "dibao_edge", f"家庭申报非低保边缘户,{source}数据显示{name}为低保边缘户"
    if fact.kind == FactKind.EMPLOYMENT:
        status = value.get("status")
        if status == "就业" and member.employment in NOT_WORKING:
            return "employment", (f"{name}申报为「{_label(c.Employment, member.employment)}」,{source}数据显示在"
                                  f"{value.get('employer') or '某单位'}就业")
        if status == "登记失业" and member.employment != c.Employment.REGISTERED_UNEMPLOYED:
            return "employment", f"{name}申报为「{_label(c.Employment, member.employment)}」,{source}数据显示已登记失业"
    if fact.kind == FactKind.SCHOOL and value.get("stage") != member.school_stage:
        return "school_stage", (f"{name}申报学段为「{_label(c.SchoolStage, member.school_stage)}」,{source}数据为"
                                f"「{_label(c.SchoolStage, value.get('stage'))}」")
    if fact.kind == FactKind.DISABILITY and value.get("grade") != member.disability_grade:
        stated = f"{member.disability_grade}级" if member.disability_grade else "无残疾等级"
        return "disability", f"{name}申报{stated},{source}数据为{value.get('grade')}级残疾"
    if fact.kind == FactKind.HOSPITAL:
        bill = MedicalBill.objects.filter(member=member, source=Source.MEDICAL_SECURITY, source_key=fact.key).first()
        message = department_difference(bill) if bill is not None else None
        return (f"medical:{fact.key}"[:32], message) if message else None
    if fact.kind == FactKind.BUSINESS and value.get("status", "存续") == "存续" and not member.business_kind:
        return "business", f"{name}未申报经营活动,{source}数据显示其经营「{value.get('name')}」(存续)"
    return None


def alert_for(fact: DepartmentFact) -> tuple[str, str, str] | None:
    """(kind, key, Chinese message) for a fact that needs the caseworker's attention, else None."""
    member, household, value = fact.member, fact.household, fact.value
    exited = household.status == CaseState.EXITED
    if fact.kind == FactKind.DEATH and not member.removed:
        when = value.get("died_on") or "近期"
        return AlertKind.DEATH, f"death:{member.pk}", f"民政部门报告{member.name}已于{when}死亡,请核实并更新家庭成员"
    if fact.kind == FactKind.EXTREME_SUPPORT and household.status in ARCHIVED_STATES:
        return (AlertKind.DUPLICATE_BENEFIT, f"extreme_support:{member.pk}",
                f"{member.name}已由民政部门特困供养,请核实是否重复享受工会生活救助")
    if exited and fact.kind == FactKind.HOSPITAL:
        return (AlertKind.RELAPSE, f"hospital:{member.pk}:{fact.key}",
                f"返贫预警:已退出家庭的{member.name}于{value.get('admitted')}住院,个人自付{value.get('self_paid')}元")
    if exited and fact.kind == FactKind.EMPLOYMENT and value.get("status") == "登记失业":
        return (AlertKind.RELAPSE, f"unemployed:{member.pk}",
                f"返贫预警:已退出家庭的{member.name}已登记失业,家庭收入可能下降")
    return None
