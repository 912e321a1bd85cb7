"""Reads: jobs, facts, disagreements, the verification report (核对报告) and alerts; each starts from `restrict`."""

from __future__ import annotations

import datetime

from django.db.models import Q

from bangfu.accounts.access import VIEW, VIEW_ID_NUMBER, check_area, is_department_officer, may
from bangfu.common.errors import NotFound
from bangfu.common.ids import mask_id_number
from bangfu.registry import choices as c
from bangfu.registry.models import Household
from bangfu.registry.selectors import household_get

from .identification import propose_category
from .models import Alert, DepartmentFact, Disagreement, ImportJob, JobKind, OpenState

JOB_ORDER = ("-id",)  # newest first: every list of import jobs (keyset pagination)


def job_list(*, user):
    """A department officer: their department's uploads in their area, nothing else. Staff: household imports that
    are their own or were uploaded by someone of their organisation or below it (a file's rows may name any union
    in its uploader's area, so the job's default union does not bound what its result file holds), and only within
    the unions they may see full ID numbers of: the result files hold them, so auditors see none."""
    if is_department_officer(user):
        return ImportJob.objects.filter(kind=JobKind.DEPARTMENT, department=user.department,
                                        union__path__startswith=user.organisation.path)
    if not may(user, VIEW_ID_NUMBER):
        return ImportJob.objects.none()
    return (ImportJob.objects.restrict(user, VIEW_ID_NUMBER).filter(kind=JobKind.HOUSEHOLDS)
            .filter(Q(created_by=user) | Q(created_by__organisation__path__startswith=user.organisation.path)))


def job_get(*, user, pk: int) -> ImportJob:
    job = job_list(user=user).select_related("union", "created_by").filter(pk=pk).first()
    if job is None:
        raise NotFound("未找到该导入任务")
    return job


def _visible(user, household_id: int | None, household: Household | None) -> int:
    """The household's id once `user` may see it, else NotFound as everywhere: a household the caller has read
    already (with its union: `registry.selectors.household_get`) is checked in memory, an id is read."""
    if household is None:
        return household_get(user=user, pk=household_id).pk
    check_area(user, household.union.path, VIEW, "未找到该家庭档案")
    return household.pk


def fact_list(*, user, household_id: int | None = None, household: Household | None = None):
    household_id = _visible(user, household_id, household)
    return (DepartmentFact.objects.restrict(user, VIEW).filter(household_id=household_id)
            .select_related("member").order_by("member__position", "member_id", "kind", "key"))


def disagreement_list(*, user, household_id: int | None = None, household: Household | None = None,
                      state: str = ""):
    """Flags over the user's area, or of one household (`household_id`, or `household` read already)."""
    qs = Disagreement.objects.restrict(user, VIEW).select_related("member", "fact", "resolved_by")
    if household_id is not None or household is not None:
        qs = qs.filter(household_id=_visible(user, household_id, household))
    return qs.filter(state=state) if state else qs


def disagreement_get(*, user, pk: int) -> Disagreement:
    found = disagreement_list(user=user).select_related("household__union").filter(pk=pk).first()
    if found is None:
        raise NotFound("未找到该核对记录")
    return found


ALERT_ORDER = ("-created_at", "-id")  # newest first: every list of alerts (keyset pagination)


def alerts_for(user, *, include_resolved: bool = False):
    """The alerts on the user's start page: open ones over their area, newest first."""
    qs = Alert.objects.restrict(user, VIEW).select_related("household", "member").order_by(*ALERT_ORDER)
    return qs if include_resolved else qs.filter(state=OpenState.OPEN)


def alert_get(*, user, pk: int) -> Alert:
    found = alerts_for(user, include_resolved=True).select_related("household__union").filter(pk=pk).first()
    if found is None:
        raise NotFound("未找到该预警")
    return found


def _fact_row(fact: DepartmentFact) -> dict:
    return {"member": fact.member.name, "member_id": fact.member_id, "kind": fact.kind,
            "label": fact.get_kind_display(), "key": fact.key, "declared": fact.declared, "reported": fact.value,
            "source": fact.get_department_display(), "source_date": fact.source_date.isoformat(),
            "recorded_at": fact.recorded_at.isoformat()}


def _declared_rows(household) -> list[dict]:
    """What the household itself said: the registry's fields, dated by the file's last change."""
    day = household.updated_at.date().isoformat()
    rows = [{"member": "", "label": "享受城市低保", "value": "是" if household.dibao else "否"},
            {"member": "", "label": "低保边缘户", "value": "是" if household.dibao_edge else "否"},
            {"member": "", "label": "有自有住房", "value": "是" if household.owns_housing else "否"}]
    for m in household.active_members:
        rows.append({"member": m.name, "label": "就业状况", "value": m.get_employment_display()})
        rows.append({"member": m.name, "label": "健康状况", "value": m.get_health_display()})
        if m.school_stage:
            rows.append({"member": m.name, "label": "学段", "value": m.get_school_stage_display()})
        if m.disability_grade:
            rows.append({"member": m.name, "label": "残疾等级", "value": f"{m.disability_grade}级"})
    return [{**row, "source": "家庭申报", "source_date": day} for row in rows]


def verification_report(*, user, household_id: int, as_of: datetime.date) -> dict:
    """核对报告: each fact with who said it (the household, or a department and its date), each disagreement,
    and the proposed category with its reasons. Printable as it stands."""
    household = household_get(user=user, pk=household_id)
    facts = [_fact_row(f) for f in fact_list(user=user, household_id=household_id)]
    disagreements = [
        {"id": d.pk, "member": d.member.name, "kind": d.kind, "message": d.message, "state": d.state,
         "state_label": d.get_state_display(), "declared": d.declared, "reported": d.reported,
         "source": d.fact.get_department_display(), "source_date": d.fact.source_date.isoformat(), "note": d.note,
         "resolved_by": str(d.resolved_by) if d.resolved_by else "",
         "resolved_at": d.resolved_at.isoformat() if d.resolved_at else None}
        for d in disagreement_list(user=user, household_id=household_id)
    ]
    members = [{"id": m.pk, "name": m.name, "id_number": mask_id_number(m.id_number),
                "relation": m.get_relation_display()} for m in household.active_members]
    return {"household": {"id": household.pk, "address": household.address, "union": household.union.name,
                          "status": household.get_status_display(),
                          "verified_category": c.verified_category_label(household.verified_category)},
            "as_of": as_of.isoformat(), "members": members, "declared": _declared_rows(household), "facts": facts,
            "disagreements": disagreements,
            "open_disagreements": sum(1 for d in disagreements if d["state"] == OpenState.OPEN),
            "proposal": propose_category(household, as_of)}
