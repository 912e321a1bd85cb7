"""The annual workbook (困难职工帮扶统计表 style): rows by area, columns by category and help kind; one sheet per
report beside it. Written through the one safe writer (`bangfu.common.spreadsheets`): values, never formulas."""

from __future__ import annotations

import datetime

from openpyxl import Workbook

from bangfu.common import clock
from bangfu.common.spreadsheets import append_row, cell, workbook_bytes

MONEY = "#,##0.00"


def _money_row(ws, values, money_from: int) -> None:
    ws.append([cell(ws, v, number_format=MONEY if i >= money_from and v is not None else None)
               for i, v in enumerate(values)])


def as_of_line(computed_at: datetime.datetime, fresh: bool) -> str:
    """The table's 统计时点 (when its figures were computed, Beijing time), and whether newer ones are on their way."""
    line = f"统计时点:{computed_at.astimezone(clock.ZONE):%Y年%m月%d日 %H:%M}(北京时间)"
    return line if fresh else line + ";此后档案已有变化,正在重新统计,稍后重新导出可得最新数字"


def annual_workbook(*, house: dict, flows: dict, help: dict, computed_at: datetime.datetime, fresh: bool = True,
                    medical: dict | None = None, programmes: list | None = None, benefits: list | None = None) -> bytes:
    """The workbook of the stored figures (`reports.snapshots`); the main table states their 统计时点 under its title,
    as an official table does, so that a table exported before a change is known as such."""
    book = Workbook(write_only=True)
    union, year = house["union"], help["year"]
    stated = as_of_line(computed_at, fresh)
    ws = book.create_sheet("困难职工帮扶统计表")
    append_row(ws, [f"{union.name} {year}年困难职工帮扶统计表"])
    append_row(ws, [stated])
    sources = [label for _code, label, _v in help["areas"][0]["sources"]]
    append_row(ws, ["地区(工会)", "建档户数", "其中:困难", "其中:特困", "全部在册户数",
                    *[f"{s}(元)" for s in sources], "帮扶资金合计(元)"])
    for area, paid in zip(house["areas"], help["areas"], strict=True):
        _money_row(ws, [area["union"].name, area["archived"], area["hardship"], area["extreme"], area["total"],
                        *[v for _c, _l, v in paid["sources"]], paid["total"]], money_from=5)

    ws = book.create_sheet("致困原因")
    append_row(ws, ["致困原因", "户数"])
    for _code, label, n in house["causes"]:
        append_row(ws, [label, n])
    ws = book.create_sheet("状态")
    append_row(ws, ["状态", "户数"])
    for _code, label, n in house["total"]["status"]:
        append_row(ws, [label, n])
    ws = book.create_sheet("建档年份")
    append_row(ws, ["建档年份", "户数"])
    for y, n in house["years"]:
        append_row(ws, [y, n])
    ws = book.create_sheet("月度进出")
    append_row(ws, ["月份", "新建档", "退出"])
    for m in flows["months"]:
        append_row(ws, [f"{flows['year']}年{m['month']}月", m["entries"], m["exits"]])
    for _state, label, n in flows["reasons"]:
        append_row(ws, [f"退出原因:{label}", None, n])
    ws = book.create_sheet("资金来源与预算")
    append_row(ws, ["资金来源", "已发放(元)", "预算(元)"])
    for s in help["sources"]:
        _money_row(ws, [s["label"], s["spent"], s["budget"]], money_from=1)
    if programmes is not None:
        ws = book.create_sheet("帮扶项目")
        append_row(ws, ["帮扶项目", "涉及户数", "已发放(元)", "项目预算(元)"])
        for p in programmes:
            _money_row(ws, [p["name"], p["households"], p["spent"], p["budget"]], money_from=2)
    if benefits is not None:
        ws = book.create_sheet("帮扶待遇")
        append_row(ws, ["帮扶待遇(措施)", "条款", "措施类型", "涉及户数", "已发放(元)"])
        for b in benefits:
            _money_row(ws, [b["title"], b["article"] and f"第{b['article']}条", b["kind"] or None, b["households"],
                            b["spent"]], money_from=4)
    if medical is not None:
        ws = book.create_sheet("医疗费用")
        append_row(ws, ["地区(工会)", "户数", "单据数", "医疗总费用(元)", "家庭自付(元)"])
        for area in medical["areas"]:
            _money_row(ws, [area["union"].name, area["households"], area["bills"], area["total"],
                            area["family_share"]], money_from=3)
        for _code, label, amount in medical["payers"]:
            _money_row(ws, [f"其中:{label}", None, None, amount, None], money_from=3)
    return workbook_bytes(book)
