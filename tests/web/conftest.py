"""Fixtures of the web tests: a household of three in 玄武区, a second reviewer, the case services driven to a state."""

from __future__ import annotations

import pytest


@pytest.fixture
def household(make_household):
    """A worker, a spouse and a primary-school child (g1, 玄武区), not yet verified."""
    return make_household("g1")


@pytest.fixture
def verified(household, users):
    from bangfu.cases.services import case_take_over

    case_take_over(actor=users["reviewer_xuanwu"], household=household, category="hardship")
    household.refresh_from_db()
    return household


@pytest.fixture
def reviewer2(make_user):
    """A second reviewer of 玄武区: the four eyes need two people."""
    return make_user("reviewer", "xuanwu", "reviewer2_xuanwu")


@pytest.fixture
def drive(users, noticed):
    """`drive(household, "archived")`: the case services up to that state, each move by whoever really makes it; a
    case driven to 公示 or beyond was submitted and noticed ten days ago (`noticed`), the notice over yesterday."""
    from bangfu.cases import services

    cw, rv = users["caseworker_g1"], users["reviewer_xuanwu"]
    early = ("draft", "submitted", "verifying")

    steps = {
        "draft": lambda c: services.case_submit(actor=cw, case=c, version=c.version),
        "submitted": lambda c: services.case_start_verification(actor=cw, case=c, version=c.version),
        "verifying": lambda c: noticed(cw, c),
        "public_notice": lambda c: services.case_archive(actor=rv, case=c, version=c.version, category="hardship"),
        "archived": lambda c: services.case_start_help(actor=cw, case=c, version=c.version),
        "helping": lambda c: services.case_start_review(actor=cw, case=c, version=c.version),
        "review": lambda c: services.case_exit(actor=rv, case=c, version=c.version, reason="已稳定就业"),
    }

    def run(household, until: str):
        case = services.case_open(actor=cw, household=household)
        if until not in early and case.state in early:
            case = noticed(cw, case)  # the application's history in the past, so the archive can be today
        while case.state != until:
            case = steps[case.state](case)
        return case

    return run


@pytest.fixture
def under_review_with_wages(make_household, drive):
    """`under_review_with_wages(amount)`: a household of g1 in review, with wages of `amount` a month over the eight
    months before this one (what an exit suggestion reads)."""
    from decimal import Decimal

    from bangfu.cases.parameters import add_months
    from bangfu.common import clock
    from bangfu.registry.models import IncomeRecord

    def make(amount: str):
        household = make_household("g1")
        drive(household, "review")
        first_month = add_months(clock.today().replace(day=1), -8)
        for i in range(8):
            IncomeRecord.objects.create(household=household, month=add_months(first_month, i), source="wages",
                                        amount=Decimal(amount))
        return household

    return make
