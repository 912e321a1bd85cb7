"""The engine's dated parameters the case workflow reads: review interval, exit months, follow-ups, 低保 standard."""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal

from bangfu.common.errors import ValidationFailed


def _value(name: str, day: datetime.date, region: str):
    from bangfu.standards.selectors import effective_parameters  # late: standards reads the database

    value = effective_parameters()[name].at(day, region)
    return None if value is None else value.value


def months_parameter(name: str, day: datetime.date, region: str) -> int:
    """`sync.review.<name>` in whole months on `day` for `region`."""
    value = _value(f"sync.review.{name}", day, region)
    if value is None:
        raise ValidationFailed(f"未设置参数 sync.review.{name}")
    return int(value)


def dibao_standard(day: datetime.date, region: str) -> Decimal | None:
    """The local 低保 standard per person per month on `day` (Articles 2 and 24), or None when not held."""
    value = _value("sync.dibao.standard", day, region)
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when that day does not exist)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def next_review(day: datetime.date, region: str) -> datetime.date:
    return add_months(day, months_parameter("interval_months", day, region))
