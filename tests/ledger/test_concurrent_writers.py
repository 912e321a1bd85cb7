"""Concurrent writers on PostgreSQL: threads with their own connections; totals still equal the entries."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from concurrency import at_once
from django.db import connection

from bangfu.common.errors import ValidationFailed
from bangfu.ledger import services
from bangfu.ledger.models import LedgerEntry
from bangfu.ledger.selectors import ledger_totals

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and real concurrency: PostgreSQL only"),
]
THREADS, PAYMENTS = 8, 15


def run_writers(work) -> list:
    """Run `work(i)` in THREADS threads at once (`concurrency.at_once`): every entry they wrote."""
    return [entry for written in at_once(work, THREADS) for entry in written]


def payer(users, household, today, amounts, fund_source="union_funds"):
    def work(i):
        done = []
        for amount in amounts[i]:
            request, _ = services.ledger_request_payment(
                actor=users["caseworker_g1"], household=household, amount=amount, fund_source=fund_source,
                paid_on=today, description=f"并发写入{i}")
            try:
                entry, _ = services.ledger_approve(actor=users["reviewer_xuanwu"], ledger_request=request)
            except ValidationFailed:
                continue
            done.append(entry.amount)
        return done

    return work


def test_totals_equal_the_entries_with_concurrent_writers(household, users, today):
    rng = random.Random(28)
    amounts = [[Decimal(rng.randint(1, 999999)) / 100 for _ in range(PAYMENTS)] for _ in range(THREADS)]
    paid = run_writers(payer(users, household, today, amounts))
    assert len(paid) == THREADS * PAYMENTS
    expected = sum(a for row in amounts for a in row)
    entries = list(LedgerEntry.objects.values_list("amount", flat=True))
    assert len(entries) == THREADS * PAYMENTS and sum(entries) == expected
    totals = ledger_totals(user=users["admin_province"], group_by="household")
    assert totals["total"] == expected and totals["groups"][0]["total"] == expected


def test_a_budget_that_may_not_be_exceeded_holds_under_concurrent_approvals(household, users, orgs, today):
    services.budget_set(actor=users["admin_nanjing"], union=orgs["xuanwu"], fund_source="fiscal", year=today.year,
                        amount="1000.00", refuse_over=True)
    amounts = [[Decimal("20.00")] * PAYMENTS for _ in range(THREADS)]  # 2400 asked, 1000 allowed
    paid = run_writers(payer(users, household, today, amounts, fund_source="fiscal"))
    assert len(paid) == 50 and sum(paid) == Decimal("1000.00")
    assert ledger_totals(user=users["admin_province"], fund_source="fiscal")["total"] == Decimal("1000.00")
