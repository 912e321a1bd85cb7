"""Reading uploaded .xlsx and .csv files safely: size and row limits, zip bombs, encodings, formulas never evaluated."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings

from bangfu.common.errors import ValidationFailed

from . import fastxlsx

ENCODINGS = ("utf-8-sig", "gb18030")
CSV_SHEET = "CSV"


@dataclass
class Sheet:
    """Rows of one sheet: `rows[i]` is a dict header → cell value, and `numbers[i]` its row number in the file."""

    name: str
    headers: list[str]
    rows: list[dict] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)


def extension_of(name: str) -> str:
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in ("xlsx", "csv"):
        raise ValidationFailed("只接受 .xlsx 或 .csv 文件(不接受含宏的 .xlsm 和旧版 .xls)", field="file")
    return extension


def check_size(content: bytes) -> None:
    if not content:
        raise ValidationFailed("文件为空", field="file")
    limit = settings.EXCHANGE_MAX_BYTES
    if len(content) > limit:
        raise ValidationFailed(f"文件过大:不能超过{limit // (1024 * 1024) or 1}MB", field="file")


def _check_rows(count: int, sheet: str) -> None:
    if count > settings.EXCHANGE_MAX_ROWS:
        raise ValidationFailed(f"「{sheet}」行数过多:每张表不能超过{settings.EXCHANGE_MAX_ROWS}行,请分批导入",
                               field="file")


def _header(values) -> list[str]:
    return [str(v).strip().rstrip("*").strip() if v is not None else "" for v in values]


def _row_dict(headers: list[str], values) -> dict | None:
    values = list(values)
    values += [None] * (len(headers) - len(values))  # trailing empty cells may be absent from the file
    row = {h: v for h, v in zip(headers, values, strict=False) if h}
    if all(v is None or (isinstance(v, str) and not v.strip()) for v in row.values()):
        return None
    return row


def read_xlsx(content: bytes, wanted: tuple[str, ...]) -> dict[str, Sheet]:
    """The named sheets of a workbook. Formulas come back as their text (data_only=False) and are never computed."""
    from openpyxl import load_workbook

    if not content.startswith(b"PK\x03\x04"):
        raise ValidationFailed("文件不是有效的 Excel(.xlsx)文件", field="file")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        unpacked = sum(info.file_size for info in archive.infolist())
        macros = any(info.filename.lower().endswith("vbaproject.bin") for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise ValidationFailed("文件已损坏,无法作为 Excel 文件读取", field="file") from exc
    if unpacked > settings.EXCHANGE_MAX_UNPACKED:
        raise ValidationFailed("文件解压后过大,疑似恶意文件,已拒绝", field="file")
    if macros:
        raise ValidationFailed("文件含有宏,已拒绝", field="file")
    try:
        return _read_fast(archive, wanted)
    except ValidationFailed:
        raise
    except Exception:  # an unusual but perhaps valid package: let openpyxl judge it
        pass
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken package
        raise ValidationFailed("文件已损坏,无法作为 Excel 文件读取", field="file") from exc
    try:
        return {name: _read_sheet(book, name) for name in wanted}
    finally:
        book.close()


def _read_fast(archive: zipfile.ZipFile, wanted: tuple[str, ...]) -> dict[str, Sheet]:
    names, shared = fastxlsx.sheet_names(archive), fastxlsx.shared_strings(archive)
    out = {}
    for name in wanted:
        if name not in names:
            raise ValidationFailed(f"缺少工作表「{name}」,请使用下载的模板", field="file")
        rows = fastxlsx.iter_rows(archive, name, shared)
        first = next(rows, None)
        out[name] = _collect(Sheet(name, _header(first[1] if first else ())), rows)
    return out


def _collect(sheet: Sheet, rows) -> Sheet:
    for number, values in rows:
        row = _row_dict(sheet.headers, values)
        if row is None:
            continue
        sheet.rows.append(row)
        sheet.numbers.append(number)
        if len(sheet.rows) > settings.EXCHANGE_MAX_ROWS:
            _check_rows(len(sheet.rows), sheet.name)
    return sheet


def _read_sheet(book, name: str) -> Sheet:
    if name not in book.sheetnames:
        raise ValidationFailed(f"缺少工作表「{name}」,请使用下载的模板", field="file")
    ws = book[name]
    rows = ws.iter_rows(values_only=True)
    headers = _header(next(rows, ()))
    return _collect(Sheet(name, headers), enumerate(rows, start=2))


def decode_csv(content: bytes) -> str:
    """UTF-8 (with or without BOM) or GB18030; anything else is refused rather than guessed."""
    if b"\x00" in content:
        raise ValidationFailed("CSV 文件编码无法识别(疑似 UTF-16 或二进制文件),请另存为 UTF-8 或 GB18030 编码", field="file")
    for encoding in ENCODINGS:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text) or "\ufffd" in text:
            break
        return text
    raise ValidationFailed("CSV 文件编码无法识别:只接受 UTF-8、UTF-8-BOM 或 GB18030 编码", field="file")


def read_csv(content: bytes) -> Sheet:
    text = decode_csv(content)
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        headers = _header(next(reader, ()))
        sheet = Sheet(CSV_SHEET, headers)
        for number, values in enumerate(reader, start=2):
            row = _row_dict(headers, [v if v != "" else None for v in values])
            if row is None:
                continue
            if len(values) > len(headers):
                row["__extra__"] = True
            sheet.rows.append(row)
            sheet.numbers.append(number)
            if len(sheet.rows) > settings.EXCHANGE_MAX_ROWS:
                _check_rows(len(sheet.rows), CSV_SHEET)
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
