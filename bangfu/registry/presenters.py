"""Turning households and members into the API's output dicts (masked ID numbers everywhere but on request)."""

from __future__ import annotations

from bangfu.common.ids import mask_id_number

from . import choices as c
from .assessment import school_document
from .models import Household, Member

_MEMBER_PLAIN = (
    "id", "name", "sex", "birth_date", "relation", "phone", "retirement_group", "employment", "employer",
    "work_ability", "willing_to_work", "health", "disability_grade", "serious_illness",
    "poverty_alleviation_target", "resident_medical_insurance", "resident_pension_insurance", "active", "removed",
    "version",
)
_HOUSEHOLD_PLAIN = (
    "id", "version", "union_id", "region_code", "address", "phone", "status", "archived", "proposed_category",
    "verified_category", "hardship_causes", "dibao", "dibao_edge", "housing_area_m2", "owns_housing",
    "has_vehicle", "financial_assets", "property_notes", "notes",
)


def health_text(member: Member) -> str:
    """健康状况 as the file shows it, each fact once: the health, the disability grade and 大重病患者
    (大重病 with 大重病患者 = 是 reads "大重病"; 残疾 of grade 2 reads "残疾2级")."""
    grade = f"残疾{member.disability_grade}级" if member.disability_grade else ""
    parts = [grade if grade and member.health == c.Health.DISABLED else member.get_health_display()]
    if grade and member.health != c.Health.DISABLED:
        parts.append(grade)
    if member.serious_illness and member.health != c.Health.SERIOUS:
        parts.append(c.Health.SERIOUS.label)
    return ",".join(parts)


def member_out(member: Member) -> dict:
    data = {f: getattr(member, f) for f in _MEMBER_PLAIN}
    school = school_document(member)
    if school is not None:
        school["name"] = member.school_name
    business = None
    if member.business_kind:
        business = {"kind": member.business_kind, "name": member.business_name,
                    "credit_code": member.business_credit_code,
                    "registered_on": member.business_registered_on, "employees": member.business_employees,
                    "first_time": member.business_first_time, "premises": member.business_premises,
                    "other_rent_subsidy": member.business_other_rent_subsidy}
    data.update(id_number_masked=mask_id_number(member.id_number), relation_label=member.get_relation_display(),
                school=school, business=business)
    return data


def household_list_item(household: Household) -> dict:
    return {
        "id": household.pk, "worker_name": household.worker_name,
        "worker_id_number_masked": mask_id_number(household.worker_id_number or ""), "phone": household.phone,
        "union_id": household.union_id, "union_name": household.union.name, "region_code": household.region_code,
        "address": household.address, "status": household.status, "proposed_category": household.proposed_category,
        "verified_category": household.verified_category, "hardship_causes": household.hardship_causes,
        "dibao": household.dibao, "dibao_edge": household.dibao_edge, "size": household.size or 0,
    }


def household_out(household: Household) -> dict:
    data = {f: getattr(household, f) for f in _HOUSEHOLD_PLAIN}
    members = getattr(household, "active_members", None)
    if members is None:
        members = household.members.filter(removed=False)
    data.update(
        union_name=household.union.name,
        members=[member_out(m) for m in members],
        incomes=[{"id": i.pk, "month": i.month, "source": i.source, "amount": i.amount}
                 for i in household.incomes.all()],
        documents=[{"id": d.pk, "doc_type": d.doc_type, "original_name": d.original_name,
                    "content_type": d.content_type, "size": d.size, "uploaded_at": d.uploaded_at}
                   for d in household.documents.all()],
    )
    return data
