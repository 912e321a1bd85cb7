"""一户一计划、一户一措施: the yearly plan and its measures, from the engine's entitlements or the caseworker."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict

from bangfu.accounts.access import CHANGE, in_area, may
from bangfu.audit.locking import lock_version
from bangfu.audit.services import audit_log, diff
from bangfu.cases.workflow import ARCHIVED_STATES
from bangfu.common.bounds import decimal_within, int_within, text_within
from bangfu.common.clock import today
from bangfu.common.errors import Conflict, ValidationFailed
from bangfu.policy.departments import department_for
from bangfu.registry.models import Member

from ..models import Case, Department, Measure, MeasureKind, MeasureStatus, Plan
from ..selectors import plan_years
from .common import check_area

PLAN_FIELDS = ("family_situation", "hardship_causes", "assistance_received", "needs", "targets_and_measures", "goals")
MEASURE_FIELDS = ("title", "owner", "due_on", "status", "notes", "department", "amount")
FINAL = (MeasureStatus.DONE, MeasureStatus.CANCELLED)


def _path(case: Case) -> str:
    return case.household.union.path


def _audit(actor, action: str, case: Case, before=None, after=None) -> None:
    audit_log(actor=actor, action=action, object_type="case", object_id=case.pk, area_path=_path(case),
              before=before, after=after)


def _archived(case: Case) -> None:
    if case.state not in ARCHIVED_STATES:
        raise ValidationFailed(f"档案当前状态为「{case.get_state_display()}」,只有已建档的家庭才能制定计划和措施",
                               field="state")


def _label(name: str) -> str:
    return str(Measure._meta.get_field(name).verbose_name)


def _snapshot(obj, fields) -> dict:
    data = model_to_dict(obj, fields=list(fields))
    return {k: (str(v) if isinstance(v, Decimal | datetime.date) else v) for k, v in data.items()}


def _locked(obj, version: int, fields, *, case_id: int, key: str):
    return lock_version(obj, version, snapshot=lambda o: _snapshot(o, fields),
                        trail={"object_type": "case", "object_id": case_id, f"after__{key}": obj.pk},
                        update_caller=False)


@transaction.atomic
def plan_create(*, actor, case: Case, year: int, data: Mapping | None = None) -> Plan:
    """The household's plan for `year` with the five clear points (家庭情况、致困原因、受助情况、帮扶需求、目标举措)."""
    check_area(actor, _path(case), CHANGE, "未找到该帮扶档案")
    _archived(case)
    if year not in plan_years():
        raise ValidationFailed("计划年度无效", field="year")
    if Plan.objects.filter(case=case, year=year).exists():
        raise Conflict(f"该户{year}年帮扶计划已存在", field="year")
    fields = {k: str(v).strip() for k, v in (data or {}).items() if k in PLAN_FIELDS}
    plan = Plan.objects.create(case=case, year=year, created_by=actor, **fields)
    _audit(actor, "plan.create", case, after={"plan": plan.pk, "year": year, **fields})
    return plan


@transaction.atomic
def plan_update(*, actor, plan: Plan, version: int, data: Mapping) -> Plan:
    """Change the plan's text; a stale version is refused with the current text."""
    check_area(actor, _path(plan.case), CHANGE, "未找到该帮扶档案")
    locked = _locked(plan, version, PLAN_FIELDS, case_id=plan.case_id, key="plan")
    before = _snapshot(locked, PLAN_FIELDS)
    for name, value in data.items():
        if name in PLAN_FIELDS:
            setattr(locked, name, str(value).strip())
    locked.version += 1
    locked.save()
    old, new = diff(before, _snapshot(locked, PLAN_FIELDS))
    _audit(actor, "plan.update", plan.case, before=old, after={"plan": plan.pk, **new})
    return locked


def _check_owner(owner, case: Case) -> None:
    if owner is None or not owner.is_active or not may(owner, CHANGE) or not in_area(owner, _path(case)):
        raise ValidationFailed("责任人须为能办理该户档案的在职工作人员", field="owner")


def _amount(value) -> Decimal | None:
    if value is None or value == "":
        return None
    amount = decimal_within(Measure, "amount", value, label="金额")
    if amount < 0:
        raise ValidationFailed("金额不能为负数", field="amount")
    return amount


def _article(value) -> int | None:
    """The notice's article (第一条 … 第二十九条), or none."""
    if value is None or value == "":
        return None
    return int_within(value, 1, 29, field="article", label="条款")


def _title(value) -> str:
    title = text_within(Measure, "title", value, plain=True)
    if not title:
        raise ValidationFailed("须填写措施内容", field="title")
    return title


