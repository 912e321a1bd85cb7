"""Excel export of the ledger in a finance office's layout: title, numbered rows, masked ID numbers, totals row."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import OuterRef, Subquery
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from bangfu.accounts.access import EXPORT, require
from bangfu.audit.services import audit_log, filters_for_audit
from bangfu.common import clock
from bangfu.common.ids import mask_id_number
from bangfu.common.spreadsheets import append_row, workbook_bytes
from bangfu.registry.models import Member

from .models import FundSource
from .selectors import entry_list

HEADERS = ["序号", "日期", "户主", "身份证号", "事项", "资金来源", "金额", "经办人", "审核人"]
WIDTHS = [6, 12, 10, 22, 36, 14, 14, 10, 10]
MONEY = "#,##0.00"
MAX_ROWS = 100_000
SOURCES = dict(FundSource.choices)
THIN = Border(*(Side(style="thin"),) * 4)


def _rows(user, filters: dict):
    worker = Member.objects.filter(household=OuterRef("household_id"), relation="self", removed=False)
    qs = (entry_list(user=user, action=EXPORT, **filters)
          .annotate(worker_name=Subquery(worker.values("name")[:1]),
                    worker_id=Subquery(worker.values("id_number")[:1]))
          .select_related("recorded_by", "approved_by"))
    return qs[:MAX_ROWS]


def _description(entry) -> str:
    text = entry.description
    if entry.goods_description:
        text += f"(实物:{entry.goods_description})"
    return text


def _sheet(sheet, user, filters: dict) -> tuple[int, Decimal]:
    append_row(sheet, ["困难职工帮扶资金(物资)发放台账"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet["A1"].font, sheet["A1"].alignment = Font(bold=True, size=14), Alignment(horizontal="center")
    append_row(sheet, [f"单位:{user.organisation.name}    导出时间:{clock.local_now():%Y-%m-%d %H:%M}"])
    append_row(sheet, HEADERS)
    total, count = Decimal(0), 0
    for count, entry in enumerate(_rows(user, filters), start=1):
        append_row(sheet, [count, entry.paid_on, entry.worker_name or "", mask_id_number(entry.worker_id or ""),
                      _description(entry), SOURCES.get(entry.fund_source, entry.fund_source), entry.amount,
                      str(entry.recorded_by), str(entry.approved_by)])
        total += entry.amount
    append_row(sheet, ["合计", "", "", "", f"共{count}笔", "", total, "", ""])
    return count, total


def _format(sheet, last_row: int) -> None:
    for i, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    for row in sheet.iter_rows(min_row=3, max_row=last_row):
        for cell in row:
            cell.border = THIN
        row[1].number_format = "yyyy-mm-dd"
        row[6].number_format = MONEY
    for cell in sheet[3] + sheet[last_row]:
        cell.font = Font(bold=True)


@transaction.atomic
def ledger_export(*, user, **filters) -> bytes:
    """An .xlsx of the entries the user may export (reversals included as negative rows); one audit row."""
    require(user, EXPORT, "您没有导出数据的权限")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "发放台账"
    count, total = _sheet(sheet, user, filters)
    _format(sheet, sheet.max_row)
    audit_log(actor=user, action="ledger.export", object_type="ledger", area_path=user.organisation.path,
              after={"filters": filters_for_audit(filters),
                     "rows": count, "total": str(total)})
    return workbook_bytes(workbook)
