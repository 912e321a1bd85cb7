"""Cells as people write them: the one parser of dates and numbers for every column of every import format.

A cell arrives as the reader gives it: a date cell as a `date`, a number cell as an `int` or `float`, anything else as
text (CSV always). People write dates as 2024-03-01, 2024/3/1, 2024.3.1 or 2024年3月1日, money with thousands
separators and a leading ¥, and sometimes in full-width digits (１２３); all of these are read the same way.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from bangfu.common.errors import ValidationFailed
from bangfu.common.spreadsheets import is_formula

DATE_FORMS = "日期单元格,或 2024-03-01、2024/3/1、2024.3.1、2024年3月1日、20240301"
NUMBER_FORMS = "如 8800.80、8,800.80、¥8,800.80"
TEXT_ONLY = "须以文本格式填写(数字格式会丢失末几位)"

# One separator used twice (2024-3-1, 2024/3/1, 2024.3.1) or the Chinese form 2024年3月1日; a time of day after the
# date (as a date-and-time cell saves to CSV) is allowed and ignored.
_DATE = re.compile(r"(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})|年(\d{1,2})月(\d{1,2})日?)(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-+]?\.\d+")
_SCIENTIFIC = re.compile(r"[-+]?\d+(?:\.\d*)?[eE][-+]?\d+")


def half_width(raw: str) -> str:
    """Full-width digits, letters and signs (１２３、．、，、￥) as their ordinary forms; spaces trimmed."""
    return unicodedata.normalize("NFKC", raw).strip()


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return half_width(str(value))


def parse_date(value, header: str) -> datetime.date:
    """A date cell, or date text in one of the forms of `DATE_FORMS`; anything else is refused naming them."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raw = _cell_text(value)
    found = _DATE.fullmatch(raw) or _COMPACT_DATE.fullmatch(raw)
    if found:
        year, month, day = (int(part) for part in found.groups() if part and part.isdigit())
        try:
            return datetime.date(year, month, day)
        except ValueError as exc:
            raise ValidationFailed(f"{header}日期无效:{raw}(应为{DATE_FORMS})") from exc
    raise ValidationFailed(f"{header}日期无效:{raw}(应为{DATE_FORMS})")


def parse_decimal(value, header: str) -> Decimal:
    """A number cell, or number text with optional thousands separators and a leading ¥ (`NUMBER_FORMS`)."""
    if isinstance(value, bool):
        raise ValidationFailed(f"{header}应为数字:{value}({NUMBER_FORMS})")
    if isinstance(value, int | float):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    raw = half_width(str(value))
    number = raw.removeprefix("¥").removeprefix("RMB").strip()
    if number.startswith("-¥"):
        number = "-" + number[2:].strip()
    if not _NUMBER.fullmatch(number):
        raise ValidationFailed(f"{header}应为数字:{raw}({NUMBER_FORMS})")
    try:
        return Decimal(number.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only what Decimal reads
        raise ValidationFailed(f"{header}应为数字:{raw}({NUMBER_FORMS})") from exc


def parse_int(value, header: str) -> int:
    """A whole number: a number cell without fraction, or digits (full-width digits too)."""
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise ValidationFailed(f"{header}应为整数:{value}")
    raw = _cell_text(value)
    if not raw.isascii() or not raw.isdigit():
        raise ValidationFailed(f"{header}应为整数:{raw}")
    return int(raw)


def code_text(value, header: str) -> str:
    """An ID number or a credit code: text only. A number cell, or text a number cell left behind in a CSV
    (3.20102E+17), has lost its last digits: refused with the same words on every path."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValidationFailed(f"{header}{TEXT_ONLY}")
    raw = half_width(str(value)).replace(" ", "")
    if _SCIENTIFIC.fullmatch(raw):
        raise ValidationFailed(f"{header}{TEXT_ONLY}:{raw}")
    return raw


def refuse_formula_cell(value, header: str) -> None:
    """A cell a spreadsheet program would run as a formula is refused, whatever its column (our files keep it text)."""
    if is_formula(value):
        raise ValidationFailed(f"{header}含有公式或以 = + - @ 开头的内容,已按文本处理,请改为普通数据")