def _save_measure(actor, measure: Measure) -> Measure:
    try:
        with transaction.atomic():
            measure.save()
    except IntegrityError as exc:
        raise Conflict("该项待遇在本计划中已有措施", field="code") from exc
    _audit(actor, "measure.create", measure.plan.case,
           after={"measure": measure.pk, "plan": measure.plan_id, **_snapshot(measure, (*MEASURE_FIELDS, "kind",
                  "benefit_code", "benefit_member", "article"))})
    return measure


@transaction.atomic
def measure_create(*, actor, plan: Plan, kind: str, title: str, owner, due_on: datetime.date,
                   department: str = Department.UNION, amount=None, article: int | None = None,
                   notes: str = "") -> Measure:
    """A caseworker's measure: a job referral, a visit, a donation, …"""
    check_area(actor, _path(plan.case), CHANGE, "未找到该帮扶档案")
    _archived(plan.case)
    if kind not in MeasureKind.values or kind == MeasureKind.ENTITLEMENT:
        raise ValidationFailed("措施类型无效(政策待遇请从引擎测算结果生成)", field="kind")
    if department not in Department.values:
        raise ValidationFailed("责任部门无效", field="department")
    title = _title(title)
    _check_owner(owner, plan.case)
    measure = Measure(plan=plan, kind=kind, title=title, owner=owner, due_on=due_on, department=department,
                      amount=_amount(amount), article=_article(article), notes=str(notes or ""),
                      created_by=actor)
    return _save_measure(actor, measure)


def _benefit(answer: dict, code: str, member: str | None) -> dict:
    for benefit in answer["benefits"]:
        if benefit["code"] == code and benefit["member"] == (member or None):
            return benefit
    raise ValidationFailed(f"引擎当前测算结果中没有该项待遇:{code}", field="code")


def _member(case: Case, member: str | None) -> Member | None:
    if not member:
        return None
    return Member.objects.filter(pk=int(member.lstrip("m")), household=case.household_id).first()


@transaction.atomic
def measure_from_entitlement(*, actor, plan: Plan, code: str, member: str | None, owner, due_on: datetime.date,
                             as_of: datetime.date | None = None) -> Measure:
    """Turn one engine benefit (code, member) into a measure with its article, title, department and amount."""
    from bangfu.registry.assessment import household_entitlements

    check_area(actor, _path(plan.case), CHANGE, "未找到该帮扶档案")
    _archived(plan.case)
    _check_owner(owner, plan.case)
    benefit = _benefit(household_entitlements(plan.case.household, as_of or today()), code, member)
    person = _member(plan.case, benefit["member"])
    title = benefit["title"] + (f"({person.name})" if person else "")
    measure = Measure(plan=plan, kind=MeasureKind.ENTITLEMENT, title=title[:200], benefit_code=code,
                      benefit_member=benefit["member"] or "", member=person, article=benefit["article"],
                      department=department_for(code), amount=_amount(benefit["amount"]), owner=owner,
                      due_on=due_on, notes=benefit.get("explanation", ""), created_by=actor)
    return _save_measure(actor, measure)


def _clean_measure(measure: Measure, data: Mapping) -> dict:
    fields = {k: v for k, v in data.items() if k in MEASURE_FIELDS}
    for name in ("title", "notes", "status", "department", "due_on", "owner"):
        if name in fields and fields[name] is None:  # these columns hold no null: refused, not a 500
            raise ValidationFailed(f"{_label(name)}不能为空", field=name)
    if "title" in fields:
        fields["title"] = _title(fields["title"])
    if "notes" in fields:
        fields["notes"] = str(fields["notes"])
    if "status" in fields and fields["status"] not in MeasureStatus.values:
        raise ValidationFailed("措施状态无效", field="status")
    if "department" in fields and fields["department"] not in Department.values:
        raise ValidationFailed("责任部门无效", field="department")
    if "amount" in fields:
        if measure.kind == MeasureKind.ENTITLEMENT:
            raise ValidationFailed("政策待遇的金额以引擎测算为准,不能手工修改", field="amount")
        fields["amount"] = _amount(fields["amount"])
    if "owner" in fields:
        _check_owner(fields["owner"], measure.plan.case)
    return fields


@transaction.atomic
def measure_update(*, actor, measure: Measure, version: int, data: Mapping) -> Measure:
    """Change a measure (owner, due date, status, …); done or cancelled measures are final."""
    check_area(actor, _path(measure.plan.case), CHANGE, "未找到该帮扶档案")
    locked = _locked(measure, version, MEASURE_FIELDS, case_id=measure.plan.case_id, key="measure")
    if locked.status in FINAL:
        raise ValidationFailed(f"措施已{locked.get_status_display()},不能再修改", field="status")
    fields = _clean_measure(locked, data)
    before = _snapshot(locked, MEASURE_FIELDS)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.save()
    old, new = diff(before, _snapshot(locked, MEASURE_FIELDS))
    _audit(actor, "measure.update", measure.plan.case, before=old, after={"measure": measure.pk, **new})
    return locked
