"""The assessment document's pydantic models: what `schema.parse_document` and `schema.parse_json` validate with.

Apart from `schema` so that a command that reads no JSON document (`bangfu assess-table`) neither imports
pydantic nor builds these models; `schema` hands them out on first use.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from bangfu.policy.messages import AFTER_AS_OF
from bangfu.policy.regions import region_error
from bangfu.policy.schema import (
    _DATE,
    AS_OF_FIRST,
    AS_OF_LAST,
    BIRTH_FIRST,
    BUSINESS_KINDS,
    CATEGORIES,
    CAUSES,
    EMPLOYMENTS,
    INSTITUTIONS,
    PREMISES,
    RELATIONS,
    RETIREMENT_GROUPS,
    SEXES,
    STAGES,
    WORK_ABILITIES,
)

__all__ = ["AsOf", "BirthDate", "Business", "Date", "Household", "Member", "Money", "School", "ValidationError",
           "peek_as_of"]


_DAYS: dict[str, datetime.date] = {}  # dates repeat (as_of, birth dates, in a batch of lines): each read once


def _iso_date(value: Any) -> datetime.date:
    day = _DAYS.get(value) if type(value) is str else None
    if day is not None:
        return day
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise PydanticCustomError("date_format", "应为日期,写作YYYY-MM-DD")
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("date_impossible", "日期{value}不存在", {"value": value}) from None
    if len(_DAYS) < 1 << 16:
        _DAYS[value] = day
    return day


def _between(first: datetime.date, last: datetime.date | None) -> BeforeValidator:
    def check(value: Any) -> datetime.date:
        day = _iso_date(value)
        if day < first or (last is not None and day > last):
            span = f"{first}至{last}之间" if last is not None else f"不早于{first}"
            raise PydanticCustomError("date_bounds", "日期{value}超出范围,应{span}", {"value": value, "span": span})
        return day
    return BeforeValidator(check)


Date = Annotated[datetime.date, BeforeValidator(_iso_date)]
AsOf = Annotated[datetime.date, _between(AS_OF_FIRST, AS_OF_LAST)]
BirthDate = Annotated[datetime.date, _between(BIRTH_FIRST, None)]
Money = Annotated[float, Field(ge=0, le=100_000_000, allow_inf_nan=False)]


def _not_after_as_of(day: datetime.date, info: ValidationInfo) -> datetime.date:
    as_of = (info.context or {}).get("as_of")
    if as_of is not None and day > as_of:
        raise PydanticCustomError("after_as_of", AFTER_AS_OF)
    return day


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class School(_Strict):
    stage: Literal[STAGES[1:]]  # type: ignore[valid-type]
    year: int = Field(ge=1, le=10)
    institution: Literal[INSTITUTIONS]  # type: ignore[valid-type]
    excellent: bool = False


class Business(_Strict):
    kind: Literal[BUSINESS_KINDS[1:]]  # type: ignore[valid-type]
    registered_on: Date
    employees: int = Field(default=0, ge=0, le=1_000_000)
    first_time: bool = False
    premises: Literal[PREMISES] = "none"  # type: ignore[valid-type]
    other_rent_subsidy: bool = False

    _registered_on = field_validator("registered_on")(_not_after_as_of)


class Member(_Strict):
    id: str = Field(min_length=1)
    relation: Literal[RELATIONS]  # type: ignore[valid-type]
    sex: Literal[SEXES]  # type: ignore[valid-type]
    birth_date: BirthDate
    # Optional but not nullable: absent means "default from sex"; an explicit null is bad input.
    retirement_group: Literal[RETIREMENT_GROUPS] = None  # type: ignore[valid-type,assignment]
    employment: Literal[EMPLOYMENTS] = "none"  # type: ignore[valid-type]
    work_ability: Literal[WORK_ABILITIES] = "full"  # type: ignore[valid-type]
    willing_to_work: bool = True
    disability_grade: int | None = Field(default=None, ge=1, le=4)
    poverty_alleviation_target: bool = False
    resident_medical_insurance: bool = False
    resident_pension_insurance: bool = False
    serious_illness: bool = False
    school: School | None = None
    business: Business | None = None

    _birth_date = field_validator("birth_date")(_not_after_as_of)

    @field_validator("retirement_group")
    @classmethod
    def _group_fits_sex(cls, group: str | None, info: ValidationInfo) -> str | None:
        sex = info.data.get("sex")
        if group is not None and sex is not None and (group == "male") != (sex == "male"):
            raise PydanticCustomError("retirement_group_sex", "退休年龄组{group}与性别{sex}不符",
                                      {"group": group, "sex": sex})
        return group

    @property
    def group(self) -> str:
        """The statutory retirement group, defaulted from sex as the spec says."""
        return self.retirement_group or ("male" if self.sex == "male" else "female_50")


class Household(_Strict):
    as_of: AsOf
    region: str = Field(pattern=r"^\d{6}$")
    category: Literal[CATEGORIES]  # type: ignore[valid-type]
    archived: bool
    dibao: bool = False
    dibao_edge: bool = False
    monthly_income: Money = 0.0
    hardship_causes: list[Literal[CAUSES]] = []  # type: ignore[valid-type]
    cpi_yoy_percent: Annotated[float, Field(ge=-100, le=100, allow_inf_nan=False)] = None  # type: ignore[assignment]
    members: list[Member] = Field(min_length=1)

    @field_validator("region")
    @classmethod
    def _region_in_use(cls, code: str, info: ValidationInfo) -> str:
        as_of = (info.context or {}).get("as_of")
        if as_of is not None and (why := region_error(code, as_of)):
            raise PydanticCustomError("region", why)
        return code


def peek_as_of(raw: Any) -> datetime.date | None:
    """The document's as_of when it is a valid date, for the checks against it (None: not yet known)."""
    try:
        return _iso_date(raw.get("as_of")) if isinstance(raw, dict) else None
    except PydanticCustomError:
        return None
