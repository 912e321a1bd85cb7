"""Date arithmetic over arrays: adding months the legal way, and working age (spec: 'Working age').

numpy's datetime64 unit conversions (days to months) cost about 0.1 µs per value, and int64 division
as much: over millions of members they dominated a whole evaluation. So the calendar is computed
once per distinct day in the batch's range (a few tens of thousands at most) and looked up by index.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np

_TABLE_SPAN = 1 << 20  # look-up tables up to this many distinct values; beyond, compute directly
_SMALL = 1024  # fewer values than this: numpy's datetime conversions directly
_NAT = np.iinfo(np.int64).min
# The range of the calendar computed once per process (`_fixed`): days since 1970-01-01 and month numbers.
_FIXED = {"day": (-25_567, 84_006), "month": (1900 * 12, 2200 * 12)}  # 1900-01-01 to 2199-12-31


def _civil(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month (1-12) and day of days since 1970-01-01 (proleptic Gregorian, H. Hinnant's method)."""
    z = days.astype(np.int64) + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    month = np.where(mp < 10, mp + 3, mp - 9)
    return yoe + era * 400 + (month <= 2), month, doy - (153 * mp + 2) // 5 + 1


def _month_start(months: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of the first day of each month number (year * 12 + month - 1)."""
    y, m = months // 12, months % 12 + 1
    y = y - (m <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * np.where(m > 2, m - 3, m + 9) + 2) // 5
    return era * 146_097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719_468


def _looked_up(values: np.ndarray, compute: Callable[[np.ndarray], tuple], fixed: str | None = None) -> tuple:
    """`compute` over int64 `values`, evaluated once per distinct value of their range and gathered; from the
    process's table `fixed` (`_FIXED`) when they all fall in its range."""
    if not len(values):
        return compute(values)
    lo, hi = int(values.min()), int(values.max())
    if fixed is not None and _FIXED[fixed][0] <= lo and hi < _FIXED[fixed][1]:
        # A batch's few thousand dates (a business's registration, a birth): a gather, where a table of
        # their range cost some thirty numpy calls per batch whatever its size.
        first, tables = _fixed(fixed)
        index = values - first
        return tuple(table[index] for table in tables)
    if hi - lo >= min(_TABLE_SPAN, len(values)):  # a table is worth it only for many values in a short range
        return compute(values)
    tables = compute(np.arange(lo, hi + 1, dtype=np.int64))
    index = values - lo if lo else values
    return tuple(table[index] for table in tables)


def _day_figures(d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Month number, day of month and the month's length of days since 1970-01-01 (int64)."""
    y, m, dom = _civil(d)
    months = y * 12 + m - 1
    length = _month_start(months + 1) - _month_start(months)
    return months.astype(np.int32), dom.astype(np.int8), length.astype(np.int8)


def _month_figures(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first day (days since 1970-01-01) and the length of month numbers."""
    return _month_start(t), _month_start(t + 1) - _month_start(t)


@cache
def _fixed(kind: str) -> tuple[int, tuple[np.ndarray, ...]]:
    """The figures of every day or month of `_FIXED`'s range, computed once per process (under a megabyte)."""
    first, last = _FIXED[kind]
    return first, (_day_figures if kind == "day" else _month_figures)(np.arange(first, last, dtype=np.int64))


def _calendar(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Month number (year * 12 + month - 1), day of month and length of that month, for each day."""
    days = days.astype("datetime64[D]", copy=False)
    if len(days) < _SMALL:  # a few members: numpy's own conversions cost the fewest calls
        month = days.astype("datetime64[M]")
        first = month.astype("datetime64[D]")
        return ((month.astype(np.int64) + 1970 * 12).astype(np.int32), ((days - first).astype(np.int8) + 1),
                ((month + 1).astype("datetime64[D]") - first).astype(np.int8))

    return _looked_up(days.view(np.int64), _day_figures, "day")


def _without_nat(day: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    day = np.asarray(day, dtype="datetime64[D]")
    nat = np.isnat(day)
    if nat.any():
        return np.where(nat, np.datetime64(0, "D"), day), nat
    return day, None


def add_months(day: np.ndarray, months: np.ndarray | int) -> np.ndarray:
    """`day` plus whole months; the month's last day when that day does not exist (1965-12-31 + 2 = 02-28)."""
    day, nat = _without_nat(day)
    month, dom, _ = _calendar(day)
    target = month.astype(np.int64) + np.asarray(months, dtype=np.int64)
    if target.size < _SMALL:
        first = (target - 1970 * 12).astype("datetime64[M]")
        start = first.astype("datetime64[D]").view(np.int64)
        length = (first + 1).astype("datetime64[D]").view(np.int64) - start
    else:
        start, length = _looked_up(target, _month_figures, "month")
    out = (start + np.minimum(dom, length) - 1).astype("datetime64[D]")
    if nat is not None:
        out[nat] = np.datetime64("NaT")
    return out


def delay_months(
    birth: np.ndarray, first_cohort: np.ndarray, months_per_step: np.ndarray, max_months: np.ndarray
) -> np.ndarray:
    """Months the 2024 reform adds: 1 + ⌊months of birth after the cohort's January ÷ step⌋, capped.

    `first_cohort` is NaN where the reform is not in force on the day of assessment.
    """
    in_force = ~np.isnan(first_cohort)
    if not in_force.any():
        return np.zeros(np.shape(birth), np.int64)
    month, _, _ = _calendar(birth)
    after = month - np.where(in_force, first_cohort * 12, 0)  # months since the cohort's January
    step = np.where(in_force, months_per_step, 1)
    # float division is exact enough here: |after| is small, so its floor is the integer quotient's
    delay = np.minimum(1 + np.floor(after / step), np.where(in_force, max_months, 0))
    return np.where(in_force & (after >= 0), delay, 0).astype(np.int64)


def working_age(
    as_of: np.ndarray, birth: np.ndarray, minimum_age: np.ndarray, retirement_months: np.ndarray
) -> np.ndarray:
    """At least `minimum_age` (reached on the birthday) and below the retirement age on `as_of`.

    An age of k months is reached on `add_months(birth, k)`: in a later calendar month, or in that
    month on the birth day of month or on the month's last day (when the birth day does not exist).
    So the whole months of age on `as_of` are the calendar months since birth, less one while that
    day of the month is still to come.
    """
    n = len(birth)
    # One pass over both columns: a batch of one pays numpy's overhead per call, not per value.
    days, nat = _without_nat(np.concatenate([as_of, birth]))
    month, day, length = _calendar(days)
    age = month[:n] - month[n:] - ((day[:n] < day[n:]) & (day[:n] != length[:n]))
    # Compared as floats: a parameter not held on the day (NaN) makes no one of working age.
    out = (age >= minimum_age * 12) & (age < retirement_months)
    if nat is not None:
        out &= ~(nat[:n] | nat[n:])
    return out
