"""Totals exact to the fen, budgets that warn (or refuse by policy), and the finance office's Excel layout."""

from __future__ import annotations

import datetime
import io
import random
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from bangfu.audit.models import AuditEntry
from bangfu.common.errors import AccessDenied, ValidationFailed
from bangfu.ledger import services
from bangfu.ledger.exports import HEADERS, ledger_export
from bangfu.ledger.models import LedgerEntry
from bangfu.ledger.selectors import budget_list, ledger_totals, union_totals

pytestmark = pytest.mark.django_db


def test_totals_per_household_fund_source_year_and_union_are_exact(household, make_household, archive, users,
                                                                   pay, today, orgs):
    other = archive(make_household(union="g2", actor=users["caseworker_g2"]), caseworker=users["caseworker_g2"])
    rng = random.Random(4)
    expected: dict = {}
    last_year = today.replace(year=today.year - 1, day=1)
    for i in range(60):
        target, source = (household, other)[i % 2], ("fiscal", "union_funds", "charity")[i % 3]
        amount = Decimal(rng.randint(1, 99999)) / 100  # amounts such as 0.07 and 873.31: floats would drift
        recorder = users["caseworker_g1"] if target is household else users["caseworker_g2"]
        pay(target, amount, fund_source=source, paid_on=last_year if i % 4 == 0 else today, recorder=recorder)
        expected[(target.pk, source)] = expected.get((target.pk, source), Decimal(0)) + amount
    admin = users["admin_nanjing"]
    assert ledger_totals(user=admin)["total"] == sum(expected.values())
    by_source = {g["key"]: g["total"] for g in ledger_totals(user=admin, group_by="fund_source")["groups"]}
    assert by_source == {s: sum(v for (_, src), v in expected.items() if src == s)
                         for s in ("fiscal", "union_funds", "charity")}
    by_household = {g["key"]: g["total"] for g in ledger_totals(user=admin, group_by="household")["groups"]}
    assert by_household[household.pk] == sum(v for (h, _), v in expected.items() if h == household.pk)
    by_year = ledger_totals(user=admin, group_by="year")["groups"]
    assert [g["key"] for g in by_year] == [today.year - 1, today.year] and by_year[0]["count"] == 15
    assert sum(g["total"] for g in by_year) == sum(expected.values())
    rows = {r["union"]: r["total"] for r in union_totals(user=admin, union=orgs["xuanwu"])}
    assert rows["玄武某企业工会"] == by_household[household.pk] and rows["玄武某街道工会"] == by_household[other.pk]
    assert rows["南京市玄武区总工会"] == sum(expected.values())
    assert ledger_totals(user=users["caseworker_g1"])["total"] == by_household[household.pk], "only their area"
    assert ledger_totals(user=users["caseworker_g4"])["total"] == 0


def test_totals_per_measure_and_reversals_net_out(household, users, pay, today):
    from bangfu.cases import services as cases

    plan = cases.plan_create(actor=users["caseworker_g1"], case=household.cases.get(), year=today.year)
    measure = cases.measure_create(actor=users["caseworker_g1"], plan=plan, kind="donation", title="助学捐赠",
                                   owner=users["caseworker_g1"], due_on=today)
    kept = pay(household, "500.00", measure=measure, fund_source="charity")
    wrong = pay(household, "0.10", measure=measure, fund_source="charity")
    reversal = services.ledger_request_reversal(actor=users["caseworker_g1"], entry=wrong, reason="误录")
    services.ledger_approve(actor=users["reviewer_xuanwu"], ledger_request=reversal)
    totals = ledger_totals(user=users["caseworker_g1"], measure_id=measure.pk, group_by="measure")
    assert totals["total"] == kept.amount and totals["count"] == 3
    assert totals["groups"] == [{"key": measure.pk, "total": Decimal("500.00"), "count": 3}]
    with pytest.raises(ValidationFailed):
        ledger_totals(user=users["caseworker_g1"], group_by="colour")


