"""Stored summaries of the report figures, refreshed on change: a page reads the figures computed after the newest
change in its area (the audit trail's last change row: every change writes one) instead of aggregating the archive
again; the first view after a change computes and stores them. Constant queries per view whatever the archive."""

from __future__ import annotations

import pickle
from collections.abc import Callable

from django.db import IntegrityError, transaction

from bangfu.audit.selectors import last_change
from bangfu.common import clock
from bangfu.ledger.budgets import ancestor_paths

from .models import ReportSnapshot


def stamp(union, *, dated: bool = False) -> str:
    """What the figures of the union's report depend on: the last change in its area (and above it), and today
    for figures taken on today's date."""
    last = last_change(area_path=union.path, ancestors=ancestor_paths(union.path)[:-1])
    return f"{last}:{clock.today().isoformat()}" if dated else str(last)


def snapshot(key: str, current: str, compute: Callable[[], object]):
    """The stored figures under `key` when computed at the `current` stamp, else computed now and stored.
    Figures are the same for every user who may see the union (access is by area: restrict(user) over a union
    inside the user's area keeps its whole subtree), so the key names the union, not the user. Only this module
    writes and reads the stored bytes."""
    row = ReportSnapshot.objects.filter(key=key).only("stamp", "data").first()
    if row is not None and row.stamp == current:
        return pickle.loads(row.data)  # noqa: S301 - written by `snapshot` below, never from outside
    value = compute()
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        with transaction.atomic():
            ReportSnapshot.objects.update_or_create(key=key, defaults={"stamp": current, "data": data,
                                                                       "computed_at": clock.now()})
    except IntegrityError:  # another request stored it at the same moment: theirs is as good
        pass
    return value


def report_figures(*, user, union, year: int) -> dict:
    """Every figure of the union's report for `year` (households, flows, help by source and programme, medical
    costs, year on year, Article 2's targets on today's date), from the stored summary when still current."""
    from bangfu.cases.targets import article2_targets

    from . import selectors as s
    from .medical import medical_report

    def compute() -> dict:
        return {"house": s.household_report(user=user, union=union), "flows": s.flow_report(user=user, union=union, year=year),
                "help": s.help_report(user=user, union=union, year=year),
                "programmes": s.programme_report(user=user, union=union, year=year),
                "yoy": s.year_on_year(user=user, union=union, year=year),
                "medical": medical_report(user=user, union=union, year=year),
                "targets": article2_targets(user=user, union=union, year=year, as_of=clock.today())}

    return snapshot(f"report:{union.pk}:{year}", stamp(union, dated=True), compute)


def entitlement_figures(*, user, union, as_of) -> dict:
    """The entitlements report of the union's archive on `as_of` (the engine over every household), stored."""
    from .entitlements import entitlement_report

    return snapshot(f"entitlements:{union.pk}:{as_of.isoformat()}", stamp(union),
                    lambda: entitlement_report(user=user, union=union, as_of=as_of))
