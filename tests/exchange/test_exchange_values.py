"""The one parser of dates and numbers: every accepted way of writing them, and the refusals naming the forms."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from bangfu.common.errors import ValidationFailed
from bangfu.exchange.values import code_text, parse_date, parse_decimal, parse_int

MARCH_1 = datetime.date(2024, 3, 1)


@pytest.mark.parametrize("value", [MARCH_1, datetime.datetime(2024, 3, 1, 9, 30), "2024-03-01", "2024-3-1", "2024/3/1",
                                   "2024/03/01", "2024.3.1", "2024年3月1日", "2024年03月01日", "２０２４年３月１日",
                                   "20240301", 20240301, " 2024-03-01 ", "2024-03-01 00:00:00", "2024/3/1 0:00"])
def test_every_accepted_way_of_writing_a_date_gives_the_same_day(value):
    assert parse_date(value, "起始日期") == MARCH_1


@pytest.mark.parametrize("value", ["45352", 45352, "03/01/24", "1/3/2024", "2024-3/1", "2024-02-30", "2024年13月1日",
                                   "三月一日", "2024"])
def test_anything_else_is_refused_naming_the_accepted_forms(value):
    with pytest.raises(ValidationFailed, match=r"起始日期日期无效:.*2024-03-01、2024/3/1、2024\.3\.1、2024年3月1日"):
        parse_date(value, "起始日期")


@pytest.mark.parametrize("value, expected", [("8800.80", "8800.80"), ("8,800.80", "8800.80"), ("¥8,800.80", "8800.80"),
                                             ("￥８，８００．８０", "8800.80"), ("1,234,567.5", "1234567.5"),
                                             (1234.5, "1234.5"), (12, "12"), ("-5", "-5"), ("0.5", "0.5")])
def test_money_as_people_write_it(value, expected):
    assert parse_decimal(value, "金额") == Decimal(expected)


@pytest.mark.parametrize("value", ["88,00.8", "8.800,80", "1E3", "abc", "", True, "8800元整"])
def test_numbers_that_are_not_numbers_are_refused(value):
    with pytest.raises(ValidationFailed, match="金额应为数字"):
        parse_decimal(value, "金额")


def test_whole_numbers_in_full_width_digits_and_number_cells():
    assert parse_int("３", "年级") == 3 and parse_int(3.0, "年级") == 3 and parse_int(" 12 ", "年级") == 12
    for bad in ("3.5", 3.5, "三", "-1"):
        with pytest.raises(ValidationFailed, match="年级应为整数"):
            parse_int(bad, "年级")


@pytest.mark.parametrize("value", [320102198001010011, 3.20102198001010e17, "3.20102E+17", "3.20102e17"])
def test_an_id_number_that_was_a_number_is_refused_as_text_only(value):
    with pytest.raises(ValidationFailed, match="身份证号码须以文本格式填写"):
        code_text(value, "身份证号码")


def test_an_id_number_in_full_width_digits_is_read():
    assert code_text("３２０１０２ １９８００１０１００１Ｘ", "身份证号码") == "32010219800101001X"
