"""Fixtures of the programme tests: archived households with payees, a 送温暖 programme, a round helper."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from programme_helpers import luhn_card, preset

from bangfu.cases import services as cases
from bangfu.programmes import services

CARD = "6222020200112233446"  # passes the Luhn check


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def archive(users, noticed):
    """`archive(household, category)`: through the workflow into the archive, as caseworker and reviewer do it
    (the notice made earlier and over, `noticed`)."""

    def run(household, category="hardship", caseworker=None, reviewer=None):
        cw, rv = caseworker or users["caseworker_g1"], reviewer or users["reviewer_xuanwu"]
        case = noticed(cw, cases.case_open(actor=cw, household=household))
        case = cases.case_archive(actor=rv, case=case, version=case.version, category=category)
        household.refresh_from_db()
        return household

    return run


@pytest.fixture
def staff(users, make_user):
    """The fixture's users and a county caseworker, a second county reviewer and a city reviewer."""
    return {**users, "caseworker_xuanwu": make_user("caseworker", "xuanwu", "caseworker_xuanwu"),
            "reviewer_nanjing": make_user("reviewer", "nanjing", "reviewer_nanjing")}


@pytest.fixture
def with_payee(users):
    counter = iter(range(1, 10_000))

    def run(household, actor=None):
        worker = household.members.get(relation="self")
        services.payee_set(actor=actor or users["caseworker_g1"], household=household, member=worker,
                           bank_name="工商银行南京玄武支行", account_number=luhn_card(next(counter)))
        return household

    return run


@pytest.fixture
def area(make_household, archive, with_payee, users):
    """玄武区: two 困难 and one 特困 household with accounts, one archived without an account, one draft."""
    made = {
        "a": with_payee(archive(make_household())),
        "b": with_payee(archive(make_household(union="g2", address="南京市玄武区中山路2号"),
                               caseworker=users["caseworker_g2"]), actor=users["caseworker_g2"]),
        "x": with_payee(archive(make_household(), category="extreme_hardship")),
        "no_account": archive(make_household()),
        "draft": make_household(),
    }
    return made


@pytest.fixture
def warmth(orgs, users):
    return services.programme_create(actor=users["admin_nanjing"], union=orgs["nanjing"], name="2026年送温暖",
                                     kind="send_warmth", fund_source="union_funds", budget="100000",
                                     bank_format=preset("generic"))


@pytest.fixture
def prepared(warmth, orgs, staff, area, today):
    return services.round_create(actor=staff["caseworker_xuanwu"], programme=warmth, union=orgs["xuanwu"],
                                 paid_on=today, title="春节送温暖")
