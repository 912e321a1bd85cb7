"""Every message the command line shows a user is Chinese, the field paths as the format names them (issue 17,
item 10): pydantic's errors translated by their type, the engine's own messages written in Chinese."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from bangfu.policy import cli
from bangfu.policy.messages import PYDANTIC, pydantic_message
from bangfu.policy.schema import InputError, parse_document

EXAMPLE = Path(__file__).parents[3] / "shared/spec/examples/extreme-family.json"
TYPE_NAMES = re.compile(r"\b(str|string|int|integer|float|bool|boolean|dict|list|tuple|set|date|datetime|time|"
                        r"timedelta|decimal|bytes|object|mapping|iterable|callable|url|uuid|complex|instance)\b", re.I)
ENGLISH = re.compile(r"\b(should|Input|Field|required|after|valid|missing|not|one of|contradicts|duplicate)\b")


def refused(change) -> InputError:
    document = json.loads(EXAMPLE.read_text())
    change(document)
    with pytest.raises(InputError) as caught:
        parse_document(document)
    return caught.value


def set_(path, value):
    def change(document):
        node = document
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
    return change


@pytest.mark.parametrize(("change", "path", "message"), [
    (set_(("members", 0, "employment"), "boss"), "members[0].employment",
     "取值无效,应为「employed」「registered_unemployed」「unemployed」「retired」「student」「none」之一"),
    (set_(("members", 1, "birth_date"), "2099-01-01"), "members[1].birth_date", "晚于评估日期as_of"),
    (set_(("archived",), "yes"), "archived", "应为布尔值(true或false)"),
    (set_(("monthly_income",), -1), "monthly_income", "应不小于0"),
    (set_(("region",), "32"), "region", "格式不符(应匹配 ^\\d{6}$)"),
    (lambda d: d.pop("category"), "category", "缺少必填字段"),
    (set_(("members", 0, "sex"), 1), "members[0].sex", "取值无效,应为「male」「female」之一"),
    (set_(("members", 0, "relation"), "spouse"), "members", "没有relation为self(职工本人)的成员"),
])
def test_bad_documents_are_refused_in_chinese_naming_the_field(change, path, message):
    error = refused(change)
    assert (error.path, error.message) == (path, message)
    assert not ENGLISH.search(error.message)


def test_every_translated_type_formats_and_an_unknown_english_one_is_not_shown():
    assert pydantic_message({"type": "less_than_equal", "ctx": {"le": 4}, "msg": "Input should be ≤ 4"}) == "应不大于4"
    assert pydantic_message({"type": "brand_new_type", "msg": "Something English"}) == "取值无效"
    assert pydantic_message({"type": "value_error", "msg": "Value error, 日期不对"}) == "日期不对"
    for kind, template in PYDANTIC.items():
        assert re.search(r"[\u4e00-\u9fff]", template), kind


def test_the_command_line_says_it_in_chinese(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    document = json.loads(EXAMPLE.read_text())
    document["members"][1]["birth_date"] = "2099-01-01"
    bad.write_text(json.dumps(document))
    assert cli.assess_one(str(bad), io.StringIO()) == cli.BAD_INPUT
    assert capsys.readouterr().err == "members[1].birth_date: 晚于评估日期as_of\n"
    bad.write_text("{not json")
    assert cli.assess_one(str(bad), io.StringIO()) == cli.BAD_INPUT
    assert capsys.readouterr().err == "$: 不是有效的JSON(第1行第2列)\n"
    bad.write_text("[1]")
    assert cli.assess_one(str(bad), io.StringIO()) == cli.BAD_INPUT
    assert capsys.readouterr().err == "$: 文档应为JSON对象\n"


def test_argparse_and_an_unknown_command_answer_in_chinese(capsys):
    from bangfu.cli import main

    with pytest.raises(SystemExit):
        main(["assess"])
    assert capsys.readouterr().err.splitlines()[-1] == "bangfu assess: 错误:缺少必需的参数:文件"
    assert main(["no-such-command"]) == 2
    assert capsys.readouterr().err.startswith("未知的命令:no-such-command")


def test_every_pydantic_error_type_has_chinese_words_naming_no_english_type():
    """Issue 17: no pydantic type reaches a user in English: every error type of pydantic-core is translated (or is
    raised with the engine's own Chinese words), and the types named by argparse are named in Chinese too."""
    import typing

    from pydantic_core.core_schema import ErrorType

    from bangfu.policy.messages import OWN_WORDS

    kinds = set(typing.get_args(ErrorType))
    assert kinds - set(PYDANTIC) == OWN_WORDS
    for kind in kinds - OWN_WORDS:
        message = pydantic_message({"type": kind, "msg": "Input should be a valid something", "ctx": {}})
        assert re.search(r"[\u4e00-\u9fff]", message) and "{" not in message, (kind, message)
        assert not TYPE_NAMES.search(message) and not ENGLISH.search(message), (kind, message)
    assert pydantic_message({"type": "datetime_parsing", "msg": "Input should be a valid datetime",
                             "ctx": {"error": "invalid character"}}) == "应为日期时间(YYYY-MM-DDTHH:MM:SS)"
    assert cli.integer.__name__ == "整数" and cli.iso_date("2026-11-16").isoformat() == "2026-11-16"
