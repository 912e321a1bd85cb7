"""Stored summaries of the report figures, refreshed on change: a page reads the figures computed after the newest
change in its area (the audit trail's last change row: every change writes one) instead of aggregating the archive
again. The first view after a change asks the job queue to compute them anew and, until they are ready, shows the
figures stored before with their time (`Figures.fresh` false); the very first view of a report computes them. Constant
queries per view whatever the archive. The figures are stored as JSON (`reports.codec`): a row is data, never code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction

from bangfu.audit.selectors import last_change
from bangfu.common import clock
from bangfu.ledger.budgets import ancestor_paths

from .codec import MissingUnion, dumps, loads
from .models import ReportSnapshot

# The shape of the stored figures: raised whenever a compute function's result changes shape, so that rows stored by
# an earlier release are neither shown nor taken as current.
FORMAT = "2"


def stamp(union, *, dated: bool = False) -> str:
    """What the figures of the union's report depend on: the format of the figures, the last change in its area
    (and above it), and today for figures taken on today's date."""
    last = last_change(area_path=union.path, ancestors=ancestor_paths(union.path)[:-1])
    return f"{FORMAT}/{last}:{clock.today().isoformat()}" if dated else f"{FORMAT}/{last}"


@dataclass
class Figures:
    value: object  # None while the first computation of a report queued in the background is not ready
    computed_at: datetime | None
    fresh: bool


def _read(key: str, current: str, known: dict | None = None) -> Figures | None:
    row = ReportSnapshot.objects.filter(key=key).only("stamp", "data", "computed_at").first()
    if row is None or row.stamp.partition("/")[0] != current.partition("/")[0]:  # absent, or of another format
        return None
    try:
        value = loads(row.data, known=known)
    except MissingUnion:  # a union of the figures is gone: compute them again
        return None
    return Figures(value, row.computed_at, row.stamp == current)


def _store(key: str, current: str, value) -> None:
    data = dumps(value)
    try:
        with transaction.atomic():
            ReportSnapshot.objects.update_or_create(key=key, defaults={"stamp": current, "data": data,
                                                                       "computed_at": clock.now()})
    except IntegrityError:  # another request stored it at the same moment: theirs is as good
        pass


def snapshot(key: str, current: str, compute: Callable[[], object], *, refresh: Callable[[], None] | None = None,
             wait_first: bool = True, known: dict | None = None) -> Figures:
    """The stored figures under `key` when computed at the `current` stamp. Otherwise: without `refresh`, computed
    now and stored; with it, `refresh` queues the computation (a job runs it: see `tasks.refresh_snapshot`) and the
    figures stored before are shown meanwhile, or, before any, computed now (`wait_first`) or shown as pending.
    Figures are the same for every user who may see the union (access is by area: restrict(user) over a union
    inside the user's area keeps its whole subtree), so the key names the union, not the user. `known`: unions
    already in hand by primary key (the report's own), not read again with the figures."""
    found = _read(key, current, known)
    if found is not None and found.fresh:
        return found
    if refresh is not None:
        refresh()
        found = _read(key, current, known)  # a queue that runs at once (or a quick worker) has it ready
        if found is not None or not wait_first:
            return found or Figures(None, None, False)
    value = compute()
    _store(key, current, value)
    return Figures(value, clock.now(), True)


def report_figures(*, user, union, year: int, background: bool = True) -> Figures:
    """Every figure of the union's report for `year` (households, flows, help by source, programme and benefit, medical
    costs, year on year, Article 2's targets on today's date), from the stored summary."""
    from bangfu.cases.targets import article2_targets

    from . import selectors as s
    from .medical import medical_report
    from .tasks import refresh_snapshot

    def compute() -> dict:
        return {"house": s.household_report(user=user, union=union), "flows": s.flow_report(user=user, union=union, year=year),
                "help": s.help_report(user=user, union=union, year=year),
                "programmes": s.programme_report(user=user, union=union, year=year),
                "benefits": s.benefit_help_report(user=user, union=union, year=year),
                "yoy": s.year_on_year(user=user, union=union, year=year),
                "medical": medical_report(user=user, union=union, year=year),
                "targets": article2_targets(user=user, union=union, year=year, as_of=clock.today())}

    refresh = (lambda: refresh_snapshot("report", user.pk, union.pk, str(year))) if background else None
    return snapshot(f"report:{union.pk}:{year}", stamp(union, dated=True), compute, refresh=refresh,
                    known={union.pk: union})


def entitlement_figures(*, user, union, as_of, background: bool = True) -> Figures:
    """The entitlements report of the union's archive on `as_of` (the engine over every household), stored; its
    first computation too is left to the job queue (minutes for a province), the page saying so meanwhile."""
    from .entitlements import entitlement_report
    from .tasks import refresh_snapshot

    refresh = (lambda: refresh_snapshot("entitlements", user.pk, union.pk, as_of.isoformat())) if background else None
    return snapshot(f"entitlements:{union.pk}:{as_of.isoformat()}", stamp(union),
                    lambda: entitlement_report(user=user, union=union, as_of=as_of), refresh=refresh, wait_first=False,
                    known={union.pk: union})
