"""Input held to what its column can store (digits, length, ranges), so bad input is a named 422, never a 500."""

from __future__ import annotations

import datetime
from decimal import Context, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import Field

from bangfu.policy.parameters import NOTICE_DAY

from .errors import ValidationFailed
from .spreadsheets import refuse_formula

# Assessments (the engine's parameters, plans, targets) are meaningful only within these dates.
AS_OF_MIN = datetime.date(2000, 1, 1)
AS_OF_MAX = datetime.date(2100, 12, 31)
# Pages beyond this are empty anyway; the bound keeps offsets inside a bigint.
PAGE_MAX = 100_000
# Bounds of the API's parameters (schema layer): an id is a positive bigint, a count fits an integer column, a year
# and a date lie where the programme's data can (no year 0 or 10000 reaches the database or date arithmetic).
YEAR_MIN, YEAR_MAX = 1900, 2100
DAY_MIN, DAY_MAX = datetime.date(YEAR_MIN, 1, 1), datetime.date(YEAR_MAX, 12, 31)
# The programme's first year, the notice's (苏政办发[2019]2号, in force from `NOTICE_DAY`): the earliest year of a
# budget, a plan, a report and a medical bill.
FIRST_YEAR = NOTICE_DAY.year
DbId = Annotated[int, Field(ge=1, le=2**63 - 1)]
Count = Annotated[int, Field(ge=0, le=2**31 - 1)]
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
Day = Annotated[datetime.date, Field(ge=DAY_MIN, le=DAY_MAX)]
_PLACES = {1: "一", 2: "两", 3: "三"}
_WIDE = Context(prec=80)  # enough for any column's digits and any tiny fraction typed


def _field(model, name: str):
    return model._meta.get_field(name)


def text_within(model, name: str, value: Any, *, field: str | None = None, strip: bool = True,
                plain: bool = False) -> str:
    """`value` as text, refused when longer than the model field's max_length; with `plain` (names, addresses,
    descriptions: what exports carry), also refused when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    if strip:
        text = text.strip()
    model_field = _field(model, name)
    limit = model_field.max_length
    if limit is not None and len(text) > limit:
        raise ValidationFailed(f"{model_field.verbose_name}不能超过{limit}个字", field=field or name)
    if plain:
        refuse_formula(text, field=field or name, label=str(model_field.verbose_name))
    return text


def decimal_within(model, name: str, value: Any, *, field: str | None = None, label: str | None = None,
                   exact: bool = False) -> Decimal:
    """`value` as a Decimal fitting the model field's max_digits/decimal_places (rounded unless `exact`)."""
    model_field = _field(model, name)
    label = label or str(model_field.verbose_name)
    field = field or name
    places = Decimal(1).scaleb(-model_field.decimal_places)
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(f"{label}无效:应为数字", field=field) from exc
    if not amount.is_finite():
        raise ValidationFailed(f"{label}无效:应为数字", field=field)
    limit = Decimal(10) ** (model_field.max_digits - model_field.decimal_places)
    # Compared before rounding: quantize itself fails on numbers beyond the context's 28 digits.
    if abs(amount) >= limit or abs(amount.quantize(places, context=_WIDE)) >= limit:
        raise ValidationFailed(f"{label}过大,应小于{limit:f}", field=field)
    rounded = amount.quantize(places, context=_WIDE)
    if exact and rounded != amount:
        digits = _PLACES.get(model_field.decimal_places, model_field.decimal_places)
        raise ValidationFailed(f"{label}最多保留{digits}位小数", field=field)
    return rounded


def int_within(value: Any, low: int, high: int, *, field: str, label: str) -> int:
    """An integer in low..high (bools refused), else ValidationFailed naming the field."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationFailed(f"{label}应为{low}到{high}之间的整数", field=field)
    return value


def date_or_none(value: Any, *, field: str, label: str) -> datetime.date | None:
    """A date from a form or a JSON body: blank is None, a date stays, ISO text (YYYY-MM-DD) is read; anything else
    is ValidationFailed naming the field."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed(f"{label}不是有效日期(YYYY-MM-DD):{value}", field=field) from None


def as_of_within(value: datetime.date | None, *, field: str = "as_of") -> datetime.date | None:
    """An assessment date, refused outside 2000-01-01..2100-12-31 (the engine's dated parameters)."""
    if value is not None and not AS_OF_MIN <= value <= AS_OF_MAX:
        raise ValidationFailed(f"测算日期应在{AS_OF_MIN}至{AS_OF_MAX}之间", field=field)
    return value


def cursor(value: Any) -> int | None:
    """A keyset cursor (a row's id) from a query string; anything odd or out of range is no cursor."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def page_number(value: Any) -> int:
    """A 1-based page number from a query string; anything odd or huge becomes a page that exists or 1."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), PAGE_MAX)
