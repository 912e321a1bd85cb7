"""Ledger pages: record a payment, the second person's approval, reversal, totals, budgets, export, access."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bangfu.common import clock
from bangfu.ledger import services
from bangfu.ledger.models import LedgerEntry, LedgerRequest

pytestmark = pytest.mark.django_db
TODAY = clock.today()


@pytest.fixture
def archived(household, drive):
    drive(household, "archived")
    household.refresh_from_db()
    return household


def pay(client, household, **extra):
    data = {"kind": "cash", "amount": "500.00", "goods_description": "", "paid_on": TODAY.isoformat(),
            "fund_source": "union_funds", "description": "春节送温暖", "measure": "", **extra}
    return client.post(reverse("web:household_ledger", args=[household.pk]), data)


@pytest.fixture
def entry(archived, users):
    request, _ = services.ledger_request_payment(actor=users["caseworker_g1"], household=archived, amount="300.10",
                                                 fund_source="fiscal", paid_on=TODAY, description="助学金")
    return services.ledger_approve(actor=users["reviewer_xuanwu"], ledger_request=request)[0]


def test_caseworker_records_a_payment_and_the_reviewer_approves_it(login, users, archived):
    cw = login(users["caseworker_g1"])
    assert pay(cw, archived).status_code == 302
    request = LedgerRequest.objects.get()
    page = cw.get(reverse("web:household_ledger", args=[archived.pk])).content.decode()
    assert "待审核的登记" in page and reverse("web:ledger_approve", args=[request.pk]) not in page
    refused = cw.post(reverse("web:ledger_approve", args=[request.pk]), follow=True)
    assert "审批须由县(市、区)总工会的审核人办理" in refused.content.decode() and not LedgerEntry.objects.exists()
    rv = login(users["reviewer_xuanwu"])
    assert reverse("web:ledger_approve", args=[request.pk]) in rv.get(
        reverse("web:household_ledger", args=[archived.pk])).content.decode()
    body = rv.post(reverse("web:ledger_approve", args=[request.pk]), {"reason": "同意"}, follow=True).content.decode()
    assert "已审核入账" in body and 'data-testid="ledger-total">500.00 元' in body
    assert LedgerEntry.objects.get().approved_by == users["reviewer_xuanwu"]


def test_a_bad_payment_shows_the_field_errors(login, users, archived):
    cw = login(users["caseworker_g1"])
    response = pay(cw, archived, kind="goods", goods_description="")
    assert response.status_code == 422 and "实物发放须填写实物名称及数量" in response.content.decode()
    assert pay(cw, archived, amount="-1").status_code == 422
    assert not LedgerRequest.objects.exists()


def test_payment_against_a_measure_and_to_an_unarchived_household(login, users, archived, household, make_household):
    from bangfu.cases import services as case_services
    from bangfu.cases.selectors import case_current

    case = case_current(user=users["caseworker_g1"], household_id=archived.pk)
    plan = case_services.plan_create(actor=users["caseworker_g1"], case=case, year=TODAY.year)
    measure = case_services.measure_create(actor=users["caseworker_g1"], plan=plan, kind="donation", title="助学捐赠",
                                           owner=users["caseworker_g1"], due_on=TODAY)
    cw = login(users["caseworker_g1"])
    assert f'value="{measure.pk}" selected' in cw.get(reverse("web:household_ledger", args=[archived.pk]),
                                                     {"measure": measure.pk}).content.decode()
    assert pay(cw, archived, measure=measure.pk).status_code == 302
    assert LedgerRequest.objects.get().measure == measure
    draft = make_household("g1")
    assert pay(cw, draft).status_code == 403


def test_reversal_is_requested_and_approved_by_another(login, users, entry, archived):
    cw = login(users["caseworker_g1"])
    assert cw.post(reverse("web:ledger_reverse", args=[entry.pk]), {"reason": ""}, follow=True).status_code == 200
    assert not LedgerRequest.objects.filter(reverses=entry).exists()
    cw.post(reverse("web:ledger_reverse", args=[entry.pk]), {"reason": "金额有误"})
    reversal = LedgerRequest.objects.get(reverses=entry)
    assert "冲正待审核" in cw.get(reverse("web:household_ledger", args=[archived.pk])).content.decode()
    rv = login(users["reviewer_xuanwu"])
    rv.post(reverse("web:ledger_approve", args=[reversal.pk]), {"back": "queue"})
    body = rv.get(reverse("web:household_ledger", args=[archived.pk])).content.decode()
    assert "已冲正" in body and 'data-testid="ledger-total">0.00 元' in body


def test_reject_needs_a_reason(login, users, archived):
    pay(login(users["caseworker_g1"]), archived)
    request = LedgerRequest.objects.get()
    rv = login(users["reviewer_xuanwu"])
    assert "须填写退回原因" in rv.post(reverse("web:ledger_reject", args=[request.pk]), {"reason": ""},
                                       follow=True).content.decode()
    rv.post(reverse("web:ledger_reject", args=[request.pk]), {"reason": "票据不全", "back": "queue"})
    request.refresh_from_db()
    assert request.status == "rejected"


def test_union_ledger_totals_budgets_and_the_over_budget_warning(login, users, orgs, entry):
    services.budget_set(actor=users["admin_nanjing"], union=orgs["xuanwu"], fund_source="fiscal", year=TODAY.year,
                        amount="100.00")
    body = login(users["reviewer_xuanwu"]).get(reverse("web:union_ledger")).content.decode()
    assert 'data-testid="union-total">300.10 元' in body and "财政资金" in body
    assert 'data-testid="over-budget"' in body and "200.10 元" in body
    nanjing = login(users["admin_nanjing"]).get(reverse("web:union_ledger"), {"union": orgs["xuanwu"].pk,
                                                                              "year": TODAY.year})
    assert "设置预算" in nanjing.content.decode()
    wuxi = login(users["auditor_wuxi"]).get(reverse("web:union_ledger")).content.decode()
    assert 'data-testid="union-total">0.00 元' in wuxi


def test_admin_sets_a_budget_and_others_may_not(login, users, orgs):
    data = {"union": orgs["xuanwu"].pk, "fund_source": "charity", "year": TODAY.year, "amount": "5000"}
    response = login(users["admin_nanjing"]).post(reverse("web:budget_set"), data, follow=True)
    assert "已设置南京市玄武区总工会" in response.content.decode()
    assert login(users["reviewer_xuanwu"]).post(reverse("web:budget_set"), data).status_code == 403
    bad = login(users["admin_nanjing"]).post(reverse("web:budget_set"), {**data, "amount": "x"}, follow=True)
    assert "预算信息填写有误" in bad.content.decode()


def test_export_in_the_finance_layout(login, users, entry):
    response = login(users["reviewer_xuanwu"]).get(reverse("web:ledger_export"), {"year": TODAY.year})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "困难职工帮扶资金(物资)发放台账" and rows[2][0] == "序号"
    assert rows[-1][0] == "合计" and Decimal(str(rows[-1][6])) == Decimal("300.10")
    assert login(users["auditor_province"]).get(reverse("web:ledger_export")).status_code == 403


def test_ledger_pages_by_role_and_area(login, users, archived, entry):
    other = login(users["caseworker_g4"])
    assert other.get(reverse("web:household_ledger", args=[archived.pk])).status_code == 404
    assert other.post(reverse("web:ledger_reverse", args=[entry.pk]), {"reason": "x"}).status_code == 404
    officer = login(users["officer"])
    for name in ("union_ledger", "ledger_requests", "targets"):
        assert officer.get(reverse(f"web:{name}")).status_code == 403
    auditor = login(users["auditor_province"])
    page = auditor.get(reverse("web:household_ledger", args=[archived.pk])).content.decode()
    assert "助学金" in page and 'name="fund_source"' not in page
    assert auditor.post(reverse("web:ledger_reverse", args=[entry.pk]), {"reason": "x"}).status_code == 403


def test_request_queue_lists_pending_and_its_query_count_is_pinned(login, users, archived, make_household, drive,
                                                                  django_assert_max_num_queries):
    for i in range(3):
        services.ledger_request_payment(actor=users["caseworker_g1"], household=archived, amount=f"{10 + i}",
                                        fund_source="charity", paid_on=TODAY, description=f"慰问{i}")
    rv = login(users["reviewer_xuanwu"])
    with django_assert_max_num_queries(5):
        body = rv.get(reverse("web:ledger_requests")).content.decode()
    assert body.count('data-testid="request-') == 3
    for i in range(5):
        services.ledger_request_payment(actor=users["caseworker_g1"], household=archived, amount="1",
                                        fund_source="charity", paid_on=TODAY, description=f"再慰问{i}")
    with django_assert_max_num_queries(5):
        assert rv.get(reverse("web:ledger_requests")).content.decode().count('data-testid="request-') == 8


def test_household_and_union_ledger_query_counts_do_not_grow(login, users, archived, django_assert_max_num_queries):
    def add(n):
        for i in range(n):
            request, _ = services.ledger_request_payment(actor=users["caseworker_g1"], household=archived,
                                                         amount="10", fund_source="fiscal", paid_on=TODAY,
                                                         description=f"补助{i}")
            services.ledger_approve(actor=users["reviewer_xuanwu"], ledger_request=request)

    add(2)
    client = login(users["caseworker_g1"])
    url = reverse("web:household_ledger", args=[archived.pk])
    with django_assert_max_num_queries(14) as first:
        client.get(url)
    with django_assert_max_num_queries(14) as union_first:
        client.get(reverse("web:union_ledger"))
    add(5)
    with django_assert_max_num_queries(len(first)):
        assert client.get(url).content.decode().count("补助") == 7
    with django_assert_max_num_queries(len(union_first)):
        client.get(reverse("web:union_ledger"))


def test_the_queue_names_the_worker_each_request_pays(login, users, archived):
    services.ledger_request_payment(actor=users["caseworker_g1"], household=archived, amount="50",
                                    fund_source="charity", paid_on=TODAY, description="慰问")
    body = login(users["reviewer_xuanwu"]).get(reverse("web:ledger_requests")).content.decode()
    worker = archived.members.get(relation="self").name
    assert f'data-testid="worker-name">{worker}</a>' in body


def test_the_budgets_page_answers_get_with_the_budgets_and_the_form_for_administrators(login, users, orgs):
    services.budget_set(actor=users["admin_nanjing"], union=orgs["xuanwu"], fund_source="fiscal", year=TODAY.year,
                        amount="100.00")
    admin = login(users["admin_nanjing"]).get(reverse("web:budget_set"), {"union": orgs["xuanwu"].pk})
    body = admin.content.decode()
    assert admin.status_code == 200 and "南京市玄武区总工会" in body and "100.00 元" in body and "设置预算" in body
    reviewer = login(users["reviewer_xuanwu"]).get(reverse("web:budget_set")).content.decode()
    assert "100.00 元" in reviewer and "设置预算(管理员)" not in reviewer
    assert login(users["auditor_wuxi"]).get(reverse("web:budget_set")).content.decode().count("100.00 元") == 0
