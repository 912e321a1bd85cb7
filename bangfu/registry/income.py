"""The households' income records and local lines for the engine's income rule (`bangfu.policy.rules.income`).

Every caller (assessment, identification, reviews and exit, Article 2 targets, relapse alerts) reads income
through here: one query for the records of many households, and the lines of a region on a day.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db.models import Count, Q, QuerySet

from bangfu.policy.rules import income as rule

from .models import Household, IncomeRecord


@dataclass(frozen=True)
class Batch:
    """Households in a fixed order (their index in the engine's arrays), their regions, members and records."""

    ids: list[int]
    regions: list[str]
    members: np.ndarray
    incomes: rule.Incomes


def _months(as_of: datetime.date, months: int) -> tuple[datetime.date, datetime.date]:
    days = rule.window(as_of, months)
    return days[0].astype("datetime64[D]").item(), days[-1].astype("datetime64[D]").item()


def income_batch(households: QuerySet[Household] | list[Household], as_of: datetime.date, months: int) -> Batch:
    """The records of the `months` before `as_of`'s month for many households, in two queries.

    A list of households is one household (or a few) already loaded: their members are counted per household.
    """
    first, last = _months(as_of, months)
    if isinstance(households, QuerySet):
        rows = list(households.order_by("pk").annotate(size=Count("members", filter=Q(members__removed=False)))
                    .values_list("pk", "region_code", "size"))
        records = IncomeRecord.objects.filter(household__in=households.order_by().values("pk"))
        values = records.filter(month__gte=first, month__lte=last).order_by().values_list("household_id", "month",
                                                                                         "amount")
    else:
        rows = [(h.pk, h.region_code, _size(h)) for h in households]
        values = _records(households, first, last)
    index = {pk: i for i, (pk, _, _) in enumerate(rows)}
    incomes = rule.Incomes.from_rows((index[pk], month, amount) for pk, month, amount in values if pk in index)
    return Batch([r[0] for r in rows], [r[1] for r in rows], np.array([r[2] for r in rows], np.int64), incomes)


def _records(households: list[Household], first: datetime.date, last: datetime.date) -> list[tuple]:
    """The records of loaded households: those prefetched when every household has them, else one query."""
    if all("incomes" in getattr(h, "_prefetched_objects_cache", {}) for h in households):
        return [(h.pk, r.month, r.amount) for h in households for r in h.incomes.all() if first <= r.month <= last]
    return list(IncomeRecord.objects.filter(household_id__in=[h.pk for h in households], month__gte=first,
                                            month__lte=last).order_by().values_list("household_id", "month", "amount"))


def _size(household: Household) -> int:
    if hasattr(household, "active_members"):
        return len(household.active_members)
    return household.members.filter(removed=False).count()


@dataclass(frozen=True)
class Lines:
    """The local 低保 standard and the identification lines on a day, in fen, with the parameter values used."""

    dibao: int | None
    extreme: int | None
    hardship: int | None
    values: dict  # name -> the engine's Value (for the reference and status shown with a figure)

    @property
    def complete(self) -> bool:
        return self.dibao is not None and self.extreme is not None and self.hardship is not None

    def yuan(self, name: str) -> Decimal | None:
        value = getattr(self, name)
        return None if value is None else rule.yuan(value)


def _value(parameters, name: str, day: datetime.date, region: str):
    value = parameters[name].at(day, region)
    return None if value is None or value.value is None else value


def lines_on(day: datetime.date, region: str, parameters=None) -> Lines:
    """The 低保 standard and the lines of 特困 and 困难 (standard × factor) in `region` on `day` (under the system's
    figures, or `parameters`: a re-computation's figures before and after a new standard)."""
    if parameters is None:
        from bangfu.standards.selectors import effective_parameters  # late: standards reads the database

        parameters = effective_parameters()
    values = {"dibao_standard": _value(parameters, "sync.dibao.standard", day, region)}
    for name in ("extreme_factor", "hardship_factor"):
        values[name] = _value(parameters, f"sync.identification.{name}", day, region)
    dibao = None if values["dibao_standard"] is None else rule.fen(Decimal(str(values["dibao_standard"].value)))

    def line(name: str) -> int | None:
        factor = values[name]
        return None if dibao is None or factor is None else int(rule.line(dibao, factor.value))

    return Lines(dibao, line("extreme_factor"), line("hardship_factor"), {k: v for k, v in values.items() if v})


class LinesByRegion(dict):
    """`lines_on` for one day, read once per region."""

    def __init__(self, day: datetime.date, parameters=None):
        super().__init__()
        self.day, self.parameters = day, parameters

    def __missing__(self, region: str) -> Lines:
        found = self[region] = lines_on(self.day, region, self.parameters)
        return found
