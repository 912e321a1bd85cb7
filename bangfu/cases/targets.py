"""The targets of Article 2 for one union: archived, helped, exited by work, handed to social assistance,
relapsed, and still below the local 低保 standard per capita."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection

import numpy as np
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from bangfu.accounts.access import VIEW, check_area
from bangfu.accounts.models import Organisation
from bangfu.cases.workflow import ARCHIVED_STATES, CaseState
from bangfu.common.bounds import as_of_within
from bangfu.policy.rules import income
from bangfu.registry.assessment import INCOME_MONTHS
from bangfu.registry.income import LinesByRegion, income_batch
from bangfu.registry.models import Household

from .models import Case, Measure, MeasureStatus

LABELS = {
    "archived": "在档困难职工家庭", "helped": "本年度已帮扶家庭", "exited_by_work": "本年度脱困退出",
    "social_assistance": "本年度解困(纳入社会救助)", "relapsed": "本年度返贫", "below_dibao": "人均收入仍低于当地低保标准",
}


# Who else knows that a household was helped, registered when their app is ready (the ledger: a net payment
# this year); each is called with user, path and year and gives a queryset of household ids.
HELP_SOURCES: list[Callable[..., object]] = []

BELOW, ABOVE = "below", "above"
DIBAO_CHOICES = [(BELOW, "低于当地低保标准"), (ABOVE, "不低于当地低保标准")]


def help_source_register(source: Callable[..., object]) -> None:
    if source not in HELP_SOURCES:
        HELP_SOURCES.append(source)


def helped(*, user, path: str, year: int) -> Q:
    """Households that received something in `year`: a net payment in the ledger or a measure completed (the figure
    counts them, the household list shows them)."""
    done = Measure.objects.restrict(user, VIEW).filter(
        plan__case__household__union__path__startswith=path, status=MeasureStatus.DONE, updated_at__year=year,
    ).values("plan__case__household_id")
    found = Q(pk__in=done)
    for source in HELP_SOURCES:
        found |= Q(pk__in=source(user=user, path=path, year=year))
    return found


def relapsed(*, user, path: str, year: int) -> Q:
    """Households whose case opened in `year` was a return to hardship (返贫) (the figure counts them, the household
    list shows them)."""
    return Q(pk__in=Case.objects.restrict(user, VIEW).filter(
        household__union__path__startswith=path, is_relapse=True, opened_at__year=year).values("household_id"))


def _below_dibao(households, as_of: datetime.date) -> list[int]:
    """Archived households whose per-capita monthly income over the 12 whole months before `as_of`'s month
    (the engine's income rule) is below the local 低保 standard; households without records are not counted."""
    batch = income_batch(households, as_of, INCOME_MONTHS)
    summary = income.income_summary(batch.incomes, batch.members, as_of, months=INCOME_MONTHS)
    lines = LinesByRegion(as_of)
    dibao = np.array([-1 if lines[r].dibao is None else lines[r].dibao for r in batch.regions], np.int64)
    below = summary.known & (dibao >= 0) & (summary.per_capita < dibao)
    return [pk for pk, is_below in zip(batch.ids, below.tolist(), strict=True) if is_below]


def _archived(user, path: str):
    return Household.objects.restrict(user, VIEW).filter(union__path__startswith=path, status__in=ARCHIVED_STATES)


def below_dibao_ids(*, user, path: str, as_of: datetime.date) -> list[int]:
    """The archived households under `path` below the local 低保 line on `as_of` (those of the figure)."""
    return _below_dibao(_archived(user, path), as_of)


def _among(ids: Collection[int]) -> Q:
    """Households among `ids` (thousands, for a province): on PostgreSQL one array parameter unnested (planned as a
    join, where a list of thousands of bound values is compared row by row); elsewhere an IN list."""
    if connection.vendor == "postgresql":
        return Q(pk__in=RawSQL("SELECT unnest(%s::bigint[])", (list(ids),)))
    return Q(pk__in=list(ids))


def against_dibao(*, side: str, below: Collection[int]) -> Q:
    """The archived households `below` the local 低保 line, or the others of the archive (at or above it, or with no
    income recorded): the households of the figure and of its complement, for the household list."""
    found = _among(below)
    return found if side == BELOW else Q(status__in=ARCHIVED_STATES) & ~found


def article2_targets(*, user, union: Organisation, year: int, as_of: datetime.date,
                     below: Collection[int] | None = None) -> dict:
    """The figures of Article 2 for the union's subtree: the year's flows, and the archive on `as_of`. `below`: the
    union's `below_dibao_ids` on `as_of` when the caller has them already (the report's job stores them too)."""
    check_area(user, union.path, VIEW, "未找到该工会")
    as_of_within(as_of)
    path = union.path
    cases = Case.objects.restrict(user, VIEW).filter(household__union__path__startswith=path)
    archived = _archived(user, path)
    figures = {
        "archived": archived.count(),
        "helped": Household.objects.filter(helped(user=user, path=path, year=year)).count(),
        # families, not cases (a household's list shows it once): as the household list's filters count them
        "exited_by_work": cases.filter(state=CaseState.EXITED, closed_on__year=year).values("household_id")
        .distinct().count(),
        "social_assistance": cases.filter(state=CaseState.RELIEVED, closed_on__year=year).values("household_id")
        .distinct().count(),
        "relapsed": Household.objects.filter(relapsed(user=user, path=path, year=year)).count(),
        "below_dibao": len(_below_dibao(archived, as_of) if below is None else below),
    }
    return {"union_id": union.pk, "union": union.name, "year": year, "as_of": as_of.isoformat(),
            "figures": figures, "labels": LABELS}
