"""Medical costs in the reports equal each household's own medical year (the same settlement) to the fen."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from bangfu.reports.medical import medical_report

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def bills(area):
    from bangfu.medical.models import MedicalBill

    def bill(h, day, total, in_scope, **extra):
        member = h.members.get(relation="self")
        return MedicalBill.objects.create(household=h, member=member, billed_on=day, hospital="江苏省人民医院",
                                          hospital_level="tertiary", kind="inpatient", scheme="resident",
                                          total=Decimal(total), in_scope=Decimal(in_scope), **extra)

    return [bill(area["h1"], D(2025, 4, 1), "80000", "60000"), bill(area["h1"], D(2025, 9, 1), "5000.55", "4000.10"),
            bill(area["h6"], D(2025, 5, 5), "12345.67", "10000"), bill(area["h6"], D(2024, 5, 5), "999", "900")]


def test_medical_costs_by_area_equal_the_households_own_years(bills, area, users, orgs):
    from bangfu.medical.selectors import medical_year

    user = users["admin_province"]
    report = medical_report(user=user, union=orgs["province"], year=2025)
    own = [medical_year(user=user, household=area[k], year=2025, as_of=D(2025, 12, 31)) for k in ("h1", "h6")]
    assert report["total"] == sum((y.total for y in own), Decimal(0)) == Decimal("97346.22")
    assert report["family_share"] == sum((y.family_share for y in own), Decimal(0))
    assert Decimal(0) < report["family_share"] < report["total"]
    rows = {a["union"].name: a for a in report["areas"]}
    assert (rows["南京市总工会"]["households"], rows["南京市总工会"]["bills"]) == (1, 2)
    assert rows["无锡市总工会"]["total"] == own[1].total
    paid = sum((amount for _c, _l, amount in report["payers"]), Decimal(0))
    assert paid + report["family_share"] == report["total"]


def test_a_caseworker_sees_only_their_unions_bills(bills, users, orgs):
    report = medical_report(user=users["caseworker_g4"], union=orgs["g4"], year=2025)
    assert report["total"] == Decimal("12345.67")


def test_the_page_and_the_workbook_show_them(bills, users, login, django_assert_num_queries):
    import io

    from openpyxl import load_workbook

    client = login(users["admin_province"])
    client.get("/reports/", {"year": 2025})
    with django_assert_num_queries(4):  # the user, the stored figures and the unions they name
        response = client.get("/reports/", {"year": 2025})
    assert response.context["medical"]["total"] == Decimal("97346.22")
    assert "97346.22" in response.content.decode()
    book = load_workbook(io.BytesIO(client.get("/reports/export.xlsx", {"year": 2025}).content))
    rows = [[c.value for c in row] for row in book["医疗费用"].iter_rows()]
    assert rows[1][:4] == ["江苏省总工会", 2, 3, 97346.22]
