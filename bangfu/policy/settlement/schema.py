"""The settlement input document (../shared/spec/settlement.md), validated to the letter; bad input names its field."""

from __future__ import annotations

import datetime
import json
import math
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from bangfu.policy.messages import NOT_AN_OBJECT, not_json, pydantic_message
from bangfu.policy.regions import region_error
from bangfu.policy.schema import CATEGORIES, NOT_FINITE, NUL, RELATIONS, TOO_DEEP, Date, InputError, _path

SCHEMES = ("resident", "employee")
KINDS = ("inpatient", "outpatient")
LEVELS = ("community", "secondary", "tertiary")
YTD_KEYS = ("basic_paid", "critical_base", "critical_paid", "assistance_base", "assistance_paid", "mutual_aid_paid")
LOCAL_LAYERS = ("basic", "critical", "assistance", "mutual_aid", "emergency")
MAX_MONEY = 100_000_000
MAX_DEPTH = 32
FIRST_DAY = datetime.date(1995, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)


def _money(x: float) -> float:
    if not math.isfinite(x):
        raise PydanticCustomError("finite", NOT_FINITE)
    if x < 0:
        raise PydanticCustomError("money_negative", "应不小于0")
    if x > MAX_MONEY:
        raise PydanticCustomError("money_big", "应不大于100000000")
    if Decimal(repr(float(x))).as_tuple().exponent < -2:
        raise PydanticCustomError("money_fen", "小数超过两位(金额精确到分)")
    return float(x)


def _ratio(x: float) -> float:
    if not math.isfinite(x) or not 0 <= x <= 1:
        raise PydanticCustomError("ratio", "应为0至1之间的比例")
    return float(x)


