"""The assessment input document (../shared/spec/assessment.md), validated to the letter; bad input names its field."""

from __future__ import annotations

import datetime
import json
import re
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

from bangfu.policy.regions import region_error

CATEGORIES = ("none", "hardship", "extreme_hardship")
CAUSES = (
    "illness", "disability", "education", "disaster", "unemployment",
    "single_parent", "work_injury", "enterprise_difficulty", "other",
)
RELATIONS = ("self", "spouse", "child", "parent", "sibling", "grandchild", "other")
SEXES = ("male", "female")
RETIREMENT_GROUPS = ("male", "female_50", "female_55")
EMPLOYMENTS = ("employed", "registered_unemployed", "unemployed", "retired", "student", "none")
WORK_ABILITIES = ("full", "partial", "none")
# Index 0 of these three means "no school" / "no business" in the columnar tables.
STAGES = ("", "preschool", "primary", "junior", "senior_high", "secondary_vocational", "higher",
          "adult_higher_regular")
INSTITUTIONS = ("public", "private_inclusive", "private_nonprofit", "private_forprofit")
BUSINESS_KINDS = ("", "individual", "enterprise", "farmer_cooperative", "private_non_enterprise", "online")
PREMISES = ("incubator", "rented", "own", "none")

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class InputError(ValueError):
    """A document that breaks the format: `path` names the field (`$` for the document itself)."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def _iso_date(value: Any) -> datetime.date:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise PydanticCustomError("date_format", "should be a date written YYYY-MM-DD")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("date_impossible", "impossible date {value}", {"value": value}) from None


Date = Annotated[datetime.date, BeforeValidator(_iso_date)]
Money = Annotated[float, Field(ge=0, allow_inf_nan=False)]


def _not_after_as_of(day: datetime.date, info: ValidationInfo) -> datetime.date:
    as_of = (info.context or {}).get("as_of")
    if as_of is not None and day > as_of:
        raise PydanticCustomError("after_as_of", "after as_of")
    return day


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class School(_Strict):
    stage: Literal[STAGES[1:]]  # type: ignore[valid-type]
    year: int = Field(ge=1)
    institution: Literal[INSTITUTIONS]  # type: ignore[valid-type]
    excellent: bool = False


class Business(_Strict):
    kind: Literal[BUSINESS_KINDS[1:]]  # type: ignore[valid-type]
    registered_on: Date
    employees: int = Field(default=0, ge=0)
    first_time: bool = False
    premises: Literal[PREMISES] = "none"  # type: ignore[valid-type]
    other_rent_subsidy: bool = False

    _registered_on = field_validator("registered_on")(_not_after_as_of)


class Member(_Strict):
    id: str = Field(min_length=1)
    relation: Literal[RELATIONS]  # type: ignore[valid-type]
    sex: Literal[SEXES]  # type: ignore[valid-type]
    birth_date: Date
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
            raise PydanticCustomError("retirement_group_sex", "{group} contradicts sex {sex}",
                                      {"group": group, "sex": sex})
        return group

    @property
    def group(self) -> str:
        """The statutory retirement group, defaulted from sex as the spec says."""
        return self.retirement_group or ("male" if self.sex == "male" else "female_50")


class Household(_Strict):
    as_of: Date
    region: str = Field(pattern=r"^\d{6}$")
    category: Literal[CATEGORIES]  # type: ignore[valid-type]
    archived: bool
    dibao: bool = False
    dibao_edge: bool = False
    monthly_income: Money = 0.0
    hardship_causes: list[Literal[CAUSES]] = []  # type: ignore[valid-type]
    cpi_yoy_percent: Annotated[float, Field(allow_inf_nan=False)] = None  # type: ignore[assignment]
    members: list[Member] = Field(min_length=1)

    @field_validator("region")
    @classmethod
    def _region_in_use(cls, code: str, info: ValidationInfo) -> str:
        as_of = (info.context or {}).get("as_of")
        if as_of is not None and (why := region_error(code, as_of)):
            raise PydanticCustomError("region", why)
        return code


def _path(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "$"


def _document_order(raw: Any, loc: tuple) -> tuple:
    """Sort key placing an error where its field stands in the document (absent fields last)."""
    key: list[int] = []
    node = raw
    for part in loc:
        if isinstance(node, dict):
            keys = list(node)
            key.append(keys.index(part) if part in keys else len(keys))
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int):
            key.append(part)
            node = node[part] if part < len(node) else None
        else:
            break
    return tuple(key)


def _peek_as_of(raw: Any) -> datetime.date | None:
    try:
        return _iso_date(raw.get("as_of")) if isinstance(raw, dict) else None
    except PydanticCustomError:
        return None


def _check_members(household: Household) -> None:
    seen: set[str] = set()
    selves = 0
    for i, member in enumerate(household.members):
        if member.id in seen:
            raise InputError(f"members[{i}].id", f"duplicate member id {member.id!r}")
        seen.add(member.id)
        if member.relation == "self":
            selves += 1
            if selves > 1:
                raise InputError(f"members[{i}].relation", "more than one member with relation self")
    if selves == 0:
        raise InputError("members", "no member with relation self")


def parse_document(document: Any) -> Household:
    """Validate one document (a dict, or JSON text); raise InputError naming the first bad field."""
    if isinstance(document, (str, bytes, bytearray)):
        try:
            document = json.loads(document)
        except (ValueError, UnicodeDecodeError) as exc:
            raise InputError("$", f"not valid JSON ({exc})") from None
    if not isinstance(document, dict):
        raise InputError("$", "the document should be a JSON object")
    try:
        household = Household.model_validate(document, context={"as_of": _peek_as_of(document)})
    except ValidationError as exc:
        first = min(exc.errors(), key=lambda e: _document_order(document, e["loc"]))
        raise InputError(_path(first["loc"]), first["msg"]) from None
    _check_members(household)
    return household


def _dates_fit(household: Household) -> bool:
    """The checks against `as_of` that the fast path defers (validation had no as_of to compare with)."""
    as_of = household.as_of
    if region_error(household.region, as_of):
        return False
    for m in household.members:
        if m.birth_date > as_of or (m.business is not None and m.business.registered_on > as_of):
            return False
    return True


def parse_json(text: bytes | str) -> Household:
    """`parse_document` for JSON text, validated in pydantic's core in one pass.

    A bad document is parsed again the exact way, so that the error named is the same.
    """
    try:
        household = Household.model_validate_json(text, context={"as_of": None})
    except ValidationError:
        household = None
    if household is None or not _dates_fit(household):
        return parse_document(text)
    _check_members(household)
    return household
