"""The identification proposal (精准识别) and the exit suggestion (精准退出, Article 26) of many households under given
figures, batched: what a re-computation compares before and after a new standard. The rules are the engine's income
rule (`bangfu.policy.rules.income`) with the lines of `bangfu.registry.income.lines_on`, counted as identification
counts (`bangfu.exchange.identification.as_identified`: members and the year's rigid expenses)."""

from __future__ import annotations

import datetime

import numpy as np

from bangfu.cases.parameters import months_parameter
from bangfu.common.errors import ValidationFailed
from bangfu.exchange.identification import as_identified
from bangfu.medical.models import MedicalBill
from bangfu.policy.rules import income
from bangfu.registry import choices as c
from bangfu.registry.assessment import INCOME_MONTHS
from bangfu.registry.income import LinesByRegion

CATEGORY_CODES = {income.EXTREME: c.Category.EXTREME_HARDSHIP, income.HARDSHIP: c.Category.HARDSHIP,
                  income.NONE: c.Category.NONE, income.UNKNOWN: ""}
UNSET = -1


def counted_by_id(households, ids: list[int], sizes: np.ndarray, as_of: datetime.date) -> tuple[np.ndarray, np.ndarray]:
    """Members counted and the year's rigid expenses (fen) of the households `ids` (`households`: their pks, a
    list or a subquery), as identification counts them; `sizes`: each household's active members, the count of
    those without medical bills or department facts. For the households with any, their members, facts and bills
    are read for all of them at once (the way identification reads many households,
    `bangfu.cases.reviews.exit_suggestions`); the others need nothing."""
    from bangfu.exchange.models import DepartmentFact
    from bangfu.registry.models import Household

    special = (set(MedicalBill.objects.filter(household_id__in=households).values_list("household_id", flat=True))
               | set(DepartmentFact.objects.filter(household_id__in=households).values_list("household_id", flat=True)))
    sizes, rigid = np.array(sizes, np.int64), np.zeros(len(ids), np.int64)
    if special:
        at = {pk: i for i, pk in enumerate(ids)}
        lookups = ("members", "department_facts", "medical_bills__member")
        for household in Household.objects.filter(pk__in=special).prefetch_related(*lookups):
            size, expenses = as_identified(household, as_of)
            sizes[at[household.pk]], rigid[at[household.pk]] = size, income.fen(expenses)
    return sizes, rigid


def _lines(regions: list[str], lines: LinesByRegion) -> tuple[np.ndarray, np.ndarray]:
    found = [lines[r] for r in regions]
    return (np.array([UNSET if x.extreme is None else x.extreme for x in found], np.int64),
            np.array([UNSET if x.hardship is None else x.hardship for x in found], np.int64))


def review_months(as_of: datetime.date, regions: list[str]) -> np.ndarray:
    """Per household, the exit review's months of income on `as_of` in its region (0 where none is set): each
    distinct region's parameter read once."""
    months = {}
    for region in set(regions):
        try:
            months[region] = months_parameter("exit_income_months", as_of, region)
        except ValidationFailed:
            months[region] = 0
    return np.array([months[r] for r in regions], np.int64)


def proposals_of(regions: list[str], categories: list[str], incomes, sizes: np.ndarray, rigid: np.ndarray,
                 as_of: datetime.date, n: np.ndarray, lines: list[LinesByRegion]) -> list[list[tuple]]:
    """Per set of lines (`LinesByRegion` of each set of figures on `as_of`), per household: (proposed category or
    "" when it cannot be said, exit suggested).

    The proposal compares the per-capita income after rigid expenses with the lines (income only: the accident
    rule leans on the same rigid expenses whatever the standard); the exit is due when every one of the household's
    review's months (`n`, per household: `review_months` of its region) is at or above its own line. Both take the lines in force on `as_of` (the exit too, for
    every month of the review: the question is whether the household still leaves once the new line applies; with
    each month's own line a standard from `as_of` could never move it). `incomes`: the records of the
    max(12, n) months before as_of's month."""
    n = np.asarray(n, np.int64)
    longest = int(n.max()) if len(n) else 0
    if not regions:
        return [[] for _ in lines]
    summary = income.income_summary(incomes, sizes, as_of, months=INCOME_MONTHS, rigid=rigid)
    own = np.array([income.CATEGORY_CODES.get(c, income.HARDSHIP) for c in categories])
    out = []
    for by_region in lines:
        extreme, hardship = _lines(regions, by_region)
        complete = (extreme >= 0) & (hardship >= 0)
        category = income.category_by_income(summary.per_capita, summary.known & complete, extreme, hardship)
        exit_due = np.zeros(len(regions), bool)
        if longest:
            exit_line = np.where(complete, income.own_line(own, extreme, hardship), 2**62)
            months = income.months_against_line(incomes, sizes, as_of, longest, exit_line, rigid=rigid)
            reviewed = np.arange(longest)[None, :] >= (longest - n)[:, None]  # each household's last n months
            exit_due = (n > 0) & (months.at_or_above | ~reviewed).all(axis=1)
        out.append([(CATEGORY_CODES[int(k)], bool(e)) for k, e in zip(category, exit_due, strict=True)])
    return out
