"""Fixtures of the exchange tests: clean families and household files built from them."""

from __future__ import annotations

import datetime

import pytest
from exchange_files import H_HEADERS, M_HEADERS, h_row, m_row, xlsx


@pytest.fixture
def family(build):
    """`family(number)`: the household row and three member rows (worker, spouse, primary-school child)."""
    def make(number: str = "1"):
        worker = build.id_number("320100", datetime.date(1980, 1, 1), "male")
        spouse = build.id_number("320100", datetime.date(1982, 2, 2), "female")
        child = build.id_number("320102", datetime.date(2015, 9, 1), "male")
        members = [m_row(number, "张伟", worker), m_row(number, "李娜", spouse, "配偶", 就业状况="无业"),
                   m_row(number, "张小明", child, "子女", 就业状况="在校学生", 学段="小学", 年级=3, 学校性质="公办")]
        return h_row(number), members
    return make


@pytest.fixture
def household_file(family):
    """`household_file(n)`: an .xlsx of n clean households."""
    def make(n: int = 2, tweak=None) -> bytes:
        households, members = [], []
        for i in range(1, n + 1):
            h, ms = family(str(i))
            households.append(h)
            members.extend(ms)
        if tweak:
            tweak(households, members)
        return xlsx({"家庭": (H_HEADERS, households), "成员": (M_HEADERS, members)})
    return make