def test_a_budget_warns_and_refuses_only_by_policy(household, users, orgs, today, pay):
    with pytest.raises(AccessDenied):
        services.budget_set(actor=users["reviewer_xuanwu"], union=orgs["xuanwu"], fund_source="union_funds",
                            year=today.year, amount="1000")
    services.budget_set(actor=users["admin_nanjing"], union=orgs["xuanwu"], fund_source="union_funds",
                        year=today.year, amount="1000")
    pay(household, "800.00")
    pending, warnings = services.ledger_request_payment(
        actor=users["caseworker_g1"], household=household, amount="300.00", fund_source="union_funds",
        paid_on=today, description="临时救助")
    assert warnings == [], "the county's budget is not the grassroots caseworker's to see"
    entry, warnings = services.ledger_approve(actor=users["reviewer_xuanwu"], ledger_request=pending)
    assert len(warnings) == 1 and "超出预算100.00元" in warnings[0]
    assert entry.amount == Decimal("300.00"), "over budget: warned, not refused"
    row = budget_list(user=users["admin_nanjing"], year=today.year)[0]
    assert row["spent"] == Decimal("1100.00") and row["remaining"] == Decimal("-100.00")

    services.budget_set(actor=users["admin_nanjing"], union=orgs["nanjing"], fund_source="fiscal",
                        year=today.year, amount="50", refuse_over=True)
    pending, warnings = services.ledger_request_payment(
        actor=users["caseworker_g1"], household=household, amount="60.00", fund_source="fiscal", paid_on=today,
        description="医疗救助")
    assert warnings == []
    with pytest.raises(ValidationFailed, match="南京市总工会.*不得超支"):
        services.ledger_approve(actor=users["reviewer_xuanwu"], ledger_request=pending)
    assert not LedgerEntry.objects.filter(fund_source="fiscal").exists()


def test_the_export_has_the_finance_office_layout(household, users, pay, today):
    pay(household, "1000.00", fund_source="fiscal", description="子女教育补助")
    pay(household, "250.25", fund_source="charity", kind="goods", goods_description="棉被两床")
    content = ledger_export(user=users["caseworker_g1"], year=today.year)
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "困难职工帮扶资金(物资)发放台账" and list(rows[2]) == HEADERS
    first, second, total = rows[3], rows[4], rows[5]
    worker = household.members.get(relation="self")
    assert first[0] == 1 and first[2] == worker.name and first[3] == worker.id_number[:4] + "*" * 10 + worker.id_number[-4:]
    assert first[5] == "财政资金" and first[6] == 1000 and first[7] == "caseworker_g1" and first[8] == "reviewer_xuanwu"
    assert "棉被两床" in second[4] and second[5] == "慈善/社会资金"
    assert total[0] == "合计" and total[6] == 1250.25 and sheet.cell(row=6, column=7).number_format == "#,##0.00"
    assert isinstance(first[1], datetime.datetime | datetime.date)
    assert AuditEntry.objects.filter(action="ledger.export").exists()
    with pytest.raises(AccessDenied):
        ledger_export(user=users["auditor_province"])


def test_the_requester_is_warned_only_of_budgets_in_their_own_subtree(household, users, orgs, today):
    admin, cw = users["admin_nanjing"], users["caseworker_g1"]
    for union in ("g1", "xuanwu", "nanjing"):
        services.budget_set(actor=admin, union=orgs[union], fund_source="union_funds", year=today.year, amount="10")
    pending, warnings = services.ledger_request_payment(
        actor=cw, household=household, amount="20.00", fund_source="union_funds", paid_on=today, description="救助")
    assert len(warnings) == 1 and warnings[0].startswith(orgs["g1"].name)
    assert not any(orgs["xuanwu"].name in w or orgs["nanjing"].name in w for w in warnings)
    _, seen = services.ledger_approve(actor=users["reviewer_xuanwu"], ledger_request=pending)
    assert len(seen) == 3, "the approver sees every budget the payment counts against"


def test_budget_set_refuses_a_year_or_amount_out_of_range(users, orgs, today):
    admin = users["admin_nanjing"]
    budget = services.budget_set(actor=admin, union=orgs["xuanwu"], fund_source="fiscal", year=today.year,
                                 amount="9999999999.99")
    assert budget.amount == Decimal("9999999999.99")
    for year in (-5, 0, 1999, 40000, True):
        with pytest.raises(ValidationFailed) as caught:
            services.budget_set(actor=admin, union=orgs["xuanwu"], fund_source="fiscal", year=year, amount="1")
        assert caught.value.field == "year"
    with pytest.raises(ValidationFailed, match="过大") as caught:
        services.budget_set(actor=admin, union=orgs["xuanwu"], fund_source="fiscal", year=today.year,
                            amount="1e12")
    assert caught.value.field == "amount"
