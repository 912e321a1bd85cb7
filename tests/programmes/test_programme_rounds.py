"""Rounds end to end against the database: prepare, adjust, submit, approve, bank file, return file, ledger."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from programme_helpers import approve, lines_of, preset, return_csv

from bangfu.audit.models import AuditEntry
from bangfu.common.errors import AccessDenied, Conflict, ValidationFailed
from bangfu.ledger.models import LedgerEntry
from bangfu.programmes import bankfiles, services
from bangfu.programmes.models import Exclusion, LineState, RoundState
from bangfu.programmes.selectors import round_report


def test_preparing_includes_with_the_rule_reason_and_leaves_out_with_why(prepared, area):
    lines = lines_of(prepared)
    assert lines[area["a"].pk].included and lines[area["a"].pk].amount == Decimal("500.00")
    assert "困难职工家庭送温暖慰问金500.00元" in lines[area["a"].pk].reason
    assert lines[area["x"].pk].amount == Decimal("1000.00")
    assert lines[area["no_account"].pk].exclusion == Exclusion.NO_ACCOUNT
    assert lines[area["draft"].pk].exclusion == Exclusion.NOT_ARCHIVED
    assert AuditEntry.objects.filter(action="round.prepare", object_id=str(prepared.pk)).exists()


def test_a_household_in_another_round_of_the_period_is_left_out(prepared, warmth, orgs, staff, area, today):
    other = services.round_create(actor=staff["admin_nanjing"], programme=warmth, union=orgs["nanjing"],
                                  paid_on=today)
    assert lines_of(other)[area["a"].pk].exclusion == Exclusion.PAID_ELSEWHERE


def test_an_adjustment_needs_a_reason_and_is_audited(prepared, staff, area):
    line = lines_of(prepared)[area["a"].pk]
    with pytest.raises(ValidationFailed):
        services.line_adjust(actor=staff["caseworker_xuanwu"], line=line, version=line.version, reason="",
                             amount="600")
    line = services.line_adjust(actor=staff["caseworker_xuanwu"], line=line, version=line.version,
                                reason="家中新增病患,酌情增发", amount="600")
    assert line.amount == Decimal("600.00") and line.computed_amount == Decimal("500.00")
    assert AuditEntry.objects.filter(action="round.line_adjust").exists()


def test_the_preparer_cannot_approve_and_approval_writes_nothing_to_the_ledger(prepared, staff):
    round_ = services.round_submit(actor=staff["caseworker_xuanwu"], round_=prepared, version=prepared.version)
    assert round_.approver_union.code == "320102"
    with pytest.raises(AccessDenied):
        services.round_approve(actor=staff["caseworker_xuanwu"], round_=round_, version=round_.version)
    round_, warnings = services.round_approve(actor=staff["reviewer_xuanwu"], round_=round_, version=round_.version)
    assert round_.state == RoundState.APPROVED and warnings == []
    assert LedgerEntry.objects.count() == 0


def test_a_dead_end_goes_up_to_the_city(prepared, staff):
    """The county's only reviewer submitted: nobody else in the county may approve, the city reviewer does."""
    round_ = services.round_submit(actor=staff["reviewer_xuanwu"], round_=prepared, version=prepared.version)
    assert round_.approver_union.code == "320100"
    with pytest.raises(AccessDenied):
        services.round_approve(actor=staff["reviewer_xuanwu"], round_=round_, version=round_.version)
    round_, _ = services.round_approve(actor=staff["reviewer_nanjing"], round_=round_, version=round_.version)
    assert round_.approved_by == staff["reviewer_nanjing"]


def test_a_city_reviewer_may_not_jump_a_county_that_has_its_own_reviewer(prepared, staff):
    round_ = services.round_submit(actor=staff["caseworker_xuanwu"], round_=prepared, version=prepared.version)
    with pytest.raises(AccessDenied):
        services.round_approve(actor=staff["reviewer_nanjing"], round_=round_, version=round_.version)


def test_the_budget_warns_or_refuses_as_set(prepared, warmth, staff, orgs):
    from bangfu.ledger.services import budget_set

    budget_set(actor=staff["admin_nanjing"], union=orgs["xuanwu"], fund_source="union_funds", year=prepared.paid_on.year,
               amount="1000")
    round_ = services.round_submit(actor=staff["caseworker_xuanwu"], round_=prepared, version=prepared.version)
    round_, warnings = services.round_approve(actor=staff["reviewer_xuanwu"], round_=round_, version=round_.version)
    assert warnings and "超出预算" in warnings[0]
    warmth.budget, warmth.refuse_over_budget = Decimal("100"), True
    warmth.save()
    other = services.round_create(actor=staff["caseworker_xuanwu"], programme=warmth, union=staff[
        "caseworker_xuanwu"].organisation, paid_on=prepared.paid_on, period_day=prepared.paid_on.replace(
        year=prepared.paid_on.year + 1))
    other = services.round_submit(actor=staff["caseworker_xuanwu"], round_=other, version=other.version)
    with pytest.raises(ValidationFailed, match="不得超支"):
        services.round_approve(actor=staff["reviewer_xuanwu"], round_=other, version=other.version)


