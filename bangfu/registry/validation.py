"""Checking a household's and a member's data before a service writes it; every message is Chinese."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

from bangfu.common.bounds import date_or_none, decimal_within, text_within
from bangfu.common.errors import ValidationFailed
from bangfu.common.ids import birth_date_of, normalise_id_number, sex_of
from bangfu.policy.regions import get_region, region_error

from . import choices as c
from .models import Household, Member

PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")

HOUSEHOLD_FIELDS = {
    "region_code", "address", "phone", "proposed_category", "hardship_causes", "dibao", "dibao_edge",
    "housing_area_m2", "owns_housing", "has_vehicle", "financial_assets", "property_notes", "notes",
}
MEMBER_ENUMS = {
    "relation": c.Relation, "retirement_group": c.RetirementGroup, "employment": c.Employment,
    "work_ability": c.WorkAbility, "health": c.Health, "school_stage": c.SchoolStage,
    "school_institution": c.Institution, "business_kind": c.BusinessKind, "business_premises": c.Premises,
}
MEMBER_BOOLS = {
    "willing_to_work", "serious_illness", "poverty_alleviation_target", "resident_medical_insurance",
    "resident_pension_insurance", "school_excellent", "business_first_time", "business_other_rent_subsidy",
}
MEMBER_TEXT = {"name", "phone", "employer", "school_name", "business_name", "business_credit_code"}
MEMBER_FIELDS = (set(MEMBER_ENUMS) | MEMBER_BOOLS | MEMBER_TEXT
                 | {"id_number", "sex", "birth_date", "disability_grade", "school_year", "business_registered_on",
                    "business_employees"})


def _label(field: str) -> str:
    """The field's Chinese name, for messages."""
    for model in (Member, Household):
        try:
            return str(model._meta.get_field(field).verbose_name)
        except FieldDoesNotExist:
            continue
    return field


def _unknown(data: Mapping, allowed: set[str]) -> None:
    extra = sorted(set(data) - allowed)
    if extra:
        raise ValidationFailed(f"不认识的字段:{', '.join(extra)}", field=extra[0])


def _enum(field: str, value: Any, enum, blank: bool = False) -> str:
    if blank and value in ("", None):
        return ""
    if value not in enum.values:
        raise ValidationFailed(f"{_label(field)}的取值无效:{value}", field=field)
    return value


