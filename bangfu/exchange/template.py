"""The downloadable household template: a 家庭 sheet and a 成员 sheet linked by 户编号, with lists for enumerations."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from bangfu.common.spreadsheets import csv_bytes, put, workbook_bytes

from .columns import (
    EXAMPLE_HOUSEHOLD,
    EXAMPLE_MEMBERS,
    HOUSEHOLD_COLUMNS,
    HOUSEHOLD_SHEET,
    MEMBER_COLUMNS,
    MEMBER_SHEET,
    Column,
)


def _sheet(book: Workbook, title: str, columns: tuple[Column, ...], lists, first: bool,
           examples: tuple[dict, ...]) -> None:
    ws = book.active if first else book.create_sheet()
    ws.title = title
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    grey = Font(italic=True, color="808080")
    for index, column in enumerate(columns, start=1):
        cell = put(ws, 1, index, column.header + ("*" if column.required else ""))
        cell.font, cell.fill = bold, fill
        for row, example in enumerate(examples, start=2):
            put(ws, row, index, example.get(column.header, "")).font = grey
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        # Text format, so that ID numbers and phone numbers keep every digit.
        for row in range(2, 1002):
            ws.cell(row=row, column=index).number_format = "@"
        source = lists.get(column.kind, {}).get(column.field) or (
            f"选项!${lists['letters'][column.field]}$2:${lists['letters'][column.field]}${lists['sizes'][column.field]}"
            if column.field in lists["letters"] else None)
        if source:
            rule = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True,
                                  errorTitle="取值无效", error="请从下拉列表中选择")
            ws.add_data_validation(rule)
            rule.add(f"{letter}2:{letter}100000")
    ws.freeze_panes = "A2"


def _options(book: Workbook) -> dict:
    """A sheet of the enumerations' Chinese labels, which the lists refer to (lists longer than 255 characters)."""
    ws = book.create_sheet("选项")
    letters, sizes, index = {}, {}, 0
    for column in (*HOUSEHOLD_COLUMNS, *MEMBER_COLUMNS):
        if column.kind != "enum" or column.field in letters:
            continue
        index += 1
        letter = get_column_letter(index)
        put(ws, 1, index, column.header)
        for row, (_, label) in enumerate(column.enum.choices, start=2):
            put(ws, row, index, label)
        letters[column.field], sizes[column.field] = letter, len(column.enum.choices) + 1
    ws.sheet_state = "hidden"
    return {"letters": letters, "sizes": sizes, "bool": {f: '"是,否"' for f in
                                                           ("dibao", "dibao_edge", "owns_housing", "has_vehicle",
                                                            "serious_illness")}}


def household_template_xlsx() -> bytes:
    book = Workbook()
    lists = _options(book)
    _sheet(book, HOUSEHOLD_SHEET, HOUSEHOLD_COLUMNS, lists, first=True, examples=(EXAMPLE_HOUSEHOLD,))
    _sheet(book, MEMBER_SHEET, MEMBER_COLUMNS, lists, first=False, examples=EXAMPLE_MEMBERS)
    book.move_sheet("选项", offset=2)
    return workbook_bytes(book)


CSV_COLUMNS = (*HOUSEHOLD_COLUMNS, *(c for c in MEMBER_COLUMNS if c.field != "number"))


def household_template_csv() -> bytes:
    """The CSV form: one row per member, household columns on its first row (or repeated alike); the example
    household's rows (户编号 示例) first, which the import skips."""
    rows = [[(EXAMPLE_HOUSEHOLD if i == 0 else {}).get(c.header, member.get(c.header, "")) for c in CSV_COLUMNS]
            for i, member in enumerate(EXAMPLE_MEMBERS)]
    return csv_bytes([c.header for c in CSV_COLUMNS], rows)
