"""Two app servers finding the same figures stale at the same moment queue one job: the claim is one UPDATE … WHERE
(or, before any row, one INSERT under the key's unique constraint), atomic in the database. Threads with their own
connections on PostgreSQL, released together behind a barrier."""

from __future__ import annotations

import pytest
from concurrency import at_once as run_at_once
from django.db import connection

from bangfu.common import clock
from bangfu.reports import snapshots
from bangfu.reports.models import ReportSnapshot

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency: PostgreSQL only"),
]
CALLERS = 2


def at_once(call) -> list:
    """`call()` in CALLERS threads released together (`concurrency.at_once`)."""
    return run_at_once(lambda _i: call(), CALLERS)


@pytest.mark.parametrize("rounds", [5])
def test_two_callers_claiming_the_same_stale_figures_at_once_one_wins(rounds):
    key = "report:1:2025"
    ReportSnapshot.objects.create(key=key, stamp="3/p/1", data="null", computed_at=clock.now())
    for change in range(2, 2 + rounds):
        assert sorted(at_once(lambda change=change: snapshots.claim_refresh(key, f"3/p/{change}"))) == [False, True]
    assert ReportSnapshot.objects.get(key=key).queued_stamp == f"3/p/{1 + rounds}"


def test_two_first_views_claiming_at_once_one_wins():
    """Before any figures: each caller would insert the placeholder row holding the claim; one insert wins."""
    for n in range(5):
        results = at_once(lambda n=n: snapshots.claim_refresh(f"entitlements:{n}:2025-10-01", "3/p/1", exists=False))
        assert sorted(results) == [False, True]
