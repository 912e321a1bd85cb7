"""Ledger endpoints: one good and one bad request each, with the same access rules."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db
URL = "/api/v1/ledger"


@pytest.fixture
def client_for(users):
    def make(who) -> Client:
        client = Client()
        client.force_login(users[who])
        return client

    return make


def send(client, url, body=None, method="post"):
    return getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json()


def test_pay_approve_reverse_and_read_back(client_for, household, today, orgs):
    cw, rv = client_for("caseworker_g1"), client_for("reviewer_xuanwu")
    request = ok(send(cw, f"{URL}/requests", {"household_id": household.pk, "amount": "88.80", "fund_source": "fiscal",
                                              "paid_on": str(today), "description": "生活补助"}), 201)
    assert request["status"] == "pending" and request["amount"] == 88.8
    assert [r["id"] for r in ok(rv.get(f"{URL}/requests", {"status": "pending"}))["items"]] == [request["id"]]
    approved = ok(send(rv, f"{URL}/requests/{request['id']}/approve"))
    entry = approved["entry"]
    assert entry["recorded_by"] == "caseworker_g1" and entry["approved_by"] == "reviewer_xuanwu"
    assert ok(cw.get(f"{URL}/entries/{entry['id']}"))["amount"] == 88.8
    reversal = ok(send(cw, f"{URL}/entries/{entry['id']}/reversal", {"reason": "重复发放"}), 201)
    assert reversal["amount"] == -88.8 and reversal["reverses_id"] == entry["id"]
    ok(send(rv, f"{URL}/requests/{reversal['id']}/approve"))
    entries = ok(cw.get(f"{URL}/entries", {"household_id": household.pk}))["items"]
    assert [e["amount"] for e in entries] == [88.8, -88.8] and entries[0]["reversed"] is True
    assert ok(cw.get(f"{URL}/totals", {"group_by": "fund_source"}))["total"] == 0
    unions = ok(cw.get(f"{URL}/totals/unions"))
    assert unions[0]["union"] == "玄武某企业工会" and unions[0]["count"] == 2


def test_reject_through_the_api(client_for, household, today):
    cw, rv = client_for("caseworker_g1"), client_for("reviewer_xuanwu")
    request = ok(send(cw, f"{URL}/requests", {"household_id": household.pk, "amount": 10, "fund_source": "charity",
                                              "paid_on": str(today), "description": "慰问"}), 201)
    assert send(rv, f"{URL}/requests/{request['id']}/reject", {"reason": " "}).status_code == 422
    assert ok(send(rv, f"{URL}/requests/{request['id']}/reject", {"reason": "无签收单"}))["status"] == "rejected"


def test_budgets_through_the_api(client_for, household, orgs, today):
    admin = client_for("admin_nanjing")
    budget = ok(send(admin, f"{URL}/budgets", {"union_id": orgs["xuanwu"].pk, "fund_source": "union_funds",
                                               "year": today.year, "amount": "5000"}, "put"))
    assert budget["amount"] == 5000 and budget["remaining"] == 5000
    assert [b["id"] for b in ok(admin.get(f"{URL}/budgets", {"year": today.year}))] == [budget["id"]]
    request = ok(send(client_for("caseworker_g1"), f"{URL}/requests", {
        "household_id": household.pk, "amount": "6000", "fund_source": "union_funds", "paid_on": str(today),
        "description": "大病救助"}), 201)
    assert request["warnings"] == [], "the county's budget is not shown to a grassroots caseworker"
    approved = ok(send(client_for("reviewer_xuanwu"), f"{URL}/requests/{request['id']}/approve"))
    assert "超出预算" in approved["warnings"][0]


def test_export_through_the_api(client_for, household, pay):
    pay(household, "66.00")
    response = client_for("caseworker_g1").get(f"{URL}/export.xlsx")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[-1][0] == "合计" and rows[-1][6] == 66


def test_bad_ledger_requests(client_for, household, pay, orgs, today, client):
    cw, cw4, rv = client_for("caseworker_g1"), client_for("caseworker_g4"), client_for("reviewer_xuanwu")
    entry = pay(household, "10.00")
    assert client.get(f"{URL}/entries").status_code == 401
    assert cw.get(f"{URL}/entries", {"year": "last"}).status_code == 422
    assert cw4.get(f"{URL}/entries/{entry.pk}").status_code == 404
    body = {"household_id": household.pk, "amount": "-1", "fund_source": "fiscal", "paid_on": str(today),
            "description": "x"}
    assert send(cw, f"{URL}/requests", body).status_code == 422
    assert send(cw4, f"{URL}/requests", {**body, "amount": "1"}).status_code == 404
    assert send(cw, f"{URL}/entries/{entry.pk}/reversal", {}).status_code == 422
    assert cw4.get(f"{URL}/requests").json()["items"] == [] and client.get(f"{URL}/requests").status_code == 401
    assert client_for("officer").get(f"{URL}/requests").json()["total"] == 0
    request = ok(send(cw, f"{URL}/requests", {**body, "amount": "1"}), 201)
    assert send(cw, f"{URL}/requests/{request['id']}/approve").status_code == 403
    assert send(rv, f"{URL}/requests/{request['id']}/reject", {}).status_code == 422
    assert cw.get(f"{URL}/totals", {"group_by": "colour"}).status_code == 422
    assert cw.get(f"{URL}/totals/unions", {"union_id": orgs["g4"].pk}).status_code == 404
    assert cw4.get(f"{URL}/budgets", {"year": "x"}).status_code == 422
    assert send(cw, f"{URL}/budgets", {"union_id": orgs["g1"].pk, "fund_source": "fiscal", "year": today.year,
                                       "amount": "1"}, "put").status_code == 403
    assert client_for("auditor_province").get(f"{URL}/export.xlsx").status_code == 403


def test_budget_year_out_of_range_is_a_named_422(client_for, orgs, today):
    admin = client_for("admin_nanjing")
    body = {"union_id": orgs["xuanwu"].pk, "fund_source": "fiscal", "year": today.year, "amount": "100"}
    assert send(admin, f"{URL}/budgets", body, "put").status_code == 200
    bad = send(admin, f"{URL}/budgets", {**body, "year": -5}, "put")
    assert bad.status_code == 422 and bad.json()["field"] == "year"
    bad = send(admin, f"{URL}/budgets", {**body, "amount": "1e20"}, "put")
    assert bad.status_code == 422 and bad.json()["field"] == "amount"


def test_amount_and_description_beyond_their_columns_are_a_named_422(client_for, household, today):
    cw = client_for("caseworker_g1")
    body = {"household_id": household.pk, "amount": "999999999999.99", "fund_source": "fiscal",
            "paid_on": str(today), "description": "事" * 200}
    assert send(cw, f"{URL}/requests", body).status_code == 201
    bad = send(cw, f"{URL}/requests", {**body, "amount": "1e12"})
    assert bad.status_code == 422 and bad.json()["field"] == "amount"
    bad = send(cw, f"{URL}/requests", {**body, "description": "事" * 201})
    assert bad.status_code == 422 and bad.json()["field"] == "description"