def test_bank_file_return_file_ledger_and_the_failed_line_in_the_next_round(prepared, staff, area, warmth, orgs,
                                                                           today):
    round_ = approve(prepared, staff)
    content, name = services.round_bank_file(actor=staff["caseworker_xuanwu"], round_=round_, kind="xlsx")
    assert name.endswith(".xlsx") and content[:2] == b"PK"
    record = services.round_reconcile(actor=staff["caseworker_xuanwu"], round_=round_,
                                      content=return_csv(round_, {area["b"].pk: "账户已销户"}), file_name="back.csv")
    assert (record.paid, record.failed, record.errors) == (2, 1, 0)
    lines = lines_of(round_)
    assert lines[area["a"].pk].state == LineState.PAID and lines[area["b"].pk].state == LineState.FAILED
    entry = lines[area["a"].pk].entry
    assert entry.approved_by == staff["reviewer_xuanwu"] and entry.recorded_by == staff["caseworker_xuanwu"]
    assert entry.fund_source == "union_funds" and "送温暖" in entry.description
    report = round_report(round_=round_)
    assert report["paid"]["total"] == report["ledger"]["total"] == Decimal("1500.00")
    # the failed household goes into the next round of the same period, the paid ones do not
    nxt = services.round_create(actor=staff["caseworker_xuanwu"], programme=warmth, union=orgs["xuanwu"],
                                paid_on=today)
    again = lines_of(nxt)
    assert again[area["b"].pk].included and again[area["b"].pk].carried_from_id == lines[area["b"].pk].pk
    assert again[area["a"].pk].exclusion == Exclusion.PAID_ELSEWHERE


def test_a_return_file_with_unknown_duplicated_and_wrong_amount_rows(prepared, staff, area):
    round_ = approve(prepared, staff)
    line = lines_of(round_)[area["a"].pk]
    extra = [["BF999-1", "6222", "某人", "500.00", "成功", ""],
             [bankfiles.line_ref(line), line.account_number, line.payee_name, "500.00", "成功", ""],
             [bankfiles.line_ref(lines_of(round_)[area["x"].pk]), "", "", "999.00", "成功", ""]]
    content = return_csv(round_, {}, extra=extra, skip={area["x"].pk})
    record = services.round_reconcile(actor=staff["caseworker_xuanwu"], round_=round_, content=content,
                                      file_name="back.csv")
    assert record.errors == 3
    assert LedgerEntry.objects.count() == record.paid == 2

    assert record.result_name.endswith(".csv")  # a CSV return gets a CSV result
    rows = bankfiles.read_table(bytes(record.result), record.result_name)
    assert rows[0][-1] == "错误"
    errors = [r[-1] for r in rows[1:] if r[-1]]
    assert any("未找到" in e for e in errors) and any("重复" in e for e in errors) and any("金额" in e for e in errors)
    # the same file again: every row refused, nothing paid twice
    again = services.round_reconcile(actor=staff["caseworker_xuanwu"], round_=round_, content=content,
                                     file_name="back.csv")
    assert again.paid == 0 and again.errors == 5
    assert LedgerEntry.objects.count() == 2


def test_a_gbk_bank_file_round_trips(prepared, staff, area, warmth):
    warmth.bank_format = preset("icbc-js")
    warmth.save()
    round_ = approve(prepared, staff)
    round_.programme.refresh_from_db()
    content, _ = services.round_bank_file(actor=staff["caseworker_xuanwu"], round_=round_, kind="csv")
    text = content.decode("gbk")
    assert "户名" in text and "合计" in text and "校验码" in text
    table = bankfiles.read_table(content, "x.csv")
    header = [*table[0], "状态"]
    rows = [[*r, "成功"] for r in table[1:] if r[0] not in ("合计", "校验码")]
    from bangfu.common.spreadsheets import csv_bytes

    back = csv_bytes(header, rows, encoding="gbk")
    record = services.round_reconcile(actor=staff["caseworker_xuanwu"], round_=round_, content=back,
                                      file_name="back.csv")
    assert (record.paid, record.errors) == (3, 0)


