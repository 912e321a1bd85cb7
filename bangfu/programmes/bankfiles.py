"""The bank's batch-payment file (代发文件) and its return file: columns per bank kept as data, UTF-8 or GBK.

Written only through `bangfu.common.spreadsheets` (no text cell becomes a formula). The file ends with a totals
row (合计: count and amount) and a checksum row (校验码: SHA-256 over every line's reference, account and
amount), so that the bank and the union can see that nothing was changed on the way.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook, load_workbook

from bangfu.common.errors import ValidationFailed
from bangfu.common.ids import mask_id_number
from bangfu.common.spreadsheets import append_row, cell, csv_bytes, is_formula, workbook_bytes

from .models import BankFormat

# What a bank-file column may hold.
FIELDS = {
    "seq": "序号", "ref": "业务参考号", "account": "收款账号", "name": "收款人户名", "amount": "金额",
    "bank": "开户行", "remark": "用途", "id_masked": "证件号码(脱敏)",
}
DEFAULT_COLUMNS = [{"header": "序号", "field": "seq"}, {"header": "业务参考号", "field": "ref"},
                   {"header": "收款账号", "field": "account"}, {"header": "收款人户名", "field": "name"},
                   {"header": "金额", "field": "amount"}, {"header": "开户行", "field": "bank"},
                   {"header": "用途", "field": "remark"}]
PRESETS = [
    {"code": "generic", "name": "通用代发格式", "encoding": "utf-8", "columns": DEFAULT_COLUMNS},
    {"code": "icbc-js", "name": "工商银行江苏分行代发(GBK)", "encoding": "gbk",
     "columns": [{"header": "参考号", "field": "ref"}, {"header": "账号", "field": "account"},
                 {"header": "户名", "field": "name"}, {"header": "金额", "field": "amount"},
                 {"header": "摘要", "field": "remark"}]},
]
SUCCESS = {"成功", "已成功", "交易成功", "success", "s", "1", "paid"}
FAILURE = {"失败", "交易失败", "failed", "fail", "f", "0"}
STATUS_HEADERS = ("状态", "处理结果", "交易状态", "结果")
REASON_HEADERS = ("说明", "失败原因", "备注", "银行说明")
ERROR = "错误"


def line_ref(line) -> str:
    return f"BF{line.round_id}-{line.pk}"  # a Line or a named row with `pk` and `round_id`


def checksum(rows: Iterable[tuple[str, str, Decimal]]) -> str:
    digest = hashlib.sha256()
    for ref, account, amount in rows:
        digest.update(f"{ref}|{account}|{amount:.2f}\n".encode())
    return digest.hexdigest()


def check_columns(columns) -> list[dict]:
    if not isinstance(columns, list) or not columns:
        raise ValidationFailed("代发文件格式须至少有一列", field="columns")
    fields = [c.get("field") for c in columns if isinstance(c, dict)]
    if len(fields) != len(columns) or any(f not in FIELDS for f in fields):
        raise ValidationFailed("代发文件格式的列无效", field="columns")
    for needed in ("ref", "account", "amount"):
        if needed not in fields:
            raise ValidationFailed(f"代发文件格式须有「{FIELDS[needed]}」列", field="columns")
    return columns


# How each field of a bank-file column is read from a line (its sequence number and the file's remark beside it).
_GETTERS = {
    "seq": lambda line, seq, remark: seq, "ref": lambda line, seq, remark: line_ref(line),
    "account": lambda line, seq, remark: line.account_number, "name": lambda line, seq, remark: line.payee_name,
    "amount": lambda line, seq, remark: line.amount, "bank": lambda line, seq, remark: line.bank_name,
    "remark": lambda line, seq, remark: remark,
    "id_masked": lambda line, seq, remark: mask_id_number(line.payee_id_number),
}


def bank_file(lines: list, fmt: BankFormat, remark: str, kind: str = "xlsx") -> bytes:
    """The file of `lines` (included, open; anything with the attributes of a Line, e.g. a named values_list row)
    in the bank's layout: header, lines, 合计, 校验码. Each value is read once; text a spreadsheet would run goes
    through `cell` (as `append_row` does), amounts are numbers shown with two decimals."""
    columns = check_columns(fmt.columns)
    headers = [c["header"] for c in columns]
    getters = [_GETTERS[c["field"]] for c in columns]
    total = sum((line.amount for line in lines), Decimal(0))
    sums = ["合计", len(lines), f"{total:.2f}"]
    check = ["校验码", checksum((line_ref(x), x.account_number, x.amount) for x in lines)]
    rows = ([get(line, i, remark) for get in getters] for i, line in enumerate(lines, 1))
    if kind == "csv":
        body = ([f"{v:.2f}" if isinstance(v, Decimal) else v for v in row] for row in rows)
        return csv_bytes(headers, itertools.chain(body, [sums, check]),
                         encoding="gbk" if fmt.encoding == "gbk" else "utf-8-sig")
    book = Workbook(write_only=True)
    ws = book.create_sheet("代发明细")
    append_row(ws, headers)
    for row in rows:
        ws.append([cell(ws, v, number_format="0.00") if isinstance(v, Decimal)
                   else cell(ws, v) if is_formula(v) else v for v in row])
    append_row(ws, sums)
    append_row(ws, check)
    return workbook_bytes(book)


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gbk"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationFailed("文件编码无法识别(应为UTF-8或GBK)", field="file")


def read_table(content: bytes, name: str) -> list[list[str]]:
    """Rows of a .xlsx or .csv file as text (the first row the header)."""
    if name.lower().endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:
            raise ValidationFailed("无法读取该Excel文件", field="file") from exc
        sheet = book.worksheets[0]
        rows = [["" if v is None else (f"{v:.2f}" if isinstance(v, float) else str(v)).strip() for v in row]
                for row in sheet.iter_rows(values_only=True)]
        book.close()
    elif name.lower().endswith(".csv"):
        rows = [[v.strip() for v in row] for row in csv.reader(io.StringIO(_decode(content)))]
    else:
        raise ValidationFailed("回盘文件应为 .xlsx 或 .csv", field="file")
    rows = [r for r in rows if any(r)]
    if len(rows) < 2:
        raise ValidationFailed("回盘文件没有数据行", field="file")
    return rows


def _find(header: list[str], names: Iterable[str]) -> int | None:
    for name in names:
        if name in header:
            return header.index(name)
    return None


def return_columns(header: list[str], fmt: BankFormat) -> dict[str, int | None]:
    """Where the reference, account, amount, status and reason are in the bank's return file."""
    by_field = {c["field"]: c["header"] for c in fmt.columns}
    found = {
        "ref": _find(header, [by_field.get("ref", ""), "业务参考号", "参考号"]),
        "account": _find(header, [by_field.get("account", ""), "收款账号", "账号"]),
        "amount": _find(header, [by_field.get("amount", ""), "金额"]),
        "status": _find(header, STATUS_HEADERS),
        "reason": _find(header, REASON_HEADERS),
    }
    missing = [label for key, label in (("ref", "业务参考号"), ("amount", "金额"), ("status", "状态"))
               if found[key] is None]
    if missing:
        raise ValidationFailed(f"回盘文件缺少列:{'、'.join(missing)}", field="file")
    return found


def parse_amount(text: str) -> Decimal | None:
    try:
        value = Decimal(str(text).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def status_of(text: str) -> str | None:
    value = str(text).strip().lower()
    return "paid" if value in SUCCESS else "failed" if value in FAILURE else None


def result_file(header: list[str], rows: list[list[str]], errors: dict[int, str], kind: str = "xlsx",
                encoding: str = "utf-8") -> bytes:
    """The return file as it came, with the 错误 column (empty where the row was taken); a CSV return gets a CSV
    result in the bank's encoding."""
    if kind == "csv":
        return csv_bytes([*header, ERROR], ([*row, errors.get(i, "")] for i, row in enumerate(rows)),
                         encoding="gbk" if encoding == "gbk" else "utf-8-sig")
    book = Workbook(write_only=True)
    ws = book.create_sheet("对账结果")
    append_row(ws, [*header, ERROR])
    for i, row in enumerate(rows):
        append_row(ws, [*row, errors.get(i, "")])
    return workbook_bytes(book)
