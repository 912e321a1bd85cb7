"""Date arithmetic over arrays: adding months the legal way, and working age (spec: 'Working age')."""

from __future__ import annotations

import numpy as np


def add_months(day: np.ndarray, months: np.ndarray | int) -> np.ndarray:
    """`day` plus whole months; the month's last day when that day does not exist (1965-12-31 + 2 = 02-28)."""
    month = day.astype("datetime64[M]")
    day_of_month = (day - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.asarray(months, dtype=np.int64).astype("timedelta64[M]")
    first = target.astype("datetime64[D]")
    last_day_of_month = ((target + 1).astype("datetime64[D]") - first).astype(np.int64) - 1
    return first + np.minimum(day_of_month, last_day_of_month).astype("timedelta64[D]")


def year_month(day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Calendar year and month (1-12) of each day."""
    months = day.astype("datetime64[M]").astype(np.int64)
    return months // 12 + 1970, months % 12 + 1


def delay_months(
    birth: np.ndarray, first_cohort: np.ndarray, months_per_step: np.ndarray, max_months: np.ndarray
) -> np.ndarray:
    """Months the 2024 reform adds: 1 + ⌊months of birth after the cohort's January ÷ step⌋, capped.

    `first_cohort` is NaN where the reform is not in force on the day of assessment.
    """
    year, month = year_month(birth)
    in_force = ~np.isnan(first_cohort)
    cohort = np.where(in_force, first_cohort, 0).astype(np.int64)
    after = (year - cohort) * 12 + (month - 1)
    step = np.where(in_force, months_per_step, 1).astype(np.int64)
    delay = np.minimum(1 + after // step, np.where(in_force, max_months, 0).astype(np.int64))
    return np.where(in_force & (after >= 0), delay, 0)


def working_age(
    as_of: np.ndarray, birth: np.ndarray, minimum_age: np.ndarray, retirement_months: np.ndarray
) -> np.ndarray:
    """At least `minimum_age` (reached on the birthday) and below the retirement age on `as_of`."""
    adult = add_months(birth, np.asarray(minimum_age * 12, dtype=np.int64))
    retirement = add_months(birth, retirement_months)
    return (as_of >= adult) & (as_of < retirement)