Money = Annotated[float, AfterValidator(_money)]
Ratio = Annotated[float, AfterValidator(_ratio)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class Member(_Strict):
    relation: Literal[RELATIONS]  # type: ignore[valid-type]
    scheme: Literal[SCHEMES]  # type: ignore[valid-type]
    serious_illness: bool = False
    mutual_aid: bool = False


class Bill(_Strict):
    kind: Literal[KINDS]  # type: ignore[valid-type]
    hospital_level: Literal[LEVELS]  # type: ignore[valid-type]
    total: Money
    in_scope: Money
    emergency: bool = False
    unpaid: bool = False

    @field_validator("in_scope")
    @classmethod
    def _within_total(cls, value: float, info: ValidationInfo) -> float:
        total = info.data.get("total")
        if total is not None and value > total:
            raise PydanticCustomError("in_scope_total", "大于总费用total")
        return value


class YearToDate(_Strict):
    basic_paid: Money = 0.0
    critical_base: Money = 0.0
    critical_paid: Money = 0.0
    assistance_base: Money = 0.0
    assistance_paid: Money = 0.0
    mutual_aid_paid: Money = 0.0


class Segment(_Strict):
    to: Money | None
    ratio: Ratio


def _segments_fit(segments: list[Segment] | None) -> list[Segment] | None:
    if segments is None:
        return None
    if not segments:
        raise PydanticCustomError("segments_empty", "至少应有一段")
    return segments


def _check_bounds(segments: list[Segment] | None, where: str) -> None:
    """Bounds strictly rising, the last one null and no other null (raised at `segments[i].to`)."""
    if not segments:
        return
    last = len(segments) - 1
    for i, seg in enumerate(segments):
        if (seg.to is None) != (i == last):
            why = "只有最后一段的上限可以为null" if seg.to is None else "最后一段的上限应为null"
            raise _LocalError(f"{where}.segments[{i}].to", why)
        if i and seg.to is not None and segments[i - 1].to is not None and seg.to <= segments[i - 1].to:
            raise _LocalError(f"{where}.segments[{i}].to", "各段上限应严格递增")


class _LocalError(ValueError):
    def __init__(self, path: str, message: str):
        super().__init__(message)
        self.path = path


Segments = Annotated[list[Segment], AfterValidator(_segments_fit)]


class LocalBasic(_Strict):
    threshold: Money = None  # type: ignore[assignment]
    ratio: Ratio = None  # type: ignore[assignment]
    cap: Money | None = None


class LocalCritical(_Strict):
    normal_threshold: Money = None  # type: ignore[assignment]
    segments: Segments = None  # type: ignore[assignment]
    bonus_points: float = None  # type: ignore[assignment]
    cap: Money | None = None

    @field_validator("bonus_points")
    @classmethod
    def _bonus(cls, value: float) -> float:
        if not math.isfinite(value) or not 5 <= value <= 10:
            raise PydanticCustomError("bonus_points", "应为5至10")
        return float(value)


class LocalAssistance(_Strict):
    threshold: Money = None  # type: ignore[assignment]
    ratio: Ratio = None  # type: ignore[assignment]
    segments: Segments = None  # type: ignore[assignment]
    cap: Money | None = None

    @model_validator(mode="after")
    def _ratio_or_segments(self) -> LocalAssistance:
        if "ratio" in self.model_fields_set and "segments" in self.model_fields_set:
            raise _LocalError("local.assistance.segments", "ratio和segments只能给出一个")
        return self


class LocalMutualAid(LocalBasic):
    pass


class LocalEmergency(_Strict):
    cap: Money | None = None


class Local(_Strict):
    basic: LocalBasic = None  # type: ignore[assignment]
    critical: LocalCritical = None  # type: ignore[assignment]
    assistance: LocalAssistance = None  # type: ignore[assignment]
    mutual_aid: LocalMutualAid = None  # type: ignore[assignment]
    emergency: LocalEmergency = None  # type: ignore[assignment]

    def given(self) -> dict[str, dict[str, Any]]:
        """Per layer, the figures the caller set (a null cap is set: no cap)."""
        out = {}
        for layer in LOCAL_LAYERS:
            part = getattr(self, layer)
            if part is not None:
                out[layer] = {k: getattr(part, k) for k in part.model_fields_set}
        return out


class BillDocument(_Strict):
    as_of: Date
    region: str = Field(pattern=r"^\d{6}$")
    category: Literal[CATEGORIES]  # type: ignore[valid-type]
    archived: bool
    member: Member
    bill: Bill
    year_to_date: YearToDate = YearToDate()
    local: Local = Local()

    @field_validator("as_of")
    @classmethod
    def _as_of_bounds(cls, day: datetime.date) -> datetime.date:
        if not FIRST_DAY <= day <= LAST_DAY:
            raise PydanticCustomError("as_of_range", "应在1995-01-01至2100-12-31之间")
        return day

    @field_validator("region")
    @classmethod
    def _region_in_use(cls, code: str, info: ValidationInfo) -> str:
        as_of = info.data.get("as_of")
        if as_of is not None and (why := region_error(code, as_of)):
            raise PydanticCustomError("region", why)
        return code


# The order of the spec's input table: the first error in this order is the one named.
_ORDER = ("as_of", "region", "category", "archived", "member", "bill", "year_to_date", "local")
_SUB_ORDER = {
    "member": ("relation", "scheme", "serious_illness", "mutual_aid"),
    "bill": ("kind", "hospital_level", "total", "in_scope", "emergency", "unpaid"),
    "year_to_date": YTD_KEYS,
    "local": LOCAL_LAYERS,
}


def _table_order(loc: tuple) -> tuple:
    if not loc:
        return (-1,)
    head = loc[0]
    key = [_ORDER.index(head) if head in _ORDER else len(_ORDER)]
    if len(loc) > 1:
        sub = _SUB_ORDER.get(head, ())
        key.append(sub.index(loc[1]) if loc[1] in sub else len(sub))
        key.extend(p if isinstance(p, int) else 0 for p in loc[2:])
    return tuple(key)


def _walk(node: Any, path: tuple, depth: int, found: list) -> None:
    """The limits of every JSON value: nesting, NUL characters, finite numbers (unknown fields too)."""
    if depth > MAX_DEPTH:
        raise InputError("$", TOO_DEEP)
    if isinstance(node, dict):
        for key, value in node.items():
            if "\x00" in key:
                found.append((path + (key,), NUL))
            _walk(value, path + (key,), depth + 1, found)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _walk(value, path + (i,), depth + 1, found)
    elif isinstance(node, str):
        if "\x00" in node:
            found.append((path, NUL))
    elif isinstance(node, float) and not math.isfinite(node):
        found.append((path, NOT_FINITE))


def _load(document: Any) -> dict:
    if isinstance(document, (str, bytes, bytearray)):
        try:
            document = json.loads(document)
        except RecursionError:
            raise InputError("$", TOO_DEEP) from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise InputError("$", not_json(exc)) from None
    if not isinstance(document, dict):
        raise InputError("$", NOT_AN_OBJECT)
    return document


def parse_bill(document: Any) -> BillDocument:
    """Validate one bill document (a dict, or JSON text); raise InputError naming the first bad field."""
    document = _load(document)
    errors: list[tuple[tuple, str]] = []
    try:
        _walk(document, (), 1, errors)
    except RecursionError:
        raise InputError("$", TOO_DEEP) from None
    parsed = None
    try:
        parsed = BillDocument.model_validate(document)
    except ValidationError as exc:
        seen = {tuple(loc) for loc, _ in errors}
        for e in exc.errors():
            cause = (e.get("ctx") or {}).get("error")
            loc = _loc_of(cause.path) if isinstance(cause, _LocalError) else tuple(e["loc"])
            if loc not in seen:  # a NUL or a non-finite number says more than the type error it causes
                errors.append((loc, str(cause) if isinstance(cause, _LocalError) else pydantic_message(e)))
    if errors:
        loc, message = min(errors, key=lambda e: _table_order(e[0]))
        raise InputError(_path(loc), message)
    for layer in ("critical", "assistance"):
        part = getattr(parsed.local, layer)
        if part is not None:
            try:
                _check_bounds(part.segments, f"local.{layer}")
            except _LocalError as exc:
                raise InputError(exc.path, str(exc)) from None
    return parsed


def _loc_of(path: str) -> tuple:
    out: list = []
    for part in path.replace("]", "").replace("[", ".").split("."):
        out.append(int(part) if part.isdigit() else part)
    return tuple(out)
