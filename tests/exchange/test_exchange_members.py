"""The remembered member validation gives exactly what the form's `clean_member` gives, errors included."""

from __future__ import annotations

import datetime
import itertools

import pytest

from bangfu.common.errors import ValidationFailed
from bangfu.exchange.members import MemberCleaner
from bangfu.registry.validation import clean_member


def outcome(function, data):
    try:
        return function(data)
    except ValidationFailed as exc:
        return ("error", exc.message)


def test_the_cleaner_agrees_with_clean_member_row_for_row(build):
    today = datetime.date(2026, 1, 1)
    cleaner = MemberCleaner(today)
    shapes = [
        {"relation": "self", "employment": "registered_unemployed"},
        {"relation": "child", "employment": "student", "school_stage": "primary", "school_year": 3,
         "school_institution": "public"},
        {"relation": "spouse", "retirement_group": "female_50"},
        {"relation": "child", "school_stage": "junior"},  # no year: an error
        {"relation": "other", "business_kind": "individual", "business_registered_on": "2023-01-01"},
    ]
    people = [
        {"name": "张伟", "id_number": build.id_number("320100", datetime.date(1980, 1, 1), "male"),
         "phone": "13912345678", "employer": "某公司", "school_name": "某小学", "business_name": "某店"},
        {"name": "李娜", "id_number": build.id_number("320100", datetime.date(1982, 1, 1), "female")},
        {"name": "", "id_number": build.id_number()},
        {"name": "王芳", "id_number": "320100198001010000"},
        {"name": "赵敏", "id_number": build.id_number(), "phone": "12345"},
    ]
    for shape, person in itertools.product(shapes, people):
        data = {**shape, **person}
        assert outcome(cleaner, data) == outcome(lambda d: clean_member(d, today=today), data), data


@pytest.mark.parametrize("field", ["sex", "birth_date"])
def test_stated_sex_or_birth_date_goes_to_the_form_validation_itself(build, field):
    cleaner = MemberCleaner(datetime.date(2026, 1, 1))
    data = {"name": "张伟", "relation": "self", "id_number": build.id_number(sex="male"),
            field: "female" if field == "sex" else "1999-01-01"}
    with pytest.raises(ValidationFailed):
        cleaner(data)


def test_numbers_sharing_a_region_and_birth_date_are_still_checked_one_by_one(build):
    from bangfu.common.ids import make_id_number

    cleaner = MemberCleaner(datetime.date(2026, 1, 1))
    good = make_id_number("320100", datetime.date(1980, 1, 1), 1, "male")
    base = {"name": "张伟", "relation": "self"}
    assert cleaner({**base, "id_number": good})["id_number"] == good
    twin = make_id_number("320100", datetime.date(1980, 1, 1), 2, "male")
    assert cleaner({**base, "id_number": twin.lower()})["birth_date"] == datetime.date(1980, 1, 1)
    wrong = twin[:17] + ("0" if twin[17] != "0" else "1")
    for bad in (wrong, twin[:17], twin[:16] + "X" + twin[17], twin[:14] + "１２３４"):
        with pytest.raises(ValidationFailed, match="身份证号码无效"):
            cleaner({**base, "id_number": bad})
