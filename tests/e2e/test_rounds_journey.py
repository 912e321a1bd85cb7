"""A 送温暖 round in the browser: the county caseworker prepares it, adjusts a line and submits; the reviewer
approves; the bank file is downloaded and the bank's return file (one failed line) uploaded; the ledger, the
measure and the file show the payments; the failed household goes into the next round."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from bangfu.cases import services as cases
from bangfu.common.spreadsheets import csv_bytes
from bangfu.programmes import services
from bangfu.programmes.bankfiles import DEFAULT_COLUMNS
from bangfu.programmes.models import BankFormat

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting(users, make_user, make_household, orgs, noticed):
    """Three archived households of 玄武区 with bank cards, one with a 走访慰问 measure in this year's plan."""
    from stdnum import luhn

    today = timezone.localdate()
    cw = make_user("caseworker", "xuanwu", "caseworker_xuanwu")
    made = []
    for i, union in enumerate(("g1", "g1", "g2")):
        actor = users["caseworker_g1" if union == "g1" else "caseworker_g2"]
        household = make_household(union, actor=actor)
        case = noticed(actor, cases.case_open(actor=actor, household=household))
        case = cases.case_archive(actor=users["reviewer_xuanwu"], case=case, version=case.version, category="hardship")
        household.refresh_from_db()
        body = f"62220202{i:010d}"
        services.payee_set(actor=actor, household=household, member=household.members.get(relation="self"),
                           bank_name="工商银行玄武支行", account_number=body + luhn.calc_check_digit(body))
        made.append(household)
    plan = cases.plan_create(actor=users["caseworker_g1"], case=made[0].cases.get(), year=today.year)
    measure = cases.measure_create(actor=users["caseworker_g1"], plan=plan, kind="visit", title="春节送温暖慰问",
                                   owner=users["caseworker_g1"], due_on=today + datetime.timedelta(days=30))
    fmt = BankFormat.objects.get_or_create(code="generic", defaults={  # a flush removed the migration's row
        "name": "通用代发格式", "encoding": "utf-8", "columns": DEFAULT_COLUMNS})[0]
    programme = services.programme_create(actor=users["admin_nanjing"], union=orgs["nanjing"], name="春节送温暖",
                                          kind="send_warmth", fund_source="union_funds", bank_format=fmt)
    return {"caseworker": cw, "households": made, "measure": measure, "programme": programme}


def test_a_warmth_round_from_list_to_ledger(page, log_in, users, setting):
    a, b, c = setting["households"]
    programme = setting["programme"]

    # The county caseworker draws up the list and raises one line.
    log_in(setting["caseworker"])
    page.goto(f"/programmes/{programme.pk}/")
    page.get_by_label("发放工会(本工会范围)").select_option(label="南京市玄武区总工会")
    page.get_by_label("批次名称").fill("玄武区春节送温暖")
    page.get_by_role("button", name="生成发放名单").click()
    expect(page.get_by_test_id("sum-included")).to_contain_text("3户")
    row = page.get_by_test_id(f"line-{a.pk}")
    expect(row).to_contain_text("困难职工家庭送温暖慰问金500.00元")
    row.get_by_label("发放金额").fill("600")
    row.get_by_label("调整原因").fill("家中新增大病患者,酌情增发")
    row.get_by_role("button", name="调整").click()
    expect(page.get_by_test_id(f"line-{a.pk}")).to_contain_text("调整:家中新增大病患者")
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_test_id("round-state")).to_have_text("待审核")

    # The reviewer finds it on the start page and approves.
    log_in(users["reviewer_xuanwu"])
    page.get_by_role("link", name="春节送温暖第1批 · 玄武区春节送温暖").click()
    page.get_by_role("button", name="审核通过").click()
    expect(page.get_by_test_id("round-state")).to_have_text("已审核待发放")

    # The caseworker downloads the bank file and uploads the bank's answer: b failed.
    log_in(setting["caseworker"])
    page.goto(f"/programmes/{programme.pk}/")
    page.get_by_role("link", name="第1批 · 玄武区春节送温暖").click()
    with page.expect_download() as download:
        page.get_by_test_id("bank-xlsx").click()
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header, body = rows[0], [r for r in rows[1:] if r[0] not in ("合计", "校验码")]
    assert len(body) == 3 and str(rows[-2][2]) == "1600.00"
    b_account = b.payee.account_number
    back = csv_bytes([*header, "状态", "说明"],
                     [[*r, "失败" if r[2] == b_account else "成功", "账户已销户" if r[2] == b_account else ""]
                      for r in body])
    page.get_by_label("银行回盘文件(.xlsx 或 .csv,UTF-8 或 GBK)").set_input_files(
        files=[{"name": "回盘.csv", "mimeType": "text/csv", "buffer": back}])
    page.get_by_role("button", name="导入回盘对账").click()
    expect(page.get_by_role("alert").first).to_contain_text("成功2户")
    expect(page.get_by_test_id("sum-paid")).to_contain_text("2户")
    expect(page.get_by_test_id("sum-failed")).to_contain_text("1户")

    # The ledger, the measure and the file show the payment.
    log_in(users["caseworker_g1"])
    page.goto(f"/households/{a.pk}/ledger/")
    expect(page.locator("body")).to_contain_text("春节送温暖第1批")
    expect(page.locator("body")).to_contain_text("600.00")
    page.goto(f"/households/{a.pk}/plans/{timezone.localdate().year}/")
    expect(page.locator("body")).to_contain_text("已完成")
    page.goto(f"/households/{a.pk}/")
    expect(page.get_by_test_id(f"file-round-{a.payment_lines.get().round_id}")).to_contain_text("已发放")

    # The failed household goes into the next round.
    log_in(setting["caseworker"])
    page.goto(f"/programmes/{programme.pk}/")
    page.get_by_label("发放工会(本工会范围)").select_option(label="南京市玄武区总工会")
    page.get_by_label("批次名称").fill("补发")
    page.get_by_role("button", name="生成发放名单").click()
    expect(page.get_by_test_id("sum-included")).to_contain_text("1户")
    expect(page.get_by_test_id(f"line-{b.pk}")).to_contain_text("转入本批次")
    assert not page.console_errors, page.console_errors
