"""Income against the 低保 line (Articles 2 and 26): a household's income from its monthly records, per capita,
against its category's line — the one home of this rule for identification, reviews, exit, targets and alerts.

The rule, as the scenario tests in `tests/policy/income/` state it:

1. The window is the N whole calendar months before the month of `as_of` (the month of `as_of` is not over,
   so its income is not known yet). Identification and the assessment use 12 months; the exit review uses
   `sync.review.exit_income_months`.
2. A month's income is the sum of the household's records for that month (every source). Months without a
   record are not counted as 0: the monthly income is the average over the months that have records, and a
   household with no record in the window has no known income (nothing is proposed from it).
3. The annual income is that average × 12; rigid expenses of the year (medical self-pay, school costs,
   Article 26 精准识别) are taken off it; the per-capita monthly income is the remainder ÷ 12 ÷ the members.
4. Money is exact: records in fen (integers), one division at the end, rounded half-up to the fen.
5. The lines are the local urban 低保 standard × the category's factor (`sync.identification.*`): below the
   extreme line 特困, below the hardship line 困难. A household "no longer meets" a line when it is at or
   above it. Exit is suggested only when, in each of the review's N months, the household had records and
   was at or above both its own category's line and the hardship line (the programme's entry line): a 特困
   household between the two lines still meets 困难, and a 困难 household at 1.5 × 低保 (line 2 ×) stays.

Pure numpy over integer fen: one call serves one household or a whole union's archive.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from ..money import CENT

NONE, HARDSHIP, EXTREME = 0, 1, 2
UNKNOWN = -1  # no income record in the window, or no member
CATEGORY_CODES = {"none": NONE, "hardship": HARDSHIP, "extreme_hardship": EXTREME}


@dataclass(frozen=True)
class Incomes:
    """Income records of a batch of households, one row per record: household index, month, amount in fen."""

    household: np.ndarray  # int64, index into the batch's households
    month: np.ndarray  # datetime64[M]
    amount: np.ndarray  # int64 fen

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, datetime.date, Decimal]]) -> Incomes:
        rows = list(rows)
        return cls(np.array([r[0] for r in rows], dtype=np.int64),
                   np.array([r[1] for r in rows], dtype="datetime64[D]").astype("datetime64[M]"),
                   np.array([fen(r[2]) for r in rows], dtype=np.int64))


def fen(amount: Decimal | int | str) -> int:
    """Yuan (two places at most) as integer fen, exactly."""
    return int((Decimal(amount) * 100).to_integral_value(ROUND_HALF_UP))


def yuan(amount_fen: int | np.integer) -> Decimal:
    """Integer fen as Decimal yuan with two places."""
    return (Decimal(int(amount_fen)) / 100).quantize(CENT)


def window(as_of: datetime.date, months: int) -> np.ndarray:
    """The `months` whole calendar months before the month of `as_of`, oldest first (datetime64[M])."""
    current = np.datetime64(as_of, "M")
    return current - np.arange(months, 0, -1)


def divide_half_up(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator ÷ denominator rounded half away from zero, in integers (denominator > 0; 0 where it is 0)."""
    numerator, denominator = np.asarray(numerator, np.int64), np.asarray(denominator, np.int64)
    safe = np.where(denominator > 0, denominator, 1)
    magnitude = (2 * np.abs(numerator) + safe) // (2 * safe)
    return np.where(denominator > 0, np.sign(numerator) * magnitude, 0)


