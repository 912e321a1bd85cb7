"""The plan page: the five clear points, entitlements turned into measures in one click, measures, mismatches."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bangfu.cases import services
from bangfu.cases.models import Measure, Plan
from bangfu.common import clock
from bangfu.registry.assessment import household_entitlements

pytestmark = pytest.mark.django_db
YEAR = clock.today().year


@pytest.fixture
def archived(household, drive):
    return drive(household, "archived")


@pytest.fixture
def plan(archived, users):
    return services.plan_create(actor=users["caseworker_g1"], case=archived, year=YEAR, data={"goals": "稳定就业"})


def first_benefit(household) -> dict:
    household.refresh_from_db()
    return household_entitlements(household, clock.today())["benefits"][0]


def url(household, year=YEAR):
    return reverse("web:plan_detail", args=[household.pk, year])


def test_a_new_plan_starts_from_the_file_and_is_created(login, users, household, archived):
    client = login(users["caseworker_g1"])
    page = client.get(url(household)).content.decode()
    assert "家庭情况清" in page and "目标举措清" in page and "张小明" in page  # prefilled from the members
    response = client.post(url(household), {"family_situation": "三口之家", "hardship_causes": "因病",
                                            "assistance_received": "", "needs": "就业", "targets_and_measures": "",
                                            "goals": "年内脱困"})
    assert response.status_code == 302
    plan = Plan.objects.get(case=archived, year=YEAR)
    assert plan.goals == "年内脱困" and plan.needs == "就业"


def test_no_plan_before_the_archive(login, users, household):
    client = login(users["caseworker_g1"])
    page = client.get(url(household)).content.decode()
    assert "只有已建档的家庭才能制定帮扶计划" in page
    assert client.post(url(household), {"goals": "x"}).status_code == 403


def test_entitlements_become_measures_in_one_click(login, users, household, plan):
    client = login(users["caseworker_g1"])
    page = client.get(url(household)).content.decode()
    assert "转为措施" in page
    benefit = first_benefit(household)
    response = client.post(reverse("web:measure_from_entitlement", args=[plan.pk]),
                           {"code": benefit["code"], "member": benefit["member"] or ""})
    assert response.status_code == 302
    measure = Measure.objects.get(plan=plan)
    assert measure.benefit_code == benefit["code"] and measure.owner == users["caseworker_g1"]
    assert measure.article == benefit["article"]
    again = client.post(reverse("web:measure_from_entitlement", args=[plan.pk]),
                        {"code": benefit["code"], "member": benefit["member"] or ""}, follow=True)
    assert "已有措施" in again.content.decode() and Measure.objects.filter(plan=plan).count() == 1
    bogus = client.post(reverse("web:measure_from_entitlement", args=[plan.pk]), {"code": "no.such"}, follow=True)
    assert "没有该项待遇" in bogus.content.decode()


def test_caseworker_adds_a_measure_and_updates_it(login, users, household, plan):
    client = login(users["caseworker_g1"])
    data = {"kind": "job_referral", "title": "推荐到某物业公司就业", "owner": users["caseworker_g1"].pk,
            "due_on": f"{YEAR}-12-31", "department": "human_resources", "amount": "", "notes": ""}
    assert client.post(reverse("web:measure_create", args=[plan.pk]), data).status_code == 302
    measure = Measure.objects.get(plan=plan)
    update = reverse("web:measure_update", args=[measure.pk])
    prefix = f"m{measure.pk}"
    fields = {f"{prefix}-version": measure.version, f"{prefix}-status": "in_progress",
              f"{prefix}-owner": users["reviewer_xuanwu"].pk, f"{prefix}-due_on": f"{YEAR}-11-30"}
    assert client.post(update, fields).status_code == 302
    measure.refresh_from_db()
    assert measure.status == "in_progress" and measure.owner == users["reviewer_xuanwu"]
    stale = client.post(update, {**fields, f"{prefix}-status": "done"}, follow=True)
    assert "该记录已被他人修改" in stale.content.decode()
    bad = client.post(reverse("web:measure_create", args=[plan.pk]), {**data, "title": ""}, follow=True)
    assert "措施内容" in bad.content.decode() and Measure.objects.filter(plan=plan).count() == 1


def test_stale_plan_save_shows_the_current_text_and_keeps_mine(login, users, household, plan):
    services.plan_update(actor=users["reviewer_xuanwu"], plan=plan, version=plan.version, data={"goals": "他人的目标"})
    response = login(users["caseworker_g1"]).post(url(household), {"version": plan.version, "goals": "我的目标"})
    body = response.content.decode()
    assert response.status_code == 409
    assert 'data-testid="plan-conflict"' in body and "他人的目标" in body and "我的目标" in body
    plan.refresh_from_db()
    assert plan.goals == "他人的目标"


def test_mismatches_are_shown_as_a_warning(login, users, household, plan):
    benefit = first_benefit(household)
    measure = services.measure_from_entitlement(actor=users["caseworker_g1"], plan=plan, code=benefit["code"],
                                                member=benefit["member"], owner=users["caseworker_g1"],
                                                due_on=clock.today())
    household.members.filter(relation="child").update(school_stage="", school_year=None, employment="none")
    Measure.objects.filter(pk=measure.pk).update(amount=123)
    body = login(users["caseworker_g1"]).get(url(household)).content.decode()
    assert 'data-testid="mismatches"' in body and measure.title in body


def test_plan_pages_by_role_and_area(login, users, household, plan):
    assert login(users["caseworker_g4"]).get(url(household)).status_code == 404
    assert login(users["officer"]).get(url(household)).status_code == 403
    auditor = login(users["auditor_province"])
    page = auditor.get(url(household)).content.decode()
    assert reverse("web:measure_from_entitlement", args=[plan.pk]) not in page and "稳定就业" in page
    assert auditor.post(reverse("web:measure_create", args=[plan.pk]), {}).status_code == 403
    assert login(users["caseworker_g4"]).post(reverse("web:measure_from_entitlement", args=[plan.pk]),
                                              {"code": "x"}).status_code == 404


def test_plan_page_query_count_does_not_grow_with_measures(login, users, household, plan,
                                                           django_assert_max_num_queries):
    for i in range(6):
        services.measure_create(actor=users["caseworker_g1"], plan=plan, kind="visit", title=f"走访{i}",
                                owner=users["caseworker_g1"], due_on=clock.today())
    client = login(users["caseworker_g1"])
    client.get(url(household))  # warm the parameter caches
    with django_assert_max_num_queries(30) as captured:
        client.get(url(household))
    few = len(captured)
    services.measure_create(actor=users["caseworker_g1"], plan=plan, kind="visit", title="再走访",
                            owner=users["caseworker_g1"], due_on=clock.today())
    with django_assert_max_num_queries(few):
        assert "再走访" in client.get(url(household)).content.decode()


def test_a_year_outside_the_plan_years_is_404(login, users, household, archived):
    client = login(users["caseworker_g1"])
    assert client.get(url(household)).status_code == 200
    for year in (0, 2018, 2101, 99999):
        assert client.get(url(household, year)).status_code == 404, year


def test_plans_exist_from_2019_to_next_year_only_and_pages_are_not_cached(login, users, household, archived):
    client = login(users["caseworker_g1"])
    for year in (2018, YEAR + 2, 2100):
        assert client.get(f"/households/{household.pk}/plans/{year}/").status_code == 404
    page = client.get(f"/households/{household.pk}/plans/{YEAR + 1}/")
    assert page.status_code == 200 and page["Cache-Control"] == "no-store, private"
