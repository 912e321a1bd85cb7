"""Issue 11 item 6 / issue 17 item 6: a paid round line moves the household's measure through the ledger's one
function (`ledger.measures.measures_follow_payments`); a failed line leaves it as it was until a later round pays."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from programme_helpers import approve, lines_of, return_csv

from bangfu.audit.models import AuditEntry
from bangfu.cases import services as cases
from bangfu.cases.models import MeasureStatus
from bangfu.programmes import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def visits(area, users, today):
    """A 走访慰问 measure (no planned sum) in this year's plan of households a and b."""
    made = {}
    for key, cw in (("a", users["caseworker_g1"]), ("b", users["caseworker_g2"])):
        plan = cases.plan_create(actor=cw, case=area[key].cases.get(), year=today.year)
        made[key] = cases.measure_create(actor=cw, plan=plan, kind="visit", title="春节送温暖慰问", owner=cw,
                                         due_on=datetime.date(today.year, 12, 31))
    return made


def test_paid_lines_complete_their_measures_and_failed_ones_wait(visits, warmth, orgs, staff, area, today):
    first = services.round_create(actor=staff["caseworker_xuanwu"], programme=warmth, union=orgs["xuanwu"],
                                  paid_on=today, title="春节送温暖")
    assert lines_of(first)[area["a"].pk].measure_id == visits["a"].pk
    first = approve(first, staff)
    services.round_reconcile(actor=staff["caseworker_xuanwu"], round_=first,
                             content=return_csv(first, {area["b"].pk: "账户已销户"}), file_name="back.csv")
    a, b = (visits[k] for k in "ab")
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.delivered) == (MeasureStatus.DONE, Decimal("500.00"))
    assert (b.status, b.delivered) == (MeasureStatus.PLANNED, Decimal("0.00"))
    row = AuditEntry.objects.get(action="measure.follow_payments")
    assert row.after == {"measure": a.pk, "status": "done", "delivered": "500.00"}
    assert row.actor_id == staff["caseworker_xuanwu"].pk

    nxt = services.round_create(actor=staff["caseworker_xuanwu"], programme=warmth, union=orgs["xuanwu"],
                                paid_on=today, title="补发")
    assert lines_of(nxt)[area["b"].pk].measure_id == b.pk
    nxt = approve(nxt, staff)
    services.round_reconcile(actor=staff["caseworker_xuanwu"], round_=nxt, content=return_csv(nxt, {}),
                             file_name="back2.csv")
    b.refresh_from_db()
    assert (b.status, b.delivered) == (MeasureStatus.DONE, Decimal("500.00"))
    assert AuditEntry.objects.filter(action="measure.follow_payments").count() == 2