def monthly_totals(incomes: Incomes, n_households: int, months: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per household and month of `months` (consecutive): the month's total in fen, and whether it has records."""
    column = (incomes.month - months[0]).astype(np.int64) if len(months) else np.zeros(0, np.int64)
    inside = (column >= 0) & (column < len(months))
    cell = incomes.household[inside] * len(months) + column[inside]
    size = n_households * len(months)
    totals = np.bincount(cell, weights=incomes.amount[inside], minlength=size)
    recorded = np.bincount(cell, minlength=size) > 0
    # float64 sums of integer fen are exact below 2**53 fen (90 trillion yuan)
    shape = (n_households, len(months))
    return totals.astype(np.int64).reshape(shape), recorded.reshape(shape)


@dataclass(frozen=True)
class IncomeSummary:
    """Per household, in fen: the window's records and what follows from them (rule, points 2-4)."""

    months_recorded: np.ndarray
    total: np.ndarray
    monthly: np.ndarray  # average over the months with records
    annual: np.ndarray  # monthly × 12, from the exact total
    rigid: np.ndarray
    members: np.ndarray
    per_capita: np.ndarray  # (annual − rigid) ÷ 12 ÷ members
    known: np.ndarray  # records in the window and at least one member


def income_summary(incomes: Incomes, members: np.ndarray, as_of: datetime.date, *, months: int = 12,
                   rigid: np.ndarray | None = None) -> IncomeSummary:
    """The households' income over the `months` before `as_of`'s month, per capita after rigid expenses."""
    members = np.asarray(members, np.int64)
    n = len(members)
    rigid = np.zeros(n, np.int64) if rigid is None else np.asarray(rigid, np.int64)
    totals, recorded = monthly_totals(incomes, n, window(as_of, months))
    k = recorded.sum(axis=1)
    total = totals.sum(axis=1)
    # (12·total/k − rigid) / (12·members) as one fraction: rounded once
    per_capita = divide_half_up(12 * total - k * rigid, 12 * k * members)
    return IncomeSummary(k, total, divide_half_up(total, k), divide_half_up(12 * total, k), rigid, members,
                         per_capita, (k > 0) & (members > 0))


def line(standard_fen: np.ndarray | int, factor: np.ndarray | float) -> np.ndarray:
    """The 低保 standard × a factor, rounded half-up to the fen."""
    exact = np.asarray(standard_fen, np.float64) * np.asarray(factor, np.float64)
    return np.floor(exact + 0.5 + 1e-9).astype(np.int64)


def category_by_income(per_capita: np.ndarray, known: np.ndarray, extreme_line: np.ndarray,
                       hardship_line: np.ndarray) -> np.ndarray:
    """Article 26 精准识别: EXTREME below the extreme line, HARDSHIP below the hardship line, else NONE;
    UNKNOWN without income records or members."""
    category = np.select([per_capita < extreme_line, per_capita < hardship_line], [EXTREME, HARDSHIP], NONE)
    return np.where(known, category, UNKNOWN)


def own_line(category: np.ndarray, extreme_line: np.ndarray, hardship_line: np.ndarray) -> np.ndarray:
    """The line a household must reach to leave the programme: its own category's, never below the hardship
    line (a 特困 household above the extreme line still meets 困难)."""
    own = np.where(np.asarray(category) == EXTREME, extreme_line, hardship_line)
    return np.maximum(own, hardship_line)


@dataclass(frozen=True)
class MonthsAgainstLine:
    """Per household and month of the review window: per-capita income in fen, records held, at/above line."""

    months: np.ndarray  # datetime64[M]
    totals: np.ndarray  # the month's records added up, fen
    per_capita: np.ndarray
    recorded: np.ndarray
    at_or_above: np.ndarray

    @property
    def exit_due(self) -> np.ndarray:
        """Rule point 5: every month of the window recorded and at or above the line."""
        return self.at_or_above.all(axis=1) & (self.at_or_above.shape[1] > 0)


def months_against_line(incomes: Incomes, members: np.ndarray, as_of: datetime.date, months: int,
                        exit_line: np.ndarray, *, rigid: np.ndarray | None = None) -> MonthsAgainstLine:
    """Article 26 精准退出: each of the `months` before `as_of`'s month, per capita after a twelfth of the
    year's rigid expenses, against each household's `exit_line` (`own_line`; one per household, or one per household and month)."""
    members = np.asarray(members, np.int64)
    rigid = np.zeros(len(members), np.int64) if rigid is None else np.asarray(rigid, np.int64)
    days = window(as_of, months)
    totals, recorded = monthly_totals(incomes, len(members), days)
    per_capita = divide_half_up(12 * totals - rigid[:, None], 12 * members[:, None])
    exit_line = np.asarray(exit_line)
    exit_line = exit_line[:, None] if exit_line.ndim == 1 else exit_line  # per household, or per household and month
    at_or_above = recorded & (members[:, None] > 0) & (per_capita >= exit_line)
    return MonthsAgainstLine(days, totals, per_capita, recorded, at_or_above)
