"""Help by benefit (issue 14): the year's ledger by the benefit or kind of measure it paid for, with its article,
titles never codes, on the report page and as a sheet of the annual workbook; exact to the fen."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from bangfu.reports import selectors as s

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def measures(area, users, orgs):
    from bangfu.cases import services as cases
    from bangfu.cases.models import Measure
    from bangfu.ledger.models import LedgerEntry

    cw, rv = users["caseworker_g1"], users["reviewer_xuanwu"]

    def measure(household, **data):
        case = household.cases.order_by("-episode").first()
        plan = case.plans.filter(year=2025).first() or cases.plan_create(actor=cw, case=case, year=2025)
        return Measure.objects.create(plan=plan, department="union", owner=cw, due_on=D(2025, 12, 31),
                                      created_by=cw, **data)

    def pay(household, amount, measure, day, reversal_of=None):
        return LedgerEntry.objects.create(household=household, union=household.union, amount=Decimal(amount),
                                          paid_on=day, fund_source="union_funds", description="帮扶", measure=measure,
                                          recorded_by=cw, approved_by=rv, reversal_of=reversal_of)

    subsidy = measure(area["h1"], kind="entitlement", title="生活补助", benefit_code="living.union_living_subsidy",
                      article=22)
    visit = measure(area["h2"], kind="visit", title="春节走访")
    pay(area["h1"], "600.00", subsidy, D(2025, 10, 1))
    wrong = pay(area["h1"], "33.33", subsidy, D(2025, 10, 2))
    pay(area["h1"], "-33.33", subsidy, D(2025, 10, 3), reversal_of=wrong)
    pay(area["h2"], "80.50", visit, D(2025, 11, 1))
    pay(area["h2"], "99.00", visit, D(2024, 11, 1))  # another year
    return subsidy, visit


EXPECTED = [
    {"title": "工会生活补助", "article": 22, "kind": "政策待遇", "households": 1, "spent": Decimal("600.00")},
    {"title": "走访慰问", "article": None, "kind": "走访慰问", "households": 1, "spent": Decimal("80.50")},
    {"title": "其他(未关联帮扶措施)", "article": None, "kind": "", "households": 3, "spent": Decimal("1500.05")},
]


def test_help_by_benefit_to_the_fen(measures, users, orgs):
    rows = s.benefit_help_report(user=users["admin_province"], union=orgs["province"], year=2025)
    assert rows == EXPECTED
    assert [str(r["spent"]) for r in rows] == ["600.00", "80.50", "1500.05"]
    # the ledger's own total for the year: the rows add up to it
    assert sum(r["spent"] for r in rows) == s.help_report(user=users["admin_province"], union=orgs["province"],
                                                          year=2025)["total"]
    # 无锡's auditor sees only 无锡's payments (h6: 1,000.00 net, paid for no measure)
    wuxi = s.benefit_help_report(user=users["auditor_wuxi"], union=orgs["wuxi"], year=2025)
    assert wuxi == [{"title": "其他(未关联帮扶措施)", "article": None, "kind": "", "households": 1,
                     "spent": Decimal("1000.00")}]


def test_on_the_page_and_in_the_workbook(measures, users, login):
    client = login(users["admin_province"])
    response = client.get("/reports/", {"year": 2025})
    assert response.context["benefits"] == EXPECTED
    html = response.content.decode()
    assert "工会生活补助" in html and "第22条" in html and "living.union_living_subsidy" not in html
    book = load_workbook(io.BytesIO(client.get("/reports/export.xlsx", {"year": 2025}).content))
    rows = [[c.value for c in row] for row in book["帮扶待遇"].iter_rows()]
    assert rows == [["帮扶待遇(措施)", "条款", "措施类型", "涉及户数", "已发放(元)"],
                    ["工会生活补助", "第22条", "政策待遇", 1, 600],
                    ["走访慰问", None, "走访慰问", 1, 80.5],
                    ["其他(未关联帮扶措施)", None, None, 3, 1500.05]]
