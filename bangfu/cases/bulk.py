"""Taking over many generated archived households at once (the demo's load): episodes and their events by COPY.

The per-household service (`services.case_take_over`) checks, locks and audits each file; for rows a loader has
just generated itself, one insert per table is enough, and the loader writes one audit row for the load.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from bangfu.cases.workflow import CaseState
from bangfu.common import clock
from bangfu.common.bulk import blank_factory, fast_insert
from bangfu.registry.models import Household

from .models import Case, CaseEvent
from .parameters import next_reviews
from .services.takeover import TAKE_OVER, TAKE_OVER_REASON

_case, _event = blank_factory(Case), blank_factory(CaseEvent)


def take_over_bulk(households: Sequence[Household], archived_on: Sequence[datetime.date], *,
                   source: str, reason: str = TAKE_OVER_REASON) -> int:
    """For households just written in 已建档 with their verified category and no case yet, each with its archive
    date: the first episode in 已建档, its review due after the review interval, and a `take_over` event (by the
    system). Returns how many."""
    if not households:
        return 0
    if any(h.status != CaseState.ARCHIVED for h in households):
        raise ValueError("take_over_bulk takes households in 已建档 only")
    now = clock.now()
    reviews = next_reviews((day, h.region_code) for h, day in zip(households, archived_on, strict=True))
    fast_insert(Case, [
        _case(household_id=h.pk, state=CaseState.ARCHIVED, category=h.verified_category, opened_at=now,
              archived_on=day, next_review_on=review)
        for h, day, review in zip(households, archived_on, reviews, strict=True)
    ])
    ids = dict(Case.objects.filter(household_id__in=[h.pk for h in households], episode=1)
               .values_list("household_id", "id"))
    fast_insert(CaseEvent, [
        _event(case_id=ids[h.pk], at=now, action=TAKE_OVER, to_state=CaseState.ARCHIVED, reason=reason, version=1,
               data={"category": h.verified_category, "archived_on": day.isoformat(),
                     "next_review_on": review.isoformat(), "source": source})
        for h, day, review in zip(households, archived_on, reviews, strict=True)
    ])
    return len(households)
