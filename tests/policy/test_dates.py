"""Adding months the legal way, and the retirement reform's delay, over arrays."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from bangfu.policy.dates import add_months, delay_months


def _d(*days: str) -> np.ndarray:
    return np.array(days, dtype="datetime64[D]")


def test_a_day_that_does_not_exist_takes_the_months_last_day() -> None:
    got = add_months(_d("1965-12-31", "2000-02-29", "2001-01-31", "1999-05-15"), np.array([2, 12, 1, 0]))
    assert got.tolist() == _d("1966-02-28", "2001-02-28", "2001-02-28", "1999-05-15").tolist()


def test_reform_delays_by_cohort_and_caps() -> None:
    births = _d("1964-12-31", "1965-01-01", "1965-05-01", "1966-12-01", "1990-01-01")
    delay = delay_months(births, np.full(5, 1965.0), np.full(5, 4.0), np.full(5, 36.0))
    assert delay.tolist() == [0, 1, 2, 6, 36]


def test_reform_not_in_force_adds_nothing() -> None:
    assert delay_months(_d("1980-01-01"), np.array([np.nan]), np.array([4.0]), np.array([36.0])).tolist() == [0]


@given(st.dates(), st.integers(min_value=0, max_value=1200))
def test_add_months_agrees_with_the_calendar(day, months) -> None:
    import calendar
    import datetime as dt

    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    if year > 9999:
        return
    expected = dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
    got = add_months(np.array([day], dtype="datetime64[D]"), np.array([months]))[0]
    assert got == np.datetime64(expected)


def _by_small_batches(days: np.ndarray, months: np.ndarray) -> np.ndarray:
    # Under 1024 values add_months uses numpy's own datetime conversions: the reference for the tables.
    return np.concatenate([add_months(days[i:i + 500], months[i:i + 500]) for i in range(0, len(days), 500)])


def test_a_batch_adds_months_as_numpy_calendar_within_the_fixed_range_and_beyond() -> None:
    """Thousands of dates are looked up in the process's calendar of 1900-2199 when they all fall in it
    (and the months reached too), else in a table of their own range: the same days either way."""
    rng = np.random.default_rng(5)
    inside = np.datetime64("1900-01-01") + rng.integers(0, 100_000, 3000).astype("timedelta64[D]")
    beyond = np.datetime64("1700-01-01") + rng.integers(0, 200_000, 3000).astype("timedelta64[D]")
    for days in (inside, beyond):
        for months in (rng.integers(0, 600, len(days)), rng.integers(0, 4000, len(days))):
            assert add_months(days, months).tolist() == _by_small_batches(days, months).tolist()
