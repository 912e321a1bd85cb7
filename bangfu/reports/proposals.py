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
    """Members counted and the year's rigid expenses (fen), as identification counts them; for the households with
    medical bills or department facts their members, facts and bills read for all of them at once (the way
    identification reads many households, `bangfu.cases.reviews.exit_suggestions`), the others need nothing."""
    from bangfu.exchange.models import DepartmentFact

    ids = [h.pk for h in households]
    special = (set(MedicalBill.objects.filter(household_id__in=ids).values_list("household_id", flat=True))
               | set(DepartmentFact.objects.filter(household_id__in=ids).values_list("household_id", flat=True)))
    prefetch_related_objects([h for h in households if h.pk in special], "members", "department_facts",
                             "medical_bills__member")
    sizes, rigid = np.zeros(len(households), np.int64), np.zeros(len(households), np.int64)
    for i, household in enumerate(households):
        if household.pk in special:
            size, expenses = as_identified(household, as_of)
            sizes[i], rigid[i] = size, income.fen(expenses)
        else:
            sizes[i] = len(household.active_members)
    return sizes, rigid


def _lines(regions: list[str], lines: LinesByRegion) -> tuple[np.ndarray, np.ndarray]:
    found = [lines[r] for r in regions]
    return (np.array([UNSET if x.extreme is None else x.extreme for x in found], np.int64),
            np.array([UNSET if x.hardship is None else x.hardship for x in found], np.int64))


def proposals(households: list, as_of: datetime.date, parameter_sets: list, *, counts=None) -> list[list[tuple]]:
    """Per parameter set, per household: (proposed category or "" when it cannot be said, exit suggested).

    The proposal compares the per-capita income after rigid expenses with the lines (income only: the accident
    rule leans on the same rigid expenses whatever the standard); the exit is due when every one of the review's
    months is at or above the household's own line. Both take the lines in force on `as_of` (the exit too, for
    every month of the review: the question is whether the household still leaves once the new line applies; with
    each month's own line a standard from `as_of` could never move it)."""
    if not households:
        return [[] for _ in parameter_sets]
    sizes, rigid = counts if counts is not None else counted(households, as_of)
    regions = [h.region_code for h in households]
    try:  # one window for the chunk: the review's months as set for its first household's region
        n = months_parameter("exit_income_months", as_of, regions[0])
    except ValidationFailed:
        n = 0
    batch = income_batch(households, as_of, max(INCOME_MONTHS, n))
    summary = income.income_summary(batch.incomes, sizes, as_of, months=INCOME_MONTHS, rigid=rigid)
    own = np.array([income.CATEGORY_CODES.get(h.verified_category, income.HARDSHIP) for h in households])
    out = []
    for parameters in parameter_sets:
        extreme, hardship = _lines(regions, LinesByRegion(as_of, parameters))
        complete = (extreme >= 0) & (hardship >= 0)
        category = income.category_by_income(summary.per_capita, summary.known & complete, extreme, hardship)
        exit_due = np.zeros(len(households), bool)
        if n:
            exit_line = np.where(complete, income.own_line(own, extreme, hardship), 2**62)
            months = income.months_against_line(batch.incomes, sizes, as_of, n, exit_line, rigid=rigid)
            exit_due = months.at_or_above.all(axis=1)
        out.append([(CATEGORY_CODES[int(k)], bool(e)) for k, e in zip(category, exit_due, strict=True)])
    return out
