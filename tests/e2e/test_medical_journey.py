"""Two bills of one member in a year: the second settles with the year's 大病 threshold already reached, and its
结算单 prints with every layer, the family's share and the signature lines."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def record_bill(page, household_id: int, hospital: str, total: str, in_scope: str) -> None:
    page.goto(f"/households/{household_id}/")
    page.get_by_role("link", name="录入医疗费用单据").click()
    page.get_by_label("医院名称").fill(hospital)
    page.get_by_label("医院等级").select_option("tertiary")
    page.get_by_label("参保类型").select_option("resident")
    page.get_by_label("医疗总费用(元)").fill(total)
    page.get_by_label("政策范围内费用(元)").fill(in_scope)
    page.get_by_role("button", name="保存并结算").click()
    page.wait_for_url(re.compile(r".*/medical-bills/\d+/$"))


def test_two_bills_chain_and_the_second_prints(page, log_in, users, make_household):
    from bangfu.cases.services import case_take_over

    household = case_take_over(actor=users["reviewer_xuanwu"], household=make_household("g1"),
                               category="hardship").household
    log_in(users["caseworker_g1"])

    record_bill(page, household.pk, "南京鼓楼医院", "80000", "60000")
    expect(page.get_by_role("heading", name="困难职工家庭医疗费用一站式结算单")).to_be_visible()
    expect(page.locator("#family-share")).to_have_text("32,452.50 元")
    expect(page.locator("#critical-base")).to_have_text("21,650.00 元")

    record_bill(page, household.pk, "江苏省人民医院", "12000", "10000")
    layers = page.locator("#settlement-layers")
    critical = layers.locator("tr", has_text="城乡居民大病保险")
    # 4150 left after basic insurance, all above the halved threshold the first bill already passed: 65 %
    expect(critical).to_contain_text("2,697.50 元")
    expect(critical).to_contain_text("由21650元增至25800元")
    expect(critical).to_contain_text("第7条")
    expect(layers.locator("tbody tr")).to_have_count(5)
    expect(page.locator("#family-share")).to_have_text("3,452.50 元")
    # the ordinary patient beside, with the same first bill: 4150 above 15000 at 60 %
    expect(critical.locator("td").nth(4)).to_have_text("2,490.00 元")

    page.evaluate("window.print = () => { window.__printed = true; }")
    page.get_by_role("button", name="打印").click()
    assert page.evaluate("window.__printed") is True
    page.emulate_media(media="print")
    expect(page.get_by_text("患者或家属(签字)")).to_be_visible()
    expect(page.get_by_role("button", name="打印")).to_be_hidden()

    page.emulate_media(media="screen")
    page.goto(f"/households/{household.pk}/")
    expect(page.locator("#medical-bills tbody tr")).to_have_count(2)
    expect(page.locator("#medical-family-share")).to_have_text("35,905.00 元")
    assert page.console_errors == []
