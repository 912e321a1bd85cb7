"""Fixtures of the ledger tests: archived households and a payment helper (request, then approval)."""

from __future__ import annotations

import pytest

from bangfu.cases import services as cases
from bangfu.ledger import services


@pytest.fixture
def archive(users, noticed):
    """`archive(household)`: through the workflow into the archive, as caseworker and reviewer do it (the notice
    made earlier and over, `noticed`)."""
    cw, rv = users["caseworker_g1"], users["reviewer_xuanwu"]

    def run(household, caseworker=cw, reviewer=rv):
        case = noticed(caseworker, cases.case_open(actor=caseworker, household=household))
        case = cases.case_archive(actor=reviewer, case=case, version=case.version, category="hardship")
        household.refresh_from_db()
        return household

    return run


@pytest.fixture
def household(make_household, archive):
    return archive(make_household())


@pytest.fixture
def pay(users, today):
    """`pay(household, "100.00")`: requested by the caseworker, approved by the reviewer; returns the entry."""

    def run(household, amount, *, fund_source="union_funds", paid_on=None, recorder=None, approver=None, **extra):
        request, _ = services.ledger_request_payment(
            actor=recorder or users["caseworker_g1"], household=household, amount=amount, fund_source=fund_source,
            paid_on=paid_on or today, description=extra.pop("description", "生活救助金"), **extra)
        entry, _ = services.ledger_approve(actor=approver or users["reviewer_xuanwu"], ledger_request=request)
        return entry

    return run
