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
    "decimal_whole_digits": "整数部分不能超过{whole_digits}位",
    # The rest of pydantic-core's error types (tests/policy/test_messages.py keeps the list complete), so that
    # no type is named in English: none names the Python type or class it expected.
    "no_such_attribute": "不允许的字段",
    "needs_python_object": "类型不符",
    "recursion_loop": "数据嵌套循环",
    "frozen_field": "不能修改",
    "invalid_key": "键无效",
    "get_attribute_error": "无法读取该字段",
    "dataclass_type": "应为对象",
    "dataclass_exact_type": "应为对象",
    "default_factory_not_called": "无法生成默认值",
    "iterable_type": "应为数组",
    "iteration_error": "无法逐项读取",
    "string_sub_type": "应为字符串",
    "string_unicode": "应为有效的Unicode字符串",
    "string_not_ascii": "只能包含ASCII字符",
    "mapping_type": "应为对象",
    "tuple_type": "应为数组",
    "set_item_not_hashable": "数组中的项不能是对象或数组",
    "int_parsing_size": "整数超出范围",
    "bytes_type": "应为字符串",
    "bytes_too_short": "长度不能少于{min_length}个字节",
    "bytes_too_long": "长度不能超过{max_length}个字节",
    "bytes_invalid_encoding": "编码无效",
    "missing_sentinel_error": "缺少必填字段",
    "date_from_datetime_inexact": "应为日期(YYYY-MM-DD),不能带时间",
    "date_past": "应为过去的日期",
    "date_future": "应为将来的日期",
    "time_type": "应为时间(HH:MM:SS)",
    "time_parsing": "应为时间(HH:MM:SS)",
    "datetime_type": "应为日期时间(YYYY-MM-DDTHH:MM:SS)",
    "datetime_parsing": "应为日期时间(YYYY-MM-DDTHH:MM:SS)",
    "datetime_object_invalid": "日期时间无效",
    "datetime_from_date_parsing": "应为日期时间(YYYY-MM-DDTHH:MM:SS)",
    "datetime_past": "应为过去的时间",
    "datetime_future": "应为将来的时间",
    "timezone_naive": "不能带时区",
    "timezone_aware": "应带时区",
    "timezone_offset": "时区偏移应为{tz_expected}秒",
    "time_delta_type": "应为时长",
    "time_delta_parsing": "应为时长",
    "frozen_set_type": "应为数组",
    "is_subclass_of": "类型不符",
    "callable_type": "类型不符",
    "union_tag_not_found": "缺少类型标记",
    "arguments_type": "参数无效",
    "missing_argument": "缺少必填字段",
    "unexpected_keyword_argument": "不允许的字段",
    "missing_keyword_only_argument": "缺少必填字段",
    "unexpected_positional_argument": "不允许的参数",
    "missing_positional_only_argument": "缺少必填参数",
    "multiple_argument_values": "参数重复",
    "url_type": "应为网址",
    "url_parsing": "不是有效的网址",
    "url_syntax_violation": "不是有效的网址",
    "url_too_long": "网址不能超过{max_length}个字符",
    "url_scheme": "网址协议无效",
    "uuid_type": "应为UUID",
    "uuid_parsing": "不是有效的UUID",
    "uuid_version": "UUID版本应为{expected_version}",
    "complex_type": "应为数字",
    "complex_str_parsing": "应为数字",
}
# Raised with the engine's own (Chinese) words, shown as they are: no template.
OWN_WORDS = frozenset({"value_error", "assertion_error"})
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
    return f"{where}: 无法读取{what}({os_reason(exc, '读取失败')})"


def os_reason(exc: BaseException, otherwise: str) -> str:
    """The OS's reason for a failed file operation, in Chinese (by its errno); `otherwise` when it has none."""
    reason = _OS_ERRORS.get(getattr(exc, "errno", None))
    if reason is None:
        text = str(exc)
        reason = text if _CJK.search(text) else otherwise
    return reason


def not_json(exc: BaseException) -> str:
    """Text that is not JSON: where it breaks (JSONDecodeError has the line and column), or not UTF-8."""
    if isinstance(exc, UnicodeDecodeError):
        return "不是有效的JSON(不是UTF-8编码的文本)"
    line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    return f"不是有效的JSON(第{line}行第{column}列)" if line is not None else "不是有效的JSON"


def line_prefix(number: int) -> str:
    return f"第{number}行"
