"""An administrator drafts "Nanjing 低保 1,050 from next month", sees the difference and the cost, saves it; a second
administrator turns it into a standard; the re-computation runs and the caseworker's task list shows the household
that changed (issue 14, done-when); the report page draws its charts without a console error."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from bangfu.common import clock

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def next_month() -> datetime.date:
    today = clock.today()
    return (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


@pytest.fixture
def unable(make_household, build):
    """An archived 南京 household whose only adult cannot work (Article 2's gap to the 低保 line)."""
    from bangfu.cases.models import Case
    from bangfu.registry.models import Household

    h = make_household("g1", members=[build.member("self", region="320100", work_ability="none")])
    Household.objects.filter(pk=h.pk).update(status="archived", verified_category="extreme_hardship")
    Case.objects.create(household=h, state="archived", category="extreme_hardship",
                        archived_on=clock.today() - datetime.timedelta(days=30),
                        next_review_on=clock.today() + datetime.timedelta(days=300))
    return h


def test_draft_save_standard_recompute_task_list(page, log_in, users, unable):
    start = next_month()
    log_in(users["admin_nanjing"])
    page.get_by_role("link", name="统计报表").click()
    expect(page.get_by_role("heading", name="统计报表")).to_be_visible()
    expect(page.locator("[data-chart=cause] svg")).to_be_visible()  # ECharts drew the chart (vendored, CSP-clean)
    page.get_by_role("link", name="标准调整测算(假设)").click()
    page.get_by_label("方案名称").fill("南京低保1050")
    page.get_by_label("参数").select_option("sync.dibao.standard")
    page.get_by_label("适用地区").select_option("320100")
    page.get_by_label("起始日期").fill(start.isoformat())
    page.get_by_label("数值").fill("1050")
    page.get_by_role("button", name="测算", exact=True).click()
    expect(page.get_by_test_id("whatif-changed")).to_contain_text("/ 1")
    expect(page.get_by_test_id("whatif-cost")).to_contain_text("1800.00")
    page.get_by_role("button", name="测算并保存").click()
    expect(page.get_by_role("alert")).to_contain_text("测算方案已保存")
    page.get_by_label("依据文件").fill("宁民发〔2026〕1号 关于调整城市低保标准的通知")
    page.get_by_role("button", name="转为政策标准").click()
    expect(page.get_by_role("alert")).to_contain_text("已转为政策标准审批")

    log_in(users["admin_province"])
    page.goto("/standards/")
    pending = page.locator("[data-testid^=standard-request-]")
    expect(pending).to_contain_text("宁民发〔2026〕1号")
    pending.get_by_role("button", name="审批通过").click()
    expect(page.get_by_role("alert")).to_contain_text("在档家庭正按新标准重新测算")

    log_in(users["caseworker_g1"])
    page.goto("/reports/recomputations/")
    expect(page.get_by_test_id("recomputations")).to_contain_text("已完成")
    page.get_by_test_id("recomputations").get_by_role("link").first.click()
    tasks = page.get_by_test_id("recompute-tasks")
    expect(tasks).to_contain_text(f"{unable.pk}号")
    expect(tasks).to_contain_text("1800.00")
    expect(tasks).to_contain_text("金额增加")
    tasks.get_by_role("button", name="标记已核对").first.click()
    expect(page.get_by_role("alert")).to_contain_text("已标记核对完成")
    expect(page.get_by_test_id("recompute-tasks")).to_contain_text("已核对")
    assert page.console_errors == []
