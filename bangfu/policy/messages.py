"""Bad input in Chinese: pydantic's errors by their type (the English `msg` is never shown), the engine's own
messages written in Chinese where they are raised. Field paths stay as the format names them."""

from __future__ import annotations

import errno
import re
from typing import Any

# pydantic-core error types → Chinese, formatted with the error's `ctx`. An unknown type falls back to a neutral
# sentence rather than to pydantic's English.
PYDANTIC: dict[str, str] = {
    "missing": "缺少必填字段",
    "none_required": "应为null",
    "string_type": "应为字符串",
    "string_too_short": "长度不能少于{min_length}个字符",
    "string_too_long": "长度不能超过{max_length}个字符",
    "string_pattern_mismatch": "格式不符(应匹配 {pattern})",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数(不能带小数)",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为布尔值(true或false)",
    "bool_parsing": "应为布尔值(true或false)",
    "list_type": "应为数组",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "set_type": "应为数组",
    "too_short": "至少应有{min_length}项",
    "too_long": "最多只能有{max_length}项",
    "greater_than": "应大于{gt}",
    "greater_than_equal": "应不小于{ge}",
    "less_than": "应小于{lt}",
    "less_than_equal": "应不大于{le}",
    "finite_number": "应为有限的数(不能是NaN或无穷大)",
    "literal_error": "取值无效,应为{expected}之一",
    "enum": "取值无效,应为{expected}之一",
    "date_type": "应为日期(YYYY-MM-DD)",
    "date_parsing": "应为日期(YYYY-MM-DD)",
    "date_from_datetime_parsing": "应为日期(YYYY-MM-DD)",
    "json_invalid": "不是有效的JSON",
    "json_type": "不是有效的JSON",
    "extra_forbidden": "不允许的字段",
    "frozen_instance": "不能修改",
    "union_tag_invalid": "类型标记无效",
    "is_instance_of": "类型不符",
    "multiple_of": "应为{multiple_of}的倍数",
    "decimal_type": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_max_places": "小数位数不能超过{decimal_places}位",
    "decimal_max_digits": "数字位数不能超过{max_digits}位",
}
FALLBACK = "取值无效"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_QUOTED = re.compile(r"'([^']*)'")


def _expected(text: str) -> str:
    """pydantic's "'a', 'b' or 'c'" as 「a」「b」「c」 (the codes stay as the format writes them)."""
    codes = _QUOTED.findall(text)
    return "".join(f"「{c}」" for c in codes) if codes else text


def pydantic_message(error: dict[str, Any]) -> str:
    """One pydantic error (an item of `ValidationError.errors()`) in Chinese. Custom errors raised in Chinese keep
    their words; a `value_error` carries the engine's own exception, whose text is already Chinese."""
    kind, ctx = error.get("type", ""), dict(error.get("ctx") or {})
    template = PYDANTIC.get(kind)
    if template is not None:
        ctx = {k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in ctx.items()}  # 0, not 0.0
        if "expected" in ctx:
            ctx["expected"] = _expected(str(ctx["expected"]))
        try:
            return template.format(**ctx)
        except (KeyError, IndexError, ValueError):
            return template.split("{", 1)[0].rstrip(",(") or FALLBACK
    message = str(error.get("msg", ""))
    if kind == "value_error":
        message = message.removeprefix("Value error, ")
    return message if _CJK.search(message) else FALLBACK


_OS_ERRORS = {errno.ENOENT: "文件不存在", errno.EACCES: "没有读取权限", errno.EISDIR: "这是一个目录,不是文件",
              errno.ENOTDIR: "路径中有一段不是目录", errno.EPERM: "没有权限", errno.ECONNREFUSED: "连接被拒绝",
              errno.ETIMEDOUT: "连接超时", errno.EHOSTUNREACH: "主机不可达", errno.ENETUNREACH: "网络不可达"}
AFTER_AS_OF = "晚于评估日期as_of"
NOT_AN_OBJECT = "文档应为JSON对象"


def cannot_read(what: str, exc: BaseException, where: str = "$") -> str:
    """`$: 无法读取FILE(文件不存在)`: an unreadable input named in Chinese (the OS's reason by its errno)."""
    number = getattr(exc, "errno", None)
    reason = _OS_ERRORS.get(number)
    if reason is None:
        text = str(exc)
        reason = text if _CJK.search(text) else "读取失败"
    return f"{where}: 无法读取{what}({reason})"


def not_json(exc: BaseException) -> str:
    """Text that is not JSON: where it breaks (JSONDecodeError has the line and column), or not UTF-8."""
    if isinstance(exc, UnicodeDecodeError):
        return "不是有效的JSON(不是UTF-8编码的文本)"
    line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    return f"不是有效的JSON(第{line}行第{column}列)" if line is not None else "不是有效的JSON"


def line_prefix(number: int) -> str:
    return f"第{number}行"
