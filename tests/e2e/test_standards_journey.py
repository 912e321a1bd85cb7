"""An administrator confirms Nanjing's electricity price in the browser, a second administrator approves it, and the
household's entitlements use it (issue 9, item 5)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_confirm_an_illustrative_price_with_a_second_administrator(page, log_in, users, make_household):
    from bangfu.cases.services import case_take_over

    household = make_household()
    case_take_over(actor=users["reviewer_xuanwu"], household=household, category="extreme_hardship")
    household.refresh_from_db()
    log_in(users["admin_nanjing"])
    page.get_by_role("link", name="政策标准").click()
    expect(page.get_by_role("heading", name="政策标准")).to_be_visible()
    page.get_by_label("只看含示例值的参数").check()
    page.get_by_role("button", name="查询").click()
    page.get_by_role("link", name="居民生活用电第一档电价").click()
    row = page.get_by_test_id("value-320000-20190110")
    expect(row).to_contain_text("示例值(待确认)")
    row.get_by_role("link", name="确认").click()
    form = page.locator("#propose")
    expect(form.get_by_label("数值")).to_have_value("0.5283")
    form.get_by_label("适用地区").select_option("320100")
    form.get_by_label("起始日期").fill("2024-01-01")
    form.get_by_label("数值").fill("0.6")
    form.get_by_role("button", name="提交审批").click()
    expect(page.get_by_role("alert").or_(page.locator(".invalid-feedback")).first).to_contain_text("必填")
    form = page.locator("#propose")
    form.get_by_label("依据文件").fill("南京市发展改革委关于居民生活用电价格的通知")
    form.get_by_role("button", name="提交审批").click()
    expect(page.get_by_text("已提交,待另一名管理员审批后生效。")).to_be_visible()
    expect(page.locator("[data-testid^=standard-request-]")).to_contain_text("待另一名管理员审批")

    log_in(users["admin_province"])
    page.goto("/standards/")
    pending = page.locator("[data-testid^=standard-request-]")
    expect(pending).to_contain_text("南京市发展改革委关于居民生活用电价格的通知")
    pending.get_by_role("button", name="审批通过").click()
    expect(page.get_by_text("已审批通过")).to_be_visible()

    page.goto(f"/households/{household.pk}/")
    expect(page.get_by_test_id("entitlements-json")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_test_id("entitlements-json").click()
    answer = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    electricity = next(b for b in answer["benefits"] if b["code"] == "living.free_electricity")
    assert electricity["details"]["price"] == 0.6 and electricity["amount"] == 108.0
    expect(page.locator("table.entitlements")).to_contain_text(re.compile(r"108\.00"))
    assert page.console_errors == []