def test_an_account_must_pass_luhn_and_is_masked(users, area):
    with pytest.raises(ValidationFailed, match="校验位"):
        services.clean_account("6222020200112233447", "card")
    payee = area["a"].payee
    assert "*" in str(payee) and payee.account_number not in str(payee)
    number = services.payee_reveal_account(actor=users["caseworker_g1"], payee=payee)
    assert number == payee.account_number
    assert AuditEntry.objects.filter(action="payee.reveal_account").exists()


def test_outside_the_area_a_round_does_not_exist(prepared, users):
    from bangfu.common.errors import NotFound

    with pytest.raises(NotFound):
        services.round_submit(actor=users["caseworker_g4"], round_=prepared, version=prepared.version)


def test_a_stale_adjustment_is_refused(prepared, staff, area):
    line = lines_of(prepared)[area["a"].pk]
    services.line_adjust(actor=staff["caseworker_xuanwu"], line=line, version=line.version, reason="核减", amount="400")
    with pytest.raises((ValidationFailed, Conflict)):
        services.line_adjust(actor=staff["caseworker_xuanwu"], line=line, version=line.version, reason="再调",
                             amount="300")


def test_education_aid_pays_the_engines_school_benefits(orgs, staff, area, today):
    """The fixture's households have a primary-school child: 义务教育家庭经济困难学生生活补助 (Article 14)."""
    school = services.programme_create(actor=staff["admin_nanjing"], union=orgs["nanjing"], name="金秋助学",
                                       kind="education_aid", fund_source="fiscal", bank_format=preset("generic"))
    round_ = services.round_create(actor=staff["caseworker_xuanwu"], programme=school, union=orgs["xuanwu"],
                                   paid_on=today)
    line = lines_of(round_)[area["a"].pk]
    assert line.included and line.amount > 0 and "第14条" in line.reason


def test_goods_are_signed_for_not_banked(orgs, staff, area, today, login):
    goods = services.programme_create(actor=staff["admin_nanjing"], union=orgs["nanjing"], name="春节米油",
                                      kind="custom", fixed_amount="150", fund_source="charity", delivery="goods",
                                      goods_description="大米10公斤、食用油5升")
    round_ = services.round_create(actor=staff["caseworker_xuanwu"], programme=goods, union=orgs["xuanwu"],
                                   paid_on=today)
    lines = lines_of(round_)
    assert lines[area["no_account"].pk].included  # no bank account needed for goods
    round_ = approve(round_, staff)
    with pytest.raises(ValidationFailed):
        services.round_bank_file(actor=staff["caseworker_xuanwu"], round_=round_)
    sheet = login(staff["caseworker_xuanwu"]).get(f"/rounds/{round_.pk}/sign-sheet/").content.decode()
    worker = area["a"].members.get(relation="self")
    assert worker.name in sheet and worker.id_number not in sheet and worker.id_number[-4:] in sheet
    done = services.round_record_delivery(actor=staff["caseworker_xuanwu"], round_=round_,
                                          failed={lines[area["b"].pk].pk: "外出务工未领取"})
    assert done["paid"] == 3 and done["failed"] == 1
    entry = LedgerEntry.objects.filter(kind="goods").first()
    assert entry.goods_description == "大米10公斤、食用油5升" and entry.fund_source == "charity"


def test_a_discarded_draft_frees_its_households(prepared, warmth, orgs, staff, area, today):
    from bangfu.programmes.models import Round

    services.round_discard(actor=staff["caseworker_xuanwu"], round_=prepared, version=prepared.version)
    assert not Round.objects.filter(pk=prepared.pk).exists()
    assert AuditEntry.objects.filter(action="round.discard").exists()
    again = services.round_create(actor=staff["admin_nanjing"], programme=warmth, union=orgs["nanjing"], paid_on=today)
    assert lines_of(again)[area["a"].pk].included


def test_bank_file_cells_are_never_formulas_and_end_with_totals_and_checksum():
    from types import SimpleNamespace

    from bangfu.programmes.models import BankFormat

    lines = [SimpleNamespace(pk=i, round_id=9, amount=Decimal("500.00"), account_number="6222020200112233446",
                             payee_name="=HYPERLINK(\"http://x\")" if i == 1 else "张伟", bank_name="@SUM(A1)",
                             payee_id_number="") for i in (1, 2)]
    fmt = BankFormat(code="t", name="t", encoding="utf-8", columns=bankfiles.DEFAULT_COLUMNS)
    book = load_workbook(io.BytesIO(bankfiles.bank_file(lines, fmt, "送温暖")))
    cells = [c for row in book.active.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    assert rows[-2][:3] == ["合计", 2, "1000.00"] and rows[-1][0] == "校验码" and len(rows[-1][1]) == 64
    text = bankfiles.bank_file(lines, fmt, "送温暖", "csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM" in text
