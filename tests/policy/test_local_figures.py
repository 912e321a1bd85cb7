"""Jiangsu's monthly CPI figures, each pinned on both sides of the day it was published.

A month's figure takes effect on its publication day, never on the 1st of its month: on the day before, the
answer does not use it (the refusal names an earlier figure or the missing month); on the day, the refusal
names the figure (below 3 %) or the price subsidy is granted with it (3 % or more, see living-price.yaml).
"""

from __future__ import annotations

import datetime

import pytest

from bangfu.policy import assess
from bangfu.policy.parameters import default_parameters

EXTREME = {"region": "320100", "category": "extreme_hardship", "archived": True,
           "members": [{"id": "s", "relation": "self", "sex": "male", "birth_date": "1970-01-01"}]}

# (publication day, month, figure): the months found after 2019 whose publication day is stated.
INFERRED = {"2021-10"}  # the year read from the repost's address, not its text: illustrative
PUBLISHED = [
    ("2019-11-09", "2019-10", 4.1),
    ("2020-08-10", "2020-07", 2.7),
    ("2020-12-09", "2020-11", -0.4),
    ("2021-10-14", "2021-09", 1.5),
    ("2021-11-10", "2021-10", 2.2),  # the repost names no year: illustrative until the survey team's own release
    ("2022-08-10", "2022-07", 2.6),
    ("2023-05-11", "2023-04", 0.0),
    ("2023-11-09", "2023-10", -0.1),
]


def _price(day: str) -> tuple[dict | None, str | None]:
    answer = assess({**EXTREME, "as_of": day})
    granted = [b for b in answer["benefits"] if b["code"] == "living.price_subsidy"]
    refused = [n["reason"] for n in answer["not_eligible"] if n["code"] == "living.price_subsidy"]
    return (granted[0] if granted else None), (refused[0] if refused else None)


def _shown(figure: float) -> str:
    return f"{figure:g}%"


@pytest.mark.parametrize(("day", "month", "figure"), PUBLISHED, ids=[m for _, m, _ in PUBLISHED])
def test_a_month_is_used_from_its_publication_day_and_not_the_day_before(day, month, figure) -> None:
    published = datetime.date.fromisoformat(day)
    granted, refused = _price(day)
    if figure >= 3:
        assert granted and granted["details"]["cpi_yoy_percent"] == figure
        assert granted["details"]["cpi_month"] == month
    else:
        assert granted is None and f"涨幅{_shown(figure)},低于3%" in refused
    before_granted, before_refused = _price((published - datetime.timedelta(days=1)).isoformat())
    if before_granted:
        assert before_granted["details"]["cpi_month"] != month
    else:
        assert f"涨幅{_shown(figure)}," not in before_refused


@pytest.mark.parametrize(("day", "month", "figure"), PUBLISHED, ids=[m for _, m, _ in PUBLISHED])
def test_each_month_names_its_publication_and_where_it_was_read(day, month, figure) -> None:
    value = default_parameters()["living.price_subsidy.cpi_yoy_percent"].at(datetime.date.fromisoformat(day))
    assert value.start.isoformat() == day and value.value == figure
    assert value.status == ("illustrative" if month in INFERRED else "confirmed")
    assert value.reference["month"] == month and value.reference["date"] == day
    assert "江苏调查总队" in value.reference["document"] and value.reference["source"]


def test_a_gap_of_several_months_is_said_to_run_from_its_first_missing_month() -> None:
    _, refused = _price("2020-08-09")
    assert refused.startswith("2020年1月起的居民消费价格同比数据还没有录入系统")
    _, refused = _price("2026-11-16")
    assert refused.startswith("2023年11月起的居民消费价格同比数据还没有录入系统")


def test_changzhou_reported_standard_is_dated_and_stays_illustrative() -> None:
    """常州 1000 from 2022-07-01 is read in a report that names no document: illustrative, with its source."""
    standard = default_parameters()["sync.dibao.standard"]
    assert standard.at(datetime.date(2022, 6, 30), "320400").value == 870
    later = standard.at(datetime.date(2022, 7, 1), "320412")
    assert later.value == 1000 and later.status == "illustrative" and later.start == datetime.date(2022, 7, 1)
    assert "ns_news/991656554551951" in later.reference["source"] and "number" not in later.reference
