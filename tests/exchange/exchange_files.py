"""Building household and department files for the exchange tests (imported by name: module names are unique)."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from bangfu.common.spreadsheets import append_row
from bangfu.exchange.columns import HOUSEHOLD_COLUMNS, MEMBER_COLUMNS
from bangfu.exchange.template import CSV_COLUMNS


def xlsx(sheets: dict[str, tuple[list, list[list]]]) -> bytes:
    """A workbook from {sheet: (headers, rows)}; values go in as given (numbers stay numbers, dates are date cells,
    text that looks like a formula stays text, as a spreadsheet program saves it when typed as text)."""
    book = Workbook()
    book.remove(book.active)
    for name, (headers, rows) in sheets.items():
        ws = book.create_sheet(name)
        append_row(ws, headers)
        for row in rows:
            append_row(ws, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(headers: list, rows: list[list], encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


H_HEADERS = [c.header for c in HOUSEHOLD_COLUMNS]
M_HEADERS = [c.header for c in MEMBER_COLUMNS]


def h_row(number: str, **values) -> list:
    base = {"户编号": number, "行政区划代码": "320102", "家庭住址": f"南京市玄武区珠江路{number}号",
            "联系电话": "13912345678", "申请类别": "困难", "致困原因": "因病、失业", "享受城市低保": "否",
            "低保边缘户": "否", "有自有住房": "否", "有机动车": "否"}
    base.update(values)
    return [base.get(h) for h in H_HEADERS]


def m_row(number: str, name: str, id_number: str, relation: str = "本人", **values) -> list:
    base = {"户编号": number, "姓名": name, "身份证号码": id_number, "与职工本人关系": relation, "就业状况": "登记失业",
            "劳动能力": "有劳动能力", "健康状况": "健康"}
    base.update(values)
    return [base.get(h) for h in M_HEADERS]


def flat_csv_rows(family, n: int) -> list[list]:
    rows = []
    for i in range(1, n + 1):
        h, ms = family(str(i))
        house = dict(zip(H_HEADERS, h, strict=True))
        for j, m in enumerate(ms):
            member = dict(zip(M_HEADERS, m, strict=True))
            values = (house if j == 0 else {"户编号": house["户编号"]}) | member
            rows.append([values.get(c.header) for c in CSV_COLUMNS])
    return rows


CSV_HEADERS = [c.header for c in CSV_COLUMNS]
