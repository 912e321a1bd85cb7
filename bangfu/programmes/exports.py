"""The round's Excel report (summary and lines) through the safe writer: accounts and ID numbers masked."""

from __future__ import annotations

from django.db import transaction
from openpyxl import Workbook

from bangfu.accounts.access import EXPORT
from bangfu.common.ids import mask_id_number
from bangfu.common.spreadsheets import append_row, cell, workbook_bytes

from .models import Line, Round, mask_account
from .selectors import round_report
from .services.common import audit, check_round

HEADER = ["家庭编号", "所属工会", "所属期", "纳入", "领款人", "身份证号码", "开户行", "账号", "规则金额(元)",
          "发放金额(元)", "状态", "说明", "调整原因", "银行返回说明"]


def _summary(ws, round_: Round, report: dict) -> None:
    append_row(ws, ["项目", round_.programme.name])
    append_row(ws, ["批次", f"第{round_.number}批 {round_.title}"])
    append_row(ws, ["发放工会", round_.union.name])
    append_row(ws, ["资金来源", report["fund_source"]])
    append_row(ws, ["状态", round_.get_state_display()])
    append_row(ws, [])
    append_row(ws, ["", "户数", "金额(元)"])
    for key, label in (("included", "纳入"), ("paid", "已发放"), ("failed", "发放失败"), ("open", "待发放")):
        ws.append([cell(ws, label), cell(ws, report[key]["count"]),
                   cell(ws, report[key]["total"], number_format="0.00")])
    ws.append([cell(ws, "台账入账"), cell(ws, report["ledger"]["count"]),
               cell(ws, report["ledger"]["total"], number_format="0.00")])
    append_row(ws, [])
    append_row(ws, ["未纳入原因", "户数"])
    for row in report["excluded"]:
        append_row(ws, [row["label"], row["count"]])
    append_row(ws, [])
    append_row(ws, ["工会", "纳入户数", "纳入金额(元)", "已发放金额(元)"])
    for row in report["by_union"]:
        append_row(ws, [row["union"], row["count"], row["total"], row["paid"]])


@transaction.atomic
def round_export(*, actor, round_: Round) -> bytes:
    """汇总 and 明细 sheets of one round; logged."""
    check_round(actor, round_, EXPORT)
    report = round_report(round_=round_)
    book = Workbook(write_only=True)
    _summary(book.create_sheet("汇总"), round_, report)
    ws = book.create_sheet("明细")
    append_row(ws, HEADER)
    lines = (Line.objects.filter(round=round_).select_related("household__union").order_by("id")
             .iterator(chunk_size=5000))
    for line in lines:
        append_row(ws, [line.household_id, line.household.union.name, line.period_key, "是" if line.included else "否",
                        line.payee_name, mask_id_number(line.payee_id_number), line.bank_name,
                        mask_account(line.account_number), line.computed_amount, line.amount,
                        line.get_state_display(), line.reason, line.adjust_reason, line.bank_reason])
    audit(actor, "round.export", round_, round_.union.path, after={"round": round_.pk})
    return workbook_bytes(book)
