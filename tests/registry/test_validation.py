"""Member data checks: ID numbers by stdnum, sex and birth date derived from them, credit codes, school."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from bangfu.common.errors import ValidationFailed
from bangfu.common.ids import make_id_number, mask_id_number
from bangfu.registry.validation import clean_member

TODAY = datetime.date(2026, 1, 1)
NUMBER = make_id_number("320100", datetime.date(1990, 5, 5), 7, "female")
WRONG_CHECK_DIGIT = NUMBER[:-1] + ("1" if NUMBER[-1] == "0" else "0")


def clean(**data):
    base = {"name": "王芳", "id_number": NUMBER, "relation": "self"}
    return clean_member({**base, **data}, today=TODAY)


def test_birth_date_and_sex_come_from_the_id_number():
    out = clean(id_number=NUMBER.lower())
    assert out["birth_date"] == datetime.date(1990, 5, 5) and out["sex"] == "female"
    assert out["employment"] == "none" and out["willing_to_work"] is True


@pytest.mark.parametrize("data, message", [
    ({"id_number": WRONG_CHECK_DIGIT}, "身份证号码无效"),
    ({"id_number": "12345"}, "身份证号码无效"),
    ({"sex": "male"}, "性别"),
    ({"birth_date": "1990-05-06"}, "出生日期"),
    ({"retirement_group": "male"}, "退休"),
    ({"relation": "cousin"}, "与职工本人关系"),
    ({"disability_grade": 5}, "残疾等级"),
    ({"school_stage": "primary", "school_institution": "public"}, "年级"),
    ({"school_stage": "primary", "school_year": 1}, "学校性质"),
    ({"business_kind": "individual"}, "注册日期"),
    ({"business_kind": "individual", "business_registered_on": "2020-01-01",
      "business_credit_code": "91110000600037341X"}, "统一社会信用代码"),
    ({"phone": "1234"}, "电话"),
    ({"name": ""}, "姓名"),
    ({"colour": "blue"}, "不认识的字段"),
])
def test_bad_member_data_is_refused_in_chinese(data, message):
    with pytest.raises(ValidationFailed, match=message):
        clean(**data)


def test_a_valid_credit_code_is_kept():
    out = clean(business_kind="individual", business_registered_on="2020-01-01",
                business_credit_code="91110000600037341l")
    assert out["business_credit_code"] == "91110000600037341L" and out["business_premises"] == "none"


def test_masking_keeps_four_digits_at_each_end():
    assert mask_id_number("320102199001011234") == "3201**********1234"


@given(st.sampled_from(["320100", "320200", "320102", "321300"]),
       st.dates(datetime.date(2000, 1, 1), datetime.date(2025, 12, 31)),
       st.integers(0, 10_000), st.sampled_from(["male", "female"]))
def test_generated_numbers_are_valid_and_agree_with_birth_date_and_sex(region, born, sequence, sex):
    number = make_id_number(region, born, sequence, sex)
    assert ric.validate(number) == number
    assert ric.get_birth_date(number) == born and (int(number[16]) % 2 == 1) == (sex == "male")


def _with_check_digit(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


@pytest.mark.parametrize("first17", ["32010219820101771", "32020519750101001", "32058319700101001"])
def test_a_number_issued_under_an_area_code_newer_than_its_holder_is_accepted(first17):
    """玄武区's 320102 dates from 1983 in the division data, but its workers born in 1982 hold it: a number carries
    the code of the place that issued it. stdnum alone refuses these real numbers."""
    number = _with_check_digit(first17)
    with pytest.raises(StdnumError):
        ric.validate(number)
    assert clean(id_number=number)["id_number"] == number


def test_an_area_code_abolished_before_the_birth_or_unknown_or_a_bad_date_is_refused():
    for first17 in ("11022519900101001",  # 房山县, abolished in 1986: nobody born in 1990 holds it
                    "99999919820101001",  # no such area
                    "32010219821301771"):  # month 13
        with pytest.raises(ValidationFailed, match="身份证号码无效"):
            clean(id_number=_with_check_digit(first17))
    assert clean(id_number=_with_check_digit("11022519850101001"))["birth_date"] == datetime.date(1985, 1, 1)
