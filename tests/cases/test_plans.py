"""一户一计划、一户一措施: plans, measures from the engine's entitlements, and what no longer matches."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from bangfu.cases import services
from bangfu.cases.selectors import plan_mismatches
from bangfu.cases.targets import article2_targets
from bangfu.common.errors import Conflict, ValidationFailed
from bangfu.policy.departments import department_for
from bangfu.registry import services as registry

pytestmark = pytest.mark.django_db
SUBSIDY = "education.compulsory_living_subsidy"


@pytest.fixture
def plan(archived_case, users, today):
    return services.plan_create(actor=users["caseworker_g1"], case=archived_case, year=today.year,
                                data={"family_situation": "三口之家", "hardship_causes": "因病",
                                      "needs": "子女教育、就业", "goals": "一年内实现就业"})


def child_ref(plan) -> str:
    return f"m{plan.case.household.members.get(relation='child').pk}"


@pytest.mark.parametrize("code, department", [
    ("education.preschool_aid", "education"), ("medical.resident_insurance_subsidy", "medical_security"),
    ("medical.pay_after_treatment", "health"), ("employment.public_welfare_job", "human_resources"),
    ("entrepreneurship.tax_relief", "tax"), ("housing.provident_fund", "housing"), ("legal.legal_aid", "justice"),
    ("living.union_living_subsidy", "union"), ("living.dibao_policies", "civil_affairs"),
    ("living.free_electricity", "development_reform"), ("unknown.code", "union"),
])
def test_each_benefit_has_a_responsible_department(code, department):
    assert department_for(code) == department


def test_a_plan_needs_an_archived_household(case, users, today):
    with pytest.raises(ValidationFailed, match="已建档"):
        services.plan_create(actor=users["caseworker_g1"], case=case, year=today.year)


def test_one_plan_a_year_and_stale_edits_are_refused(plan, users, today):
    with pytest.raises(Conflict, match="已存在"):
        services.plan_create(actor=users["caseworker_g1"], case=plan.case, year=today.year)
    stale = plan.version
    plan = services.plan_update(actor=users["caseworker_g1"], plan=plan, version=stale, data={"needs": "就业"})
    assert plan.needs == "就业" and plan.version == stale + 1
    with pytest.raises(Conflict) as conflict:
        services.plan_update(actor=users["reviewer_xuanwu"], plan=plan, version=stale, data={"needs": "医疗"})
    assert conflict.value.extra["current"]["needs"] == "就业" and conflict.value.extra["version"] == stale + 1


def test_one_call_turns_an_entitlement_into_a_measure(plan, users, today):
    measure = services.measure_from_entitlement(actor=users["caseworker_g1"], plan=plan, code=SUBSIDY,
                                                member=child_ref(plan), owner=users["caseworker_g1"],
                                                due_on=today + datetime.timedelta(days=30))
    assert measure.article == 14 and measure.department == "education" and measure.amount == Decimal("1250.00")  # the base standard raised in 2024
    assert measure.member.relation == "child" and "张小明" in measure.title and measure.kind == "entitlement"
    with pytest.raises(Conflict, match="已有措施"):
        services.measure_from_entitlement(actor=users["caseworker_g1"], plan=plan, code=SUBSIDY,
                                          member=child_ref(plan), owner=users["caseworker_g1"], due_on=today)
    with pytest.raises(ValidationFailed, match="没有该项待遇"):
        services.measure_from_entitlement(actor=users["caseworker_g1"], plan=plan, code="education.vocational_grant",
                                          member=child_ref(plan), owner=users["caseworker_g1"], due_on=today)


def test_caseworker_measures_and_their_status(plan, users, today, orgs):
    measure = services.measure_create(actor=users["caseworker_g1"], plan=plan, kind="job_referral",
                                      title="推荐到社区公益性岗位", owner=users["caseworker_g1"], due_on=today,
                                      department="human_resources")
    with pytest.raises(ValidationFailed, match="责任人"):
        services.measure_create(actor=users["caseworker_g1"], plan=plan, kind="visit", title="走访",
                                owner=users["caseworker_g4"], due_on=today)
    with pytest.raises(ValidationFailed, match="责任人"):  # an auditor of the area reads, never does the work
        services.measure_create(actor=users["caseworker_g1"], plan=plan, kind="visit", title="走访",
                                owner=users["auditor_province"], due_on=today)
    with pytest.raises(ValidationFailed, match="措施类型"):
        services.measure_create(actor=users["caseworker_g1"], plan=plan, kind="entitlement", title="x",
                                owner=users["caseworker_g1"], due_on=today)
    measure = services.measure_update(actor=users["caseworker_g1"], measure=measure, version=measure.version,
                                      data={"status": "done"})
    with pytest.raises(ValidationFailed, match="不能再修改"):
        services.measure_update(actor=users["caseworker_g1"], measure=measure, version=measure.version,
                                data={"status": "planned"})
    figures = article2_targets(user=users["admin_province"], union=orgs["xuanwu"], year=today.year, as_of=today)
    assert figures["figures"]["helped"] == 1, "a completed measure counts as help"


def test_an_entitlement_amount_is_the_engines(plan, users, today):
    measure = services.measure_from_entitlement(actor=users["caseworker_g1"], plan=plan, code=SUBSIDY,
                                                member=child_ref(plan), owner=users["caseworker_g1"], due_on=today)
    with pytest.raises(ValidationFailed, match="引擎"):
        services.measure_update(actor=users["caseworker_g1"], measure=measure, version=measure.version,
                                data={"amount": "5"})


def test_mismatches_show_changed_gone_and_missing(plan, users, today):
    cw = users["caseworker_g1"]
    subsidy = services.measure_from_entitlement(actor=cw, plan=plan, code=SUBSIDY, member=child_ref(plan), owner=cw,
                                                due_on=today)
    legal = services.measure_from_entitlement(actor=cw, plan=plan, code="legal.legal_aid", member=None, owner=cw,
                                              due_on=today)
    result = plan_mismatches(plan, today)
    assert not result["gone"] and not result["changed"]
    missing = {(b["code"], b["member"]) for b in result["missing"]}
    assert (SUBSIDY, child_ref(plan)) not in missing and ("legal.legal_aid", None) not in missing
    assert ("living.union_living_subsidy", None) in missing

    child = plan.case.household.members.get(relation="child")
    registry.member_update(actor=cw, member=child, data={"school_stage": "junior", "school_year": 1},
                           version=child.version)
    changed = plan_mismatches(plan, today)["changed"]
    assert [(c["measure"], c["recorded_amount"], c["engine_amount"]) for c in changed] == [
        (subsidy, Decimal("1250.00"), Decimal("1500.00"))]  # primary to junior, 2024 standard

    registry.member_remove(actor=cw, member=child, reason="已成年独立生活")
    gone = plan_mismatches(plan, today)["gone"]
    assert [g["measure"] for g in gone] == [subsidy]
    services.measure_update(actor=cw, measure=legal, version=legal.version, data={"status": "cancelled"})
    assert ("legal.legal_aid", None) in {(b["code"], b["member"]) for b in plan_mismatches(plan, today)["missing"]}
