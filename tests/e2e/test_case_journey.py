"""From application to the first payment in the browser: submit, verify, archive (four eyes), plan, measures,
a payment approved by a second person, and the auditor's view of all of it."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from bangfu.common import clock

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def panel(page):
    return page.locator("#case-panel")


def expect_state(page, label: str):
    expect(page.get_by_test_id("case-state")).to_have_text(label)


def test_submit_verify_archive_plan_pay_approve_audit(page, log_in, users, make_household, time_machine):
    household = make_household("g1")
    file_url = f"/households/{household.pk}/"
    today = clock.today()

    # The caseworker submits the application.
    log_in(users["caseworker_g1"])
    page.goto(file_url)
    expect_state(page, "申请")
    submit = panel(page).get_by_test_id("move-submit")
    submit.get_by_label("说明(可选)").fill("职工本人申请")
    submit.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("alert").first).to_contain_text("已提交申请")
    expect_state(page, "待核查")
    expect(panel(page).get_by_test_id("move-archive")).to_have_count(0)

    # The county's reviewer verifies: starts the check and records the home visit with the signed authorisation.
    log_in(users["reviewer_xuanwu"])
    page.goto(file_url)
    panel(page).get_by_role("button", name="开始核查").click()
    expect_state(page, "核查中")
    visit = panel(page).get_by_test_id("move-record_visit")
    visit.get_by_label("入户核查记录").fill("入户走访,家庭情况属实")
    visit.get_by_role("button", name="登记入户核查").click()
    expect(page.get_by_role("alert").first).to_contain_text("已登记入户核查")
    expect(panel(page).locator("table.case-events")).to_contain_text("入户走访,家庭情况属实")

    # The caseworker posts the public notice: a date before the application is refused on its field.
    log_in(users["caseworker_g1"])
    page.goto(file_url)
    notice = panel(page).get_by_test_id("move-start_notice")
    notice.get_by_label("公示开始日期").fill((today - datetime.timedelta(days=10)).isoformat())
    notice.get_by_label("公示结束日期").fill((today - datetime.timedelta(days=1)).isoformat())
    notice.get_by_role("button", name="开始公示").click()
    expect(panel(page)).to_contain_text("公示开始日期不能早于申请提交日期")
    expect_state(page, "核查中")
    assert [e for e in page.console_errors if "422" not in e] == []
    page.console_errors.clear()  # the refusal's own 422, expected; any other error still fails the test below
    page.goto(file_url)
    notice = panel(page).get_by_test_id("move-start_notice")
    notice.get_by_label("公示开始日期").fill(today.isoformat())
    notice.get_by_label("公示结束日期").fill((today + datetime.timedelta(days=6)).isoformat())
    notice.get_by_role("button", name="开始公示").click()
    expect_state(page, "公示中")

    # The reviewer may not approve while the notice runs; the day after it ends, he approves: the household is
    # archived with its verified category.
    log_in(users["reviewer_xuanwu"])
    page.goto(file_url)
    expect(panel(page).get_by_test_id("blocked-archive")).to_contain_text("公示期满后方可审批建档")
    time_machine.move_to(clock.now() + datetime.timedelta(days=7))
    today = clock.today()
    log_in(users["reviewer_xuanwu"])
    page.goto(file_url)
    archive = panel(page).get_by_test_id("move-archive")
    archive.get_by_label("核定类别").select_option(label="困难职工家庭")
    archive.get_by_role("button", name=re.compile("审批建档")).click()
    expect_state(page, "已建档")
    expect(page.locator("h1")).to_contain_text("困难职工家庭")
    expect(panel(page).locator("table.case-events tbody tr")).to_have_count(6)

    # The caseworker makes this year's plan and turns two entitlements into measures.
    log_in(users["caseworker_g1"])
    page.goto(file_url)
    panel(page).get_by_role("link", name=f"{today.year}年帮扶计划").click()
    page.get_by_label("帮扶目标").fill("年内实现稳定就业")
    page.get_by_role("button", name=re.compile("建立.*帮扶计划")).click()
    expect(page.get_by_role("alert").first).to_contain_text("帮扶计划已保存")
    for _ in range(2):
        page.get_by_role("button", name=re.compile("^转为措施")).first.click()
        expect(page.get_by_role("alert").first).to_contain_text("已转为措施")
    measures = page.locator("table.measures tbody tr")
    expect(measures).to_have_count(2)
    first_measure = measures.first.locator(".fw-semibold").inner_text()

    # … and records a payment against the first measure.
    page.get_by_role("link", name="本户资金台账").click()
    page.get_by_label("帮扶措施").select_option(index=1)
    page.get_by_label("金额(元;实物填折合金额)").fill("800")
    page.get_by_label("资金来源").select_option(label="工会经费")
    page.get_by_label("事项").fill("困难职工生活救助")
    page.get_by_role("button", name=re.compile("^登记")).click()
    expect(page.get_by_role("alert").first).to_contain_text("待审核人审核")
    expect(page.get_by_test_id("ledger-total")).to_have_text("0.00 元")

    # The reviewer approves it into the ledger.
    log_in(users["reviewer_xuanwu"])
    page.goto(f"/households/{household.pk}/ledger/")
    page.get_by_role("button", name="审核入账").click()
    expect(page.get_by_role("alert").first).to_contain_text("已审核入账")
    expect(page.get_by_test_id("ledger-total")).to_have_text("800.00 元")
    expect(page.locator("table.ledger")).to_contain_text(first_measure)

    # The auditor sees all of it in the audit log.
    log_in(users["auditor_province"])
    page.get_by_role("link", name="审计日志").click()
    page.get_by_label("对象类型").select_option(label="帮扶档案流转、计划与措施")
    results = page.locator("#results")
    for action in ("case.submit", "case.start_verification", "case.record_visit", "case.start_notice",
                   "case.archive", "plan.create", "measure.create"):
        expect(results).to_contain_text(action)
    page.get_by_label("对象类型").select_option(label="资金台账")
    expect(results).to_contain_text("ledger.request")
    expect(results).to_contain_text("ledger.approve")
    assert page.console_errors == []
