"""Reading uploaded spreadsheets (.xlsx, .xls, .xlsb, .ods) and CSV files safely: one entry, `read_upload`, for the
household and the department imports. Limits in `limits`, the file's real kind in `kinds`, the spreadsheet reader in
`sheetreader` (python-calamine, out of process); formulas are never computed, formula-like text is flagged."""

from __future__ import annotations

import csv
import datetime
import io
import logging
from dataclasses import dataclass, field
from pathlib import PurePath

from bangfu.common.errors import ValidationFailed

from . import limits, sheetreader
from .kinds import ACCEPTED, READABLE, check_kind

log = logging.getLogger(__name__)

CSV_SHEET = "CSV"
check_size = limits.check_size


@dataclass
class Sheet:
    """Rows of one sheet: `rows[i]` is a dict header → cell value, and `numbers[i]` its row number in the file."""

    name: str
    headers: list[str]
    rows: list[dict] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    # The index of each row in the sheet it was taken from, when it is a part of one (the flat CSV's household
    # rows); empty when the rows are the sheet's own. Errors and results are written against that index.
    positions: list[int] = field(default_factory=list)

    def position(self, index: int) -> int:
        return self.positions[index] if self.positions else index


def extension_of(name: str) -> str:
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension == "xlsm":
        raise ValidationFailed(f"不接受含宏的 .xlsm 文件:请在表格软件中另存为 .xlsx 后上传。{ACCEPTED}", field="file")
    if extension not in READABLE:
        shown = f" .{extension} 文件" if extension else "没有扩展名的文件"
        raise ValidationFailed(f"不接受{shown}。{ACCEPTED}", field="file")
    return extension


def check_upload(name: str, content: bytes) -> str:
    """What can be refused before reading: the name, the size, content of another kind than the name says, a zip
    bomb, macros, an unknown CSV encoding. Returns the extension."""
    extension = extension_of(name)
    limits.check_size(content)
    check_kind(extension, content)
    if extension == "csv":
        decode_csv(content)
    return extension


def read_upload(name: str, content: bytes, wanted: tuple[str, ...]) -> dict[str, Sheet]:
    """The wanted sheets of a workbook, or `{CSV_SHEET: sheet}` for a CSV file (one sheet, whatever is wanted)."""
    if check_upload(name, content) == "csv":
        return {CSV_SHEET: read_csv(content)}
    return read_workbook(content, wanted)


# Headers an older template used, read as today's (the household template's 与户主关系 is the form's 与职工本人关系).
RENAMED_HEADERS = {"与户主关系": "与职工本人关系"}


def _header(values) -> list[str]:
    names = [str(v).strip().rstrip("*").strip() if v is not None else "" for v in values]
    return [RENAMED_HEADERS.get(name, name) for name in names]


def _row_dict(headers: list[str], values) -> dict | None:
    values = list(values)
    values += [None] * (len(headers) - len(values))  # trailing empty cells may be absent from the file
    row = {h: v for h, v in zip(headers, values, strict=False) if h}
    if all(v is None or (isinstance(v, str) and not v.strip()) for v in row.values()):
        return None
    return row


def read_workbook(content: bytes, wanted: tuple[str, ...]) -> dict[str, Sheet]:
    """The named sheets of a workbook of any kind calamine reads, each as the values its cells show (dates as dates)."""
    try:
        found = sheetreader.read(content, wanted, max_rows=limits.max_rows(), memory=limits.reader_memory(),
                                 seconds=limits.reader_seconds())
    except sheetreader.Outcome as outcome:
        raise _refusal(outcome) from outcome
    out = {}
    for name in wanted:
        rows = iter(found[name])
        first = next(rows, None)
        out[name] = _collect(Sheet(name, _header(first[1] if first else ())), rows)
    return out


def _refusal(outcome: sheetreader.Outcome) -> ValidationFailed:
    if outcome.code == "missing":
        return ValidationFailed(f"缺少工作表「{outcome.detail}」,请使用下载的模板", field="file")
    if outcome.code == "rows":
        return ValidationFailed(limits.rows_message(outcome.detail), field="file")
    if outcome.code == "password":
        return ValidationFailed(f"文件设有打开密码,无法读取:请取消密码后另存为 .xlsx 再上传。{ACCEPTED}", field="file")
    log.warning("spreadsheet refused (%s): %s", outcome.code, outcome.detail)
    if outcome.code == "crashed":
        return ValidationFailed("文件过大或结构异常(如在很远的行列有内容),无法读取:请删除多余的行列,或另存为 .xlsx 后"
                                f"重新上传。{ACCEPTED}", field="file")
    return ValidationFailed(f"文件已损坏,无法作为表格读取:请用表格软件打开后另存为 .xlsx 再上传。{ACCEPTED}", field="file")


def _collect(sheet: Sheet, rows) -> Sheet:
    for number, values in rows:
        limits.check_row_number(number, sheet.name)  # empty rows count: a sheet of blank rows is refused early
        row = _row_dict(sheet.headers, values)
        if row is None:
            continue
        sheet.rows.append(row)
        sheet.numbers.append(number)
        if len(sheet.rows) > limits.max_rows():
            limits.check_rows(len(sheet.rows), sheet.name)
    return sheet


def decode_csv(content: bytes) -> str:
    """UTF-8 (with or without BOM) or GB18030 (which includes GBK); anything else is refused, by name when it can be
    told (limits.detect_encoding: Big5, Shift-JIS, UTF-16), rather than guessed."""
    encoding = limits.detect_encoding(content)
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ValidationFailed(f"CSV 文件编码无法识别:请另存为 UTF-8 编码的 CSV,或另存为 .xlsx。{ACCEPTED}",
                               field="file") from exc
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text) or "\ufffd" in text:
        raise ValidationFailed(f"CSV 文件含有控制字符或无法识别的字符:请另存为 UTF-8 编码的 CSV,或另存为 .xlsx。{ACCEPTED}",
                               field="file")
    return text


def read_csv(content: bytes) -> Sheet:
    text = decode_csv(content)
    first_line = text.split("\n", 1)[0]
    # Some systems export tab-separated text: its header has tabs and no commas.
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        headers = _header(next(reader, ()))
        sheet = Sheet(CSV_SHEET, headers)
        for number, values in enumerate(reader, start=2):
            limits.check_row_number(number, CSV_SHEET)
            row = _row_dict(headers, [v if v != "" else None for v in values])
            if row is None:
                continue
            if len(values) > len(headers):
                row["__extra__"] = True
            sheet.rows.append(row)
            sheet.numbers.append(number)
            if len(sheet.rows) > limits.max_rows():
                limits.check_rows(len(sheet.rows), CSV_SHEET)
    except csv.Error as exc:
        raise ValidationFailed(f"CSV 文件格式错误:{exc}", field="file") from exc
    return sheet


def check_headers(sheet: Sheet, required: tuple[str, ...]) -> None:
    missing = [h for h in required if h not in sheet.headers]
    if missing:
        raise ValidationFailed(f"「{sheet.name}」缺少列:{'、'.join(missing)},请使用下载的模板", field="file")
    seen = [h for h in sheet.headers if h]
    if len(seen) != len(set(seen)):
        raise ValidationFailed(f"「{sheet.name}」有重复的列名", field="file")


def text(value) -> str:
    """A cell as text: integers without '.0', dates as ISO, None as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()
