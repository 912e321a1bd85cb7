"""Report figures against the hand-built area (totals known), the ledger's own totals and the engine's own answers."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from bangfu.common.errors import NotFound
from bangfu.reports import selectors as s

D = datetime.date

pytestmark = pytest.mark.django_db


def by_code(rows):
    return {code: n for code, _label, n in rows}


def test_households_by_area_category_cause_status_and_year(area, users, orgs):
    user = users["admin_province"]
    report = s.household_report(user=user, union=orgs["province"])
    rows = {a["union"].name: a for a in report["areas"]}
    assert [a["union"].name for a in report["areas"]] == ["江苏省总工会", "南京市总工会", "无锡市总工会"]
    assert (rows["江苏省总工会"]["total"], rows["江苏省总工会"]["archived"]) == (6, 4)
    assert (rows["江苏省总工会"]["hardship"], rows["江苏省总工会"]["extreme"]) == (2, 2)
    assert (rows["南京市总工会"]["total"], rows["南京市总工会"]["archived"]) == (5, 3)
    assert (rows["无锡市总工会"]["total"], rows["无锡市总工会"]["archived"], rows["无锡市总工会"]["extreme"]) == (1, 1, 1)
    assert by_code(rows["江苏省总工会"]["category"]) == {"none": 1, "hardship": 3, "extreme_hardship": 2}
    causes = by_code(report["causes"])
    assert (causes["illness"], causes["disability"], causes["unemployment"], causes["education"],
            causes["disaster"], causes["other"]) == (3, 1, 1, 1, 1, 0)
    status = by_code(report["total"]["status"])
    assert (status["archived"], status["helping"], status["review"], status["exited"], status["draft"]) == (2, 1, 1, 1, 1)
    assert report["years"] == [(2024, 2), (2025, 3)]


def test_drill_to_a_county_and_its_unions(area, users, orgs):
    report = s.household_report(user=users["admin_province"], union=orgs["nanjing"])
    assert [(a["union"].name, a["total"], a["archived"]) for a in report["areas"]] == [
        ("南京市总工会", 5, 3), ("南京市玄武区总工会", 3, 2), ("南京市秦淮区总工会", 2, 1)]
    report = s.household_report(user=users["admin_province"], union=orgs["xuanwu"])
    assert [(a["union"].name, a["total"]) for a in report["areas"]] == [
        ("南京市玄武区总工会", 3), ("玄武某企业工会", 3), ("玄武某街道工会", 0)]


def test_a_caseworker_sees_only_their_union_and_cannot_drill_up(area, users, orgs):
    user = users["caseworker_g1"]
    union = s.report_union(user=user)
    assert union == orgs["g1"]
    assert s.household_report(user=user, union=union)["total"]["total"] == 3
    with pytest.raises(NotFound):
        s.report_union(user=user, union_id=orgs["nanjing"].pk)
    with pytest.raises(NotFound):
        s.report_union(user=users["officer"])  # department officers see no households


def test_entries_and_exits_by_month(area, users, orgs):
    flows = s.flow_report(user=users["admin_province"], union=orgs["province"], year=2025)
    months = {m["month"]: (m["entries"], m["exits"]) for m in flows["months"]}
    assert months[3] == (2, 0) and months[7] == (1, 0) and months[6] == (0, 1)
    assert (flows["entries"], flows["exits"]) == (3, 1)
    assert by_code(flows["reasons"]) == {"exited": 1, "relieved": 0}
    assert s.flow_report(user=users["admin_province"], union=orgs["wuxi"], year=2025)["exits"] == 0


def test_help_by_fund_source_and_area_equals_the_ledger_to_the_fen(area, users, orgs):
    from bangfu.ledger.selectors import ledger_totals, union_totals

    user = users["admin_province"]
    help_ = s.help_report(user=user, union=orgs["province"], year=2025)
    assert help_["total"] == Decimal("1500.05")
    spent = {r["code"]: r["spent"] for r in help_["sources"]}
    assert spent == {"fiscal": Decimal("1300.10"), "union_funds": Decimal("199.95"), "charity": Decimal("0.00")}
    budgets = {r["code"]: r["budget"] for r in help_["sources"]}
    assert budgets == {"fiscal": Decimal("2000.00"), "union_funds": None, "charity": None}
    ledger = ledger_totals(user=user, year=2025, group_by="fund_source")
    assert help_["total"] == ledger["total"]
    assert {g["key"]: g["total"] for g in ledger["groups"]} == {k: v for k, v in spent.items() if v}
    ledger_areas = {r["union"]: r["total"] for r in union_totals(user=user, union=orgs["province"], year=2025)}
    assert {a["union"].name: a["total"] for a in help_["areas"]} == ledger_areas
    assert s.help_report(user=user, union=orgs["province"], year=2024)["total"] == Decimal("50.00")


def test_help_by_programme_nets_reversals_against_their_programme(area, users, orgs):
    from bangfu.ledger.models import LedgerEntry
    from bangfu.programmes.models import Line, Programme, Round

    admin = users["admin_province"]
    warmth = Programme.objects.create(name="2025年送温暖", kind="send_warmth", union=orgs["province"],
                                      fund_source="fiscal", budget=Decimal("5000.00"), created_by=admin)
    one = Round.objects.create(programme=warmth, union=orgs["province"], number=1, title="春节", paid_on=D(2025, 9, 9),
                               period_start=D(2025, 1, 1), period_end=D(2025, 12, 31), period_key="2025",
                               prepared_by=admin)
    for entry in LedgerEntry.objects.filter(household=area["h6"], amount__gt=0):  # 1000.00, and 20.00 reversed
        Line.objects.create(round=one, programme=warmth, household=area["h6"], period_key=f"2025-{entry.pk}",
                            reason="在档", amount=entry.amount, state="paid", entry=entry)
    rows = s.programme_report(user=admin, union=orgs["province"], year=2025)
    assert [(r["name"], r["households"], r["spent"], r["budget"]) for r in rows] == [
        ("2025年送温暖", 1, Decimal("1000.00"), Decimal("5000.00")),
        ("其他(非项目发放)", 2, Decimal("500.05"), None)]
    assert sum(r["spent"] for r in rows) == s.help_report(user=admin, union=orgs["province"], year=2025)["total"]
    assert [r["name"] for r in s.programme_report(user=admin, union=orgs["nanjing"], year=2025)] == ["其他(非项目发放)"]


def test_year_on_year(area, users, orgs):
    rows = {r["label"]: (r["last"], r["this"]) for r in s.year_on_year(user=users["admin_province"],
                                                                        union=orgs["province"], year=2025)}
    assert rows == {"新建档户数": (2, 3), "退出户数": (0, 1), "帮扶资金(元)": (Decimal("50.00"), Decimal("1500.05"))}


def test_entitlements_equal_each_households_own_answer_to_the_fen(area, users, orgs):
    from bangfu.registry.assessment import household_entitlements
    from bangfu.registry.selectors import household_get
    from bangfu.reports.entitlements import entitlement_report

    user, as_of = users["admin_province"], datetime.date(2025, 10, 1)
    report = entitlement_report(user=user, union=orgs["province"], as_of=as_of)
    archived = [area[k] for k in ("h1", "h2", "h4", "h6")]
    own = [household_entitlements(household_get(user=user, pk=h.pk), as_of) for h in archived]
    assert report["incomplete"] == 0
    assert report["areas"][0]["households"] == 4
    expected_cash = sum((Decimal(str(a["total_cash"])) for a in own), Decimal(0))
    assert expected_cash > 0
    assert report["total_cash"] == expected_cash
    amounts: dict[str, Decimal] = {}
    for answer in own:
        for b in answer["benefits"]:
            if b["amount"] is not None:
                amounts[b["code"]] = amounts.get(b["code"], Decimal(0)) + Decimal(str(b["amount"]))
    assert {b["code"]: b["amount"] for b in report["benefits"] if b["amount"] or b["code"] in amounts} == amounts
    nanjing = next(a for a in report["areas"] if a["union"] == orgs["nanjing"])
    assert nanjing["households"] == 3
    assert sum((a["cash"] for a in report["areas"][1:]), Decimal(0)) == report["total_cash"]
