"""Fixtures of the case tests: a case opened on a household, and a driver through the workflow."""

from __future__ import annotations

import datetime

import pytest

from bangfu.cases import services


@pytest.fixture
def reviewer2(make_user):
    """A second reviewer of the same county: the four eyes need two people."""
    return make_user("reviewer", "xuanwu", "reviewer2_xuanwu")


@pytest.fixture
def case(make_household, users):
    return services.case_open(actor=users["caseworker_g1"], household=make_household())


@pytest.fixture
def drive(users, today):
    """`drive(case, "helping")`: the moves up to that state, each made by the person who really makes it."""
    cw, rv = users["caseworker_g1"], users["reviewer_xuanwu"]
    day = datetime.timedelta(days=1)

    def notice(c):
        c = services.case_record_visit(actor=cw, case=c, version=c.version, visited_on=today, notes="入户走访,情况属实",
                                       authorisation_signed_on=today)
        return services.case_start_notice(actor=cw, case=c, version=c.version, start=today - 10 * day,
                                          end=today - day)

    steps = [
        ("submitted", lambda c: services.case_submit(actor=cw, case=c, version=c.version)),
        ("verifying", lambda c: services.case_start_verification(actor=cw, case=c, version=c.version)),
        ("public_notice", notice),
        ("archived", lambda c: services.case_archive(actor=rv, case=c, version=c.version,
                                                     category="extreme_hardship")),
        ("helping", lambda c: services.case_start_help(actor=cw, case=c, version=c.version)),
        ("review", lambda c: services.case_start_review(actor=cw, case=c, version=c.version)),
        ("exited", lambda c: services.case_exit(actor=rv, case=c, version=c.version, reason="已稳定就业")),
    ]

    order = ["draft", *(state for state, _ in steps)]

    def run(case, until: str):
        for _, step in steps[order.index(case.state):]:
            if case.state == until:
                break
            case = step(case)
        assert case.state == until
        return case

    return run


@pytest.fixture
def archived_case(case, drive):
    return drive(case, "archived")
