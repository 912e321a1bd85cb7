"""Issue 17 item 6: a measure follows its approved payments (state and delivered amount), from the single payment
approval, reversals included; the page shows it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from bangfu.audit.models import AuditEntry
from bangfu.cases import services as cases
from bangfu.cases.models import MeasureStatus
from bangfu.ledger import services
from bangfu.ledger.measures import followed_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure(household, users, today):
    """`measure(kind, amount)`: a measure of this year's plan, 计划中, owned by the caseworker."""
    cw = users["caseworker_g1"]
    plan = cases.plan_create(actor=cw, case=household.cases.get(), year=today.year)

    def run(kind="visit", amount=None, title="春节走访慰问"):
        return cases.measure_create(actor=cw, plan=plan, kind=kind, title=title, owner=cw,
                                    due_on=datetime.date(today.year, 12, 31), amount=amount)

    return run


@pytest.mark.parametrize("status, planned, delivered, expected", [
    ("planned", None, "600.00", "done"),           # no planned sum: help given once
    ("planned", "2400.00", "200.00", "in_progress"),
    ("in_progress", "2400.00", "2400.00", "done"),
    ("planned", "2400.00", "2400.01", "done"),
    ("planned", "2400.00", "0.00", "planned"),     # nothing delivered (or all reversed): unchanged
    ("in_progress", "2400.00", "0.00", "in_progress"),
    ("done", "2400.00", "100.00", "done"),         # final states are never set back
    ("cancelled", None, "600.00", "cancelled"),
])
def test_the_state_a_measures_payments_give_it(status, planned, delivered, expected):
    assert followed_status(status, Decimal(planned) if planned else None, Decimal(delivered)) == expected


def test_an_approved_payment_completes_a_measure_without_a_planned_sum(household, measure, users, client, today):
    visit = measure()
    assert visit.status == MeasureStatus.PLANNED and visit.delivered == Decimal("0.00")
    request, _ = services.ledger_request_payment(actor=users["caseworker_g1"], household=household, amount="600.00",
                                                 fund_source="union_funds", paid_on=today, description="春节送温暖慰问金", measure=visit)
    visit.refresh_from_db()
    assert visit.status == MeasureStatus.PLANNED and visit.delivered == Decimal("0.00")  # awaiting approval
    services.ledger_approve(actor=users["reviewer_xuanwu"], ledger_request=request)
    version = visit.version
    visit.refresh_from_db()
    assert visit.status == MeasureStatus.DONE and visit.delivered == Decimal("600.00")
    assert visit.version == version + 1  # a form opened before the payment is stale
    row = AuditEntry.objects.get(action="measure.follow_payments")
    assert row.before == {"status": "planned", "delivered": "0.00"}
    assert row.after == {"measure": visit.pk, "status": "done", "delivered": "600.00"}
    assert row.object_type == "case" and row.object_id == str(visit.plan.case_id)
    client.force_login(users["caseworker_g1"])
    page = client.get(f"/households/{household.pk}/plans/{visit.plan.year}/").content.decode()
    cell = page.split(f'data-testid="measure-amount-{visit.pk}"')[1].split("</td>")[0]
    assert "已发放600.00 元" in cell and "—" not in cell
    assert "春节走访慰问" in page and "已完成" in page


def test_instalments_advance_a_measure_to_its_planned_sum_and_a_reversal_lowers_the_sum(measure, pay, household,
                                                                                    users):
    subsidy = measure(kind="donation", amount="2400", title="生活补助(按月)")
    pay(household, "200.00", measure=subsidy)
    subsidy.refresh_from_db()
    assert (subsidy.status, subsidy.delivered) == (MeasureStatus.IN_PROGRESS, Decimal("200.00"))
    second = pay(household, "199.99", measure=subsidy)
    subsidy.refresh_from_db()
    assert (subsidy.status, subsidy.delivered) == (MeasureStatus.IN_PROGRESS, Decimal("399.99"))
    reversal = services.ledger_request_reversal(actor=users["caseworker_g1"], entry=second, reason="重复登记")
    services.ledger_approve(actor=users["reviewer_xuanwu"], ledger_request=reversal)
    subsidy.refresh_from_db()
    assert (subsidy.status, subsidy.delivered) == (MeasureStatus.IN_PROGRESS, Decimal("200.00"))
    pay(household, "2200.00", measure=subsidy)
    subsidy.refresh_from_db()
    assert (subsidy.status, subsidy.delivered) == (MeasureStatus.DONE, Decimal("2400.00"))
    assert AuditEntry.objects.filter(action="measure.follow_payments").count() == 4


def test_a_payment_without_a_measure_changes_no_measure(measure, pay, household):
    visit = measure()
    pay(household, "300.00")
    visit.refresh_from_db()
    assert (visit.status, visit.delivered) == (MeasureStatus.PLANNED, Decimal("0.00"))
    assert not AuditEntry.objects.filter(action="measure.follow_payments").exists()
