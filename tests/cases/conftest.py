"""Fixtures of the case tests: a case opened on a household, and a driver through the workflow."""

from __future__ import annotations

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
def drive(users, noticed):
    """`drive(case, "helping")`: the moves up to that state, each made by the person who really makes it; a case
    driven to 公示 or beyond was submitted and noticed ten days ago (`noticed`), the notice over yesterday."""
    cw, rv = users["caseworker_g1"], users["reviewer_xuanwu"]

    steps = [
        ("submitted", lambda c: services.case_submit(actor=cw, case=c, version=c.version)),
        ("verifying", lambda c: services.case_start_verification(actor=cw, case=c, version=c.version)),
        ("public_notice", lambda c: noticed(cw, c)),
        ("archived", lambda c: services.case_archive(actor=rv, case=c, version=c.version,
                                                     category="extreme_hardship")),
        ("helping", lambda c: services.case_start_help(actor=cw, case=c, version=c.version)),
        ("review", lambda c: services.case_start_review(actor=cw, case=c, version=c.version)),
        ("exited", lambda c: services.case_exit(actor=rv, case=c, version=c.version, reason="已稳定就业")),
    ]

    order = ["draft", *(state for state, _ in steps)]

    def run(case, until: str):
        if order.index(until) >= order.index("public_notice") and case.state in order[:order.index("public_notice")]:
            case = noticed(cw, case)  # the application's history in the past, so the archive can be today
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
