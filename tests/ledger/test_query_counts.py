"""The budget list and the totals by union cost a fixed number of queries, however many budgets or child unions,
and still agree to the fen with the entries (reversals, other years and other fund sources kept apart)."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

from bangfu.accounts.models import Organisation
from bangfu.ledger import services
from bangfu.ledger.budgets import spent
from bangfu.ledger.selectors import budget_list, union_totals

pytestmark = pytest.mark.django_db
SOURCES = ("fiscal", "union_funds", "charity")


@pytest.fixture
def payments(household, make_household, archive, users, pay, today):
    """Payments in 玄武 g1 and g2 from each fund source, this year and last, and one reversal."""
    other = archive(make_household(union="g2", actor=users["caseworker_g2"]), caseworker=users["caseworker_g2"])
    last_year = today.replace(year=today.year - 1, day=1)
    for i, (target, source) in enumerate(itertools.product((household, other), SOURCES)):
        recorder = users["caseworker_g1"] if target is household else users["caseworker_g2"]
        pay(target, Decimal("100.07") * (i + 1), fund_source=source, recorder=recorder)
        pay(target, "0.01", fund_source=source, recorder=recorder, paid_on=last_year)
    wrong = pay(household, "33.33", fund_source="fiscal")
    reversal = services.ledger_request_reversal(actor=users["caseworker_g1"], entry=wrong, reason="误录")
    services.ledger_approve(actor=users["reviewer_xuanwu"], ledger_request=reversal)
    return household, other


def add_child_unions(parent: Organisation, n: int) -> None:
    start = parent.children.count() + 1
    for i in range(start, start + n):
        code = f"{parent.code}-{i:04d}"
        Organisation.objects.create(code=code, name=f"玄武第{i}工会", level="grassroots", kind="enterprise",
                                    division_code=parent.division_code, parent=parent, path=f"{parent.path}{code}/")


def test_budget_list_is_one_query_and_agrees_with_the_entries(payments, users, orgs, today,
                                                              django_assert_max_num_queries):
    admin = users["admin_nanjing"]
    budgets = [("g1", "fiscal"), ("g2", "charity"), ("xuanwu", "union_funds"), ("xuanwu", "fiscal"),
               ("nanjing", "charity"), ("qinhuai", "fiscal")]
    for union, source in budgets[:2]:
        services.budget_set(actor=admin, union=orgs[union], fund_source=source, year=today.year, amount="500")
    admin.organisation  # noqa: B018 - loaded once, as a request's user is
    with django_assert_max_num_queries(1) as few:
        assert len(budget_list(user=admin, year=today.year)) == 2
    for union, source in budgets[2:]:
        services.budget_set(actor=admin, union=orgs[union], fund_source=source, year=today.year, amount="500")
    with django_assert_max_num_queries(len(few)):  # six budgets: still one query, not one per budget
        rows = budget_list(user=admin, year=today.year)
    assert len(rows) == 6
    for row in rows:
        budget = row["budget"]
        assert row["spent"] == spent(budget.union.path, budget.fund_source, budget.year)
        assert row["remaining"] == budget.amount - row["spent"]
    by_key = {(r["budget"].union.code, r["budget"].fund_source): r["spent"] for r in rows}
    assert by_key[(orgs["xuanwu"].code, "fiscal")] == Decimal("100.07") + Decimal("400.28")  # net of the reversal
    assert by_key[(orgs["qinhuai"].code, "fiscal")] == Decimal("0.00")
    assert budget_list(user=users["caseworker_g4"], year=today.year) == []


def test_union_totals_are_two_queries_whatever_the_number_of_children(payments, users, orgs, today,
                                                                      django_assert_max_num_queries):
    admin = users["admin_nanjing"]
    admin.organisation  # noqa: B018
    with django_assert_max_num_queries(2) as few:
        union_totals(user=admin, union=orgs["xuanwu"])
    add_child_unions(orgs["xuanwu"], 6)
    with django_assert_max_num_queries(len(few)):  # eight children: not one query per child
        rows = union_totals(user=admin, union=orgs["xuanwu"], year=today.year)
    household, other = payments
    g1 = sum(Decimal("100.07") * (i + 1) for i in range(3))
    g2 = sum(Decimal("100.07") * (i + 1) for i in range(3, 6))
    totals = {r["union"]: (r["total"], r["count"]) for r in rows}
    assert len(rows) == 9 and rows[0]["union"] == "南京市玄武区总工会"
    assert totals["玄武某企业工会"] == (g1, 5) and totals["玄武某街道工会"] == (g2, 3)  # g1: a payment, its reversal
    assert totals["南京市玄武区总工会"] == (g1 + g2, 8) and totals["玄武第3工会"] == (Decimal("0.00"), 0)
    city = {r["union"]: r["total"] for r in union_totals(user=admin, union=orgs["nanjing"], fund_source="fiscal")}
    assert city == {"南京市总工会": Decimal("500.37"), "南京市玄武区总工会": Decimal("500.37"),
                    "南京市秦淮区总工会": Decimal("0.00")}
