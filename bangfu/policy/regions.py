"""Jiangsu's cities and county-level divisions, from python-stdnum's division-code data (not a hand-typed list)."""

from __future__ import annotations

import datetime
import importlib.util
import sys
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from types import ModuleType

PROVINCE = "320000"
PROVINCE_NAME = "江苏省"
# Placeholders that group a city's districts; they are no place a household lives in.
_PLACEHOLDERS = frozenset({"市辖区", "市区", "县"})


@dataclass(frozen=True, slots=True)
class Period:
    name: str
    start: int | None  # first year of use, None: since before the data begins
    end: int | None  # last year of use, None: still in use

    def covers(self, year: int) -> bool:
        return (self.start is None or self.start <= year) and (self.end is None or year <= self.end)


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    city_code: str
    periods: tuple[Period, ...]

    @property
    def is_city(self) -> bool:
        return self.code == self.city_code

    def name_on(self, day: datetime.date) -> str | None:
        """The name in use on that day, or None when the code was not in use."""
        for period in self.periods:
            if period.covers(day.year):
                return period.name
        return None

    @property
    def name(self) -> str:
        """The latest name the code carried."""
        return self.periods[-1].name


def _parse_periods(text: str) -> tuple[Period, ...]:
    periods = []
    for part in text.split(","):
        if part.startswith("["):
            span, name = part[1:].split("]", 1)
            start, end = span.split("-")
            periods.append(Period(name, int(start) if start else None, int(end) if end else None))
        else:
            periods.append(Period(part, None, None))
    return tuple(periods)


def _stdnum() -> tuple[ModuleType, Path]:
    """python-stdnum's numdb parser and the folder of its data, without importing the stdnum package: its
    __init__ imports stdnum.util (ssl, pydoc, …), 40 ms of every engine command's start. numdb itself needs
    only `re`."""
    root = Path(importlib.util.find_spec("stdnum").submodule_search_locations[0])
    numdb = sys.modules.get("stdnum.numdb")
    if numdb is None:
        spec = importlib.util.spec_from_file_location("_bangfu_stdnum_numdb", root / "numdb.py")
        numdb = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(numdb)
    return numdb, root


def _province_data():
    """The province's part of python-stdnum's division data (cn/loc.dat), read by numdb's own parser.

    Only its block of lines is parsed: the whole country's added some 25 ms to every command's start.
    """
    numdb, root = _stdnum()
    lines: list[str] = []
    with (root / "cn" / "loc.dat").open(encoding="utf-8") as fh:
        for line in fh:
            if lines and line[:1] not in (" ", "\t", "#", "\n", "\r"):  # the next province
                break
            if lines or line.startswith(PROVINCE[:2] + " "):
                lines.append(line)
    return numdb.read(lines)


@cache
def all_regions() -> tuple[Region, ...]:
    """Every Jiangsu city and county-level code the data holds, in any year, sorted by code."""
    regions = []
    for _length, low, _high, props, children in _province_data().prefixes:
        if low != PROVINCE[:2]:
            continue
        for _l, sub, _h, sub_props, _c in children:
            code = low + sub
            if code == PROVINCE:
                continue
            periods = tuple(p for p in _parse_periods(sub_props["county"]) if p.name not in _PLACEHOLDERS)
            if periods:
                regions.append(Region(code, code[:4] + "00", periods))
        assert props["province"] == PROVINCE_NAME
    return tuple(sorted(regions, key=lambda r: r.code))


@cache
def region_index() -> dict[str, int]:
    """Position of each code in `all_regions()`, the index the vectorised engine uses."""
    return {r.code: i for i, r in enumerate(all_regions())}


def get_region(code: str) -> Region | None:
    i = region_index().get(code)
    return None if i is None else all_regions()[i]


@lru_cache(maxsize=8192)
def region_error(code: str, day: datetime.date) -> str | None:
    """Why `code` is not a Jiangsu city or county in use on `day` (Chinese), or None when it is."""
    if code == PROVINCE:
        return "应为市或县级行政区划代码,不能是省级代码320000"
    region = get_region(code)
    if region is None:
        if code.startswith("32") and code[4:] == "01":
            return f"{code}是市辖区汇总代码,不是具体的县级行政区划"
        return f"{code}不是江苏省的行政区划代码"
    if region.name_on(day) is None:
        return f"{code}({region.name})在{day.isoformat()}不是有效的行政区划代码"
    city = get_region(region.city_code)
    if city is None or city.name_on(day) is None:
        return f"{code}所属的设区市在{day.isoformat()}不存在"
    return None


def regions_on(day: datetime.date) -> list[Region]:
    """The cities and counties in use on `day`, in code order."""
    return [r for r in all_regions() if region_error(r.code, day) is None]


def cities_on(day: datetime.date) -> list[Region]:
    return [r for r in regions_on(day) if r.is_city]