def _bool(field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValidationFailed(f"{_label(field)}应为是或否", field=field)
    return value


def _decimal(field: str, value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    amount = decimal_within(Household, field, value)
    if amount < 0:
        raise ValidationFailed(f"{_label(field)}不能为负数", field=field)
    return amount


def _date(field: str, value: Any) -> datetime.date | None:
    return date_or_none(value, field=field, label=_label(field))


def clean_phone(value: Any, field: str = "phone") -> str:
    value = str(value or "").strip()
    if value and not PHONE.match(value):
        raise ValidationFailed(f"电话号码格式不正确:{value}", field=field)
    return value


def clean_region(code: str, union_division: str, today: datetime.date) -> str:
    error = region_error(code, today)
    if error:
        raise ValidationFailed(error, field="region_code")
    region = get_region(code)
    if union_division not in (code, region.city_code) and not union_division.startswith("3200"):
        raise ValidationFailed(f"行政区划{code}不在所属工会的辖区内", field="region_code")
    return code


def clean_household(data: Mapping, *, union_division: str, today: datetime.date, partial: bool) -> dict:
    """The validated household fields of `data` (all required ones unless `partial`)."""
    _unknown(data, HOUSEHOLD_FIELDS)
    out: dict[str, Any] = {}
    if not partial or "region_code" in data:
        out["region_code"] = clean_region(str(data.get("region_code", "")), union_division, today)
    if not partial or "address" in data:
        out["address"] = text_within(Household, "address", data.get("address"), plain=True)
        if not out["address"]:
            raise ValidationFailed("家庭住址不能为空", field="address")
    if "phone" in data:
        out["phone"] = clean_phone(data["phone"])
    if "proposed_category" in data:
        out["proposed_category"] = _enum("proposed_category", data["proposed_category"], c.Category)
    if "hardship_causes" in data:
        causes = data["hardship_causes"] or []
        if not isinstance(causes, list | tuple):
            raise ValidationFailed("致困原因应为列表", field="hardship_causes")
        for cause in causes:
            _enum("hardship_causes", cause, c.Cause)
        out["hardship_causes"] = [v for v in c.Cause.values if v in set(causes)]
    for field in ("dibao", "dibao_edge", "owns_housing", "has_vehicle"):
        if field in data:
            out[field] = _bool(field, data[field])
    for field in ("housing_area_m2", "financial_assets"):
        if field in data:
            out[field] = _decimal(field, data[field])
    for field in ("property_notes", "notes"):
        if field in data:
            out[field] = str(data[field] or "")
    if out.get("dibao") and out.get("dibao_edge"):
        raise ValidationFailed("低保户与低保边缘户不能同时勾选", field="dibao_edge")
    return out


def _clean_identity(data: Mapping, out: dict) -> None:
    """The ID number is the source of the birth date and sex; stated values must agree with it."""
    number = normalise_id_number(str(data.get("id_number", "")))
    birth, sex = birth_date_of(number), sex_of(number)
    if data.get("birth_date") not in (None, "") and _date("birth_date", data["birth_date"]) != birth:
        raise ValidationFailed("出生日期与身份证号码不一致", field="birth_date")
    if data.get("sex") not in (None, "") and data["sex"] != sex:
        raise ValidationFailed("性别与身份证号码不一致", field="sex")
    out.update(id_number=number, birth_date=birth, sex=sex)


def clean_member(data: Mapping, *, today: datetime.date, current: Mapping | None = None) -> dict:
    """Validated member fields; with `current` (an update) the result is the whole merged record."""
    _unknown(data, MEMBER_FIELDS)
    merged = {**(current or {}), **data}
    out: dict[str, Any] = {}
    out["name"] = text_within(Member, "name", merged.get("name"), plain=True)
    if not out["name"]:
        raise ValidationFailed("姓名不能为空", field="name")
    # Only the sex and birth date stated now are compared: stored ones were derived from the stored number.
    _clean_identity({"id_number": merged.get("id_number"), "sex": data.get("sex"),
                     "birth_date": data.get("birth_date")}, out)
    if out["birth_date"] > today:
        raise ValidationFailed("出生日期晚于今天", field="id_number")
    for field, enum in MEMBER_ENUMS.items():
        blank = field not in ("relation",)
        default = {"employment": "none", "work_ability": "full", "health": "healthy"}.get(field, "")
        out[field] = _enum(field, merged.get(field, default) or default, enum, blank=blank)
    for field in MEMBER_BOOLS:
        out[field] = _bool(field, merged.get(field, field == "willing_to_work"))
    for field in ("employer", "school_name", "business_name"):
        out[field] = text_within(Member, field, merged.get(field), strip=False, plain=True)
    out["phone"] = clean_phone(merged.get("phone"))
    _clean_retirement(out)
    out["disability_grade"] = _small_int("disability_grade", merged.get("disability_grade"), 1, 4)
    _clean_school(merged, out)
    _clean_business(merged, out, today)
    return out


def _small_int(field: str, value: Any, low: int, high: int | None) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high and value > high):
        bound = f"{low}到{high}之间" if high else f"不小于{low}"
        raise ValidationFailed(f"{_label(field)}应为{bound}的整数", field=field)
    return value


def _clean_retirement(out: dict) -> None:
    group, sex = out["retirement_group"], out["sex"]
    if group and (group == "male") != (sex == "male"):
        raise ValidationFailed("退休年龄类别与性别不符", field="retirement_group")


def _clean_school(merged: Mapping, out: dict) -> None:
    if not out["school_stage"]:
        out.update(school_year=None, school_institution="", school_excellent=False, school_name="")
        return
    out["school_year"] = _small_int("school_year", merged.get("school_year"), 1, 10)
    if out["school_year"] is None:
        raise ValidationFailed("在校学生须填写年级", field="school_year")
    if not out["school_institution"]:
        raise ValidationFailed("在校学生须填写学校性质", field="school_institution")


def _clean_business(merged: Mapping, out: dict, today: datetime.date) -> None:
    if not out["business_kind"]:
        out.update(business_credit_code="", business_registered_on=None, business_employees=0,
                   business_first_time=False, business_premises="", business_other_rent_subsidy=False,
                   business_name="")
        return
    out["business_registered_on"] = _date("business_registered_on", merged.get("business_registered_on"))
    if out["business_registered_on"] is None or out["business_registered_on"] > today:
        raise ValidationFailed("须填写不晚于今天的注册日期", field="business_registered_on")
    out["business_employees"] = _small_int("business_employees", merged.get("business_employees") or 0, 0, None) or 0
    out["business_premises"] = out["business_premises"] or "none"
    code = str(merged.get("business_credit_code") or "").strip().upper()
    if code:
        try:
            code = uscc.validate(code)
        except StdnumError as exc:
            raise ValidationFailed(f"统一社会信用代码无效:{code}", field="business_credit_code") from exc
    out["business_credit_code"] = code
