"""The engine's dated parameters the case workflow reads: review interval, exit months, follow-ups (the 低保 standard
and the identification lines: `bangfu.registry.income.lines_on`)."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable

from bangfu.common.errors import ValidationFailed


def _parameter(name: str):
    from bangfu.standards.selectors import effective_parameters  # late: standards reads the database

    return effective_parameters()[name]


def _value(name: str, day: datetime.date, region: str):
    value = _parameter(name).at(day, region)
    return None if value is None else value.value


def months_parameter(name: str, day: datetime.date, region: str) -> int:
    """`sync.review.<name>` in whole months on `day` for `region`."""
    value = _value(f"sync.review.{name}", day, region)
    if value is None:
        raise ValidationFailed(f"未设置参数 sync.review.{name}")
    return int(value)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when that day does not exist)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def next_review(day: datetime.date, region: str) -> datetime.date:
    """The review due after an archive (or a review) on `day`: at least once a year (Article 26)."""
    return next_reviews([(day, region)])[0]


def next_reviews(pairs: Iterable[tuple[datetime.date, str]]) -> list[datetime.date]:
    """`next_review` for many (day, region) pairs with one read of the parameters (bulk loads)."""
    parameter = _parameter("sync.review.interval_months")
    out = []
    for day, region in pairs:
        value = parameter.at(day, region)
        if value is None or value.value is None:
            raise ValidationFailed(f"{day:%Y-%m-%d}未设置复核周期参数 sync.review.interval_months", field="archived_on")
        out.append(add_months(day, int(value.value)))
    return out
