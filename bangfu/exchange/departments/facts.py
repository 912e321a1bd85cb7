"""From a department's row to facts about one person, and what the household itself said on the same matter."""

from __future__ import annotations

import datetime

from bangfu.accounts.models import Department
from bangfu.registry.models import Member

from ..models import FactKind
from .formats import CIVIL_KIND, DATE


def _pick(values: dict, **names: str) -> dict:
    return {key: values.get(header) for key, header in names.items() if values.get(header) not in (None, "")}


def row_facts(department: str, values: dict, as_of: datetime.date) -> list[tuple[str, str, dict, datetime.date]]:
    """[(kind, key, value, source_date)] for one row; the key tells apart records of one kind (stays, firms)."""
    day = datetime.date.fromisoformat(values[DATE]) if values.get(DATE) else as_of
    if department == Department.CIVIL_AFFAIRS:
        kind = CIVIL_KIND[values["救助类别"]]
        value = _pick(values, category="救助类别", start="起始日期", amount="月救助金额(元)", died_on="死亡日期")
        return [(kind, "", value, day)]
    if department == Department.HUMAN_RESOURCES:
        out = [(FactKind.EMPLOYMENT, "", _pick(values, status="登记状态", employer="单位名称"), day)]
        if values.get("月养老金(元)"):
            out.append((FactKind.PENSION, "", _pick(values, amount="月养老金(元)"), day))
        return out
    if department == Department.MEDICAL_SECURITY:
        value = _pick(values, admitted="入院日期", discharged="出院日期", hospital="医院名称",
                      total="医疗总费用(元)", self_paid="个人自付(元)")
        return [(FactKind.HOSPITAL, values["入院日期"], value, day)]
    if department == Department.EDUCATION:
        value = _pick(values, stage="学段", year="年级", school="学校名称", cost="学年自付费用(元)")
        return [(FactKind.SCHOOL, "", value, day)]
    if department == Department.HOUSING:
        value = _pick(values, kind="保障方式", start="起始日期", area="住房面积(平方米)")
        return [(FactKind.PUBLIC_HOUSING, "", value, day)]
    if department == Department.DISABLED_FEDERATION:
        value = _pick(values, certificate="残疾证号", category="残疾类别", grade="残疾等级")
        return [(FactKind.DISABILITY, "", value, day)]
    value = _pick(values, credit_code="统一社会信用代码", name="主体名称", type="主体类型", founded="成立日期",
                  status="登记状态")
    return [(FactKind.BUSINESS, values["统一社会信用代码"], value, day)]


def declared(kind: str, member: Member) -> dict | None:
    """The household's own statement on the matter, kept beside the department's figure."""
    household = member.household
    statements = {
        FactKind.DIBAO: {"dibao": household.dibao},
        FactKind.DIBAO_EDGE: {"dibao_edge": household.dibao_edge},
        FactKind.EXTREME_SUPPORT: {"verified_category": household.verified_category},
        FactKind.DEATH: {"active": member.active},
        FactKind.EMPLOYMENT: {"employment": member.employment, "employer": member.employer},
        FactKind.HOSPITAL: {"health": member.health},
        FactKind.SCHOOL: {"stage": member.school_stage, "year": member.school_year, "school": member.school_name},
        FactKind.PUBLIC_HOUSING: {"owns_housing": household.owns_housing},
        FactKind.DISABILITY: {"grade": member.disability_grade},
        FactKind.BUSINESS: {"business_kind": member.business_kind, "credit_code": member.business_credit_code},
    }
    return statements.get(kind)
