"""The one way bangfu writes a spreadsheet cell or a CSV field: text a spreadsheet would run is written as text.

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return (after any leading spaces) is read by
Excel, WPS and LibreOffice as a formula or a DDE call (CSV injection, OWASP). Every export goes through `cell`,
`put`, `append_row` or `csv_bytes`; entry refuses such text with `refuse_formula`; import flags it with `is_formula`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from openpyxl.cell import WriteOnlyCell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMULA_MESSAGE = "不能以 = + - @ 或制表符开头(表格软件会把它当作公式执行)"


def is_formula(value) -> bool:
    """Text that a spreadsheet program would run as a formula (or a DDE call) if written as it is."""
    return isinstance(value, str) and value.lstrip(" \u3000").startswith(FORMULA_START)


def refuse_formula(value, *, field: str, label: str) -> None:
    """Entry's guard (forms and API alike, through the services): formula-like text is refused, naming the field."""
    if is_formula(value):
        from .errors import ValidationFailed

        raise ValidationFailed(f"{label}{FORMULA_MESSAGE}", field=field)


def cell(ws, value, *, number_format: str | None = None):
    """A cell for `ws.append` (normal and write-only sheets): formula-like text stays text, never a formula."""
    out = WriteOnlyCell(ws, value=value)
    if is_formula(value):
        out.data_type = "s"
    if number_format:
        out.number_format = number_format
    return out


def put(ws, row: int, column: int, value):
    """Set one cell of a normal (not write-only) sheet by position; formula-like text stays text."""
    target = ws.cell(row=row, column=column, value=value)
    if is_formula(value):
        target.data_type = "s"
    return target


def append_row(ws, values: Iterable) -> None:
    """Append one row of values: formula-like text through `cell`; numbers, dates and plain text as they are
    (openpyxl writes them the same way, a third faster for large files)."""
    ws.append([cell(ws, v) if is_formula(v) else v for v in values])


def csv_field(value) -> str:
    """One CSV field: None is empty; formula-like text gets a leading apostrophe (numbers never do)."""
    if value is None:
        return ""
    return "'" + value if is_formula(value) else str(value)


def csv_bytes(header: Iterable | None, rows: Iterable[Iterable], *, encoding: str = "utf-8-sig") -> bytes:
    """A whole CSV file (UTF-8 with BOM by default, so Excel opens it as UTF-8; `gbk` for banks that want it)."""
    out = io.StringIO()
    writer = csv.writer(out)
    if header is not None:
        writer.writerow([csv_field(v) for v in header])
    for row in rows:
        writer.writerow([csv_field(v) for v in row])
    return out.getvalue().encode(encoding)


def workbook_bytes(book) -> bytes:
    """The saved .xlsx of an openpyxl workbook."""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
