"""A caseworker's day in the browser: log in, register a family of three, see its entitlements, export."""

from __future__ import annotations

import datetime
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_caseworker_logs_in_and_sees_the_start_page(page, users, make_household):
    make_household("g1")
    page.goto("/households/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/households/"))
    page.get_by_label("用户名").fill("caseworker_g1")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确")
    page.get_by_label("密码").fill("pw-for-tests-123")
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/households/$"))
    page.get_by_role("link", name="工作台").click()
    expect(page.get_by_test_id("count-total")).to_have_text("1")
    expect(page.locator("#chart canvas")).to_have_count(1)
    assert page.console_errors == []


def to_public_notice(household_id: int, caseworker, noticed) -> None:
    """Submitted, checked and noticed ten days ago by the service (`noticed`): the notice is over today."""
    from bangfu.cases import services
    from bangfu.registry.models import Household

    noticed(caseworker, services.case_open(actor=caseworker, household=Household.objects.get(pk=household_id)))


def fill_member(page, index: int, *, name: str, id_number: str, relation: str, employment: str = "none"):
    card = page.locator("[data-member]").nth(index)
    card.get_by_label("姓名").fill(name)
    card.get_by_label("身份证号码").fill(id_number)
    card.get_by_label("与职工本人关系").select_option(label=relation)
    card.get_by_label("就业状况").select_option(label=employment)
    return card


def test_register_a_family_of_three_with_a_school_child_and_see_the_entitlements(page, log_in, users, build, noticed):
    log_in(users["caseworker_g1"])
    page.keyboard.press("Alt+n")  # the documented shortcut to 登记家庭
    expect(page.get_by_role("heading", name="登记困难职工家庭")).to_be_visible()
    expect(page.get_by_label("家庭住址")).to_be_focused()
    page.get_by_label("家庭住址").fill("南京市玄武区珠江路88号3栋502室")
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("因病").check()
    page.get_by_label("因学").check()
    fill_member(page, 0, name="王强", id_number=build.id_number("320100", datetime.date(1982, 4, 2)),
                relation="本人", employment="登记失业")
    page.get_by_role("button", name=re.compile("添加一名家庭成员")).click()
    fill_member(page, 1, name="刘梅", id_number=build.id_number("320100", datetime.date(1984, 8, 9), "female"),
                relation="配偶", employment="在业")
    page.get_by_role("button", name=re.compile("添加一名家庭成员")).click()
    child = fill_member(page, 2, name="王小雨",
                        id_number=build.id_number("320102", datetime.date(2016, 3, 1), "female"),
                        relation="子女", employment="在校学生")
    child.get_by_text("就学情况").click()
    child.get_by_label("学段").select_option(label="小学")
    child.get_by_label("年级").fill("3")
    child.get_by_label("学校性质").select_option(label="公办")
    page.get_by_role("button", name=re.compile("保存")).click()

    expect(page.get_by_role("heading", name=re.compile(r"\d+号家庭档案"))).to_be_visible()
    file_url = page.url
    members = page.locator("table.members tbody tr")
    expect(members).to_have_count(3)
    expect(members.nth(2)).to_contain_text("小学3年级")
    entitlements = page.locator("#entitlements")
    expect(entitlements).to_contain_text("按申请类别")
    expect(entitlements).to_contain_text("义务教育家庭经济困难学生生活补助")
    expect(entitlements).to_contain_text("第14条")

    # The full ID number, on request, through htmx (a logged action).
    masked = members.nth(2).locator("td").nth(2)
    expect(masked).to_contain_text("**********")
    members.nth(2).get_by_role("button", name=re.compile("显示")).click()
    expect(masked.locator(".id-full")).to_have_text(re.compile(r"^320102\d{11}[\dX]$"))

    # Submitted, checked and noticed (the case journey does these in the browser); the county's reviewer approves
    # it in the case panel, and the entitlements are now the household's own.
    to_public_notice(int(re.search(r"/households/(\d+)/", file_url).group(1)), users["caseworker_g1"], noticed)
    log_in(users["reviewer_xuanwu"])
    page.goto(file_url)
    archive = page.get_by_test_id("move-archive")
    archive.get_by_label("核定类别").select_option(label="困难职工家庭")
    archive.get_by_role("button", name=re.compile("审批建档")).click()
    expect(page.get_by_role("alert").first).to_contain_text("已审批建档")
    expect(entitlements).not_to_contain_text("按申请类别")
    row = entitlements.locator("tr", has_text="义务教育家庭经济困难学生生活补助")
    expect(row).to_contain_text("王小雨")
    expect(row).to_contain_text("1,250.00 元")  # the national base standard raised in 2024 (issue 9)
    expect(row).to_contain_text("可向当地教育部门申请")
    expect(page.get_by_test_id("total-cash")).to_contain_text("元")
    assert page.console_errors == []


def test_a_caseworker_of_another_county_cannot_open_the_file(page, log_in, users, make_household):
    household = make_household("g1")
    log_in(users["caseworker_g4"])
    response = page.goto(f"/households/{household.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="未找到")).to_be_visible()
    page.goto("/households/")
    expect(page.get_by_test_id("total")).to_have_text("0")


def test_export_the_list(page, log_in, users, make_household, tmp_path):
    mine = make_household("g1", hardship_causes=["illness"])
    make_household("g1", hardship_causes=["disaster"])
    make_household("g4")
    log_in(users["caseworker_g1"])
    page.goto("/households/")
    expect(page.get_by_test_id("total")).to_have_text("2")
    page.get_by_label("致困原因").select_option(label="因病")
    expect(page.get_by_test_id("total")).to_have_text("1")  # htmx swapped the results in
    with page.expect_download() as info:
        page.get_by_test_id("export").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    workbook = load_workbook(saved)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("档案编号", "职工姓名", "身份证号码")
    assert [r[0] for r in rows[1:]] == [mine.pk]
    assert re.fullmatch(r"\d{4}\*{10}[\dX]{4}", rows[1][2])
