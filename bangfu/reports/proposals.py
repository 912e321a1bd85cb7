"""The identification proposal (精准识别) and the exit suggestion (精准退出, Article 26) of many households under given
figures, batched: what a re-computation compares before and after a new standard. The rules are the engine's income
rule (`bangfu.policy.rules.income`) with the lines of `bangfu.registry.income.lines_on`, counted as identification
counts (`bangfu.exchange.identification.as_identified`: members and the year's rigid expenses)."""

from __future__ import annotations

import datetime

import numpy as np
from django.db.models import prefetch_related_objects

from bangfu.cases.parameters import months_parameter
from bangfu.common.errors import ValidationFailed
from bangfu.exchange.identification import as_identified
from bangfu.medical.models import MedicalBill
from bangfu.policy.rules import income
from bangfu.registry import choices as c
from bangfu.registry.assessment import INCOME_MONTHS
from bangfu.registry.income import LinesByRegion, income_batch

CATEGORY_CODES = {income.EXTREME: c.Category.EXTREME_HARDSHIP, income.HARDSHIP: c.Category.HARDSHIP,
                  income.NONE: c.Category.NONE, income.UNKNOWN: ""}
UNSET = -1


def counted(households: list, as_of: datetime.date) -> tuple[np.ndarray, np.ndarray]:
    """Members counted and the year's rigid expenses (fen) of loaded households (`counted_by_id`)."""
    ids = [h.pk for h in households]
    return counted_by_id(ids, ids, np.array([len(h.active_members) for h in households], np.int64), as_of,
                         loaded=households)


def counted_by_id(households, ids: list[int], sizes: np.ndarray, as_of: datetime.date, *,
                  loaded: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Members counted and the year's rigid expenses (fen) of the households `ids` (`households`: their pks, a
    list or a subquery), as identification counts them; `sizes`: each household's active members, the count of
    those without medical bills or department facts. For the households with any, their members, facts and bills
    are read for all of them at once (the way identification reads many households,
    `bangfu.cases.reviews.exit_suggestions`), onto the `loaded` instances when the caller has them; the others need
    nothing."""
    from bangfu.exchange.models import DepartmentFact
    from bangfu.registry.models import Household

    special = (set(MedicalBill.objects.filter(household_id__in=households).values_list("household_id", flat=True))
               | set(DepartmentFact.objects.filter(household_id__in=households).values_list("household_id", flat=True)))
    sizes, rigid = np.array(sizes, np.int64), np.zeros(len(ids), np.int64)
    if special:
        at = {pk: i for i, pk in enumerate(ids)}
        lookups = ("members", "department_facts", "medical_bills__member")
        if loaded is None:
            found = list(Household.objects.filter(pk__in=special).prefetch_related(*lookups))
        else:
            found = [h for h in loaded if h.pk in special]
            prefetch_related_objects(found, *lookups)
        for household in found:
            size, expenses = as_identified(household, as_of)
            sizes[at[household.pk]], rigid[at[household.pk]] = size, income.fen(expenses)
    return sizes, rigid


def _lines(regions: list[str], lines: LinesByRegion) -> tuple[np.ndarray, np.ndarray]:
    found = [lines[r] for r in regions]
    return (np.array([UNSET if x.extreme is None else x.extreme for x in found], np.int64),
            np.array([UNSET if x.hardship is None else x.hardship for x in found], np.int64))


def review_months(as_of: datetime.date, region: str) -> int:
    """The exit review's months of income on `as_of` in `region` (0 where none is set)."""
    try:
        return months_parameter("exit_income_months", as_of, region)
    except ValidationFailed:
        return 0


def proposals(households: list, as_of: datetime.date, parameter_sets: list, *, counts=None) -> list[list[tuple]]:
    """`proposals_of` loaded households (incomes prefetched or read)."""
    if not households:
        return [[] for _ in parameter_sets]
    sizes, rigid = counts if counts is not None else counted(households, as_of)
    regions = [h.region_code for h in households]
    n = review_months(as_of, regions[0])  # one window for the chunk: as set for its first household's region
    batch = income_batch(households, as_of, max(INCOME_MONTHS, n))
    return proposals_of(regions, [h.verified_category for h in households], batch.incomes, sizes, rigid, as_of, n,
                        [LinesByRegion(as_of, p) for p in parameter_sets])


def proposals_of(regions: list[str], categories: list[str], incomes, sizes: np.ndarray, rigid: np.ndarray,
                 as_of: datetime.date, n: int, lines: list[LinesByRegion]) -> list[list[tuple]]:
    """Per set of lines (`LinesByRegion` of each set of figures on `as_of`), per household: (proposed category or
    "" when it cannot be said, exit suggested).

    The proposal compares the per-capita income after rigid expenses with the lines (income only: the accident
    rule leans on the same rigid expenses whatever the standard); the exit is due when every one of the review's
    `n` months is at or above the household's own line. Both take the lines in force on `as_of` (the exit too, for
    every month of the review: the question is whether the household still leaves once the new line applies; with
    each month's own line a standard from `as_of` could never move it). `incomes`: the records of the
    max(12, n) months before as_of's month."""
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
        if n:
            exit_line = np.where(complete, income.own_line(own, extreme, hardship), 2**62)
            months = income.months_against_line(incomes, sizes, as_of, n, exit_line, rigid=rigid)
            exit_due = months.at_or_above.all(axis=1)
        out.append([(CATEGORY_CODES[int(k)], bool(e)) for k, e in zip(category, exit_due, strict=True)])
    return out
