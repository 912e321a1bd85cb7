"""The programme pages: Chinese, area-bound, steps through services; list pages at a fixed number of queries."""

from __future__ import annotations

import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from programme_helpers import lines_of, luhn_card, return_csv

from bangfu.programmes.models import Line, LineState


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


def test_round_page_costs_the_same_however_many_lines(login, staff, prepared, make_household, archive, with_payee,
                                                      warmth, orgs, today):
    from bangfu.programmes import services

    client = login(staff["caseworker_xuanwu"])
    url = f"/rounds/{prepared.pk}/"
    few = count_queries(client, url)
    for _ in range(4):
        with_payee(archive(make_household()))
    services.round_prepare(actor=staff["caseworker_xuanwu"], round_=prepared, version=prepared.version)
    assert Line.objects.filter(round=prepared, included=True).count() == 7
    assert count_queries(client, url) == few
    assert count_queries(client, url + "?tab=excluded") == few


def test_programme_pages_cost_a_fixed_number_of_queries(login, staff, prepared, warmth, orgs, today):
    from bangfu.programmes import services

    client = login(staff["caseworker_xuanwu"])
    one = count_queries(client, f"/programmes/{warmth.pk}/")
    listing = count_queries(client, "/programmes/")
    services.round_create(actor=staff["caseworker_xuanwu"], programme=warmth, union=orgs["xuanwu"], paid_on=today)
    assert count_queries(client, f"/programmes/{warmth.pk}/") == one
    assert count_queries(client, "/programmes/") <= listing + 1


def test_the_round_page_in_chinese_with_masked_accounts(login, staff, prepared, area):
    client = login(staff["caseworker_xuanwu"])
    page = client.get(f"/rounds/{prepared.pk}/").content.decode()
    assert "提交审核" in page and "困难职工家庭送温暖慰问金" in page
    assert area["a"].payee.account_number not in page and area["a"].payee.account_number[-4:] in page
    excluded = client.get(f"/rounds/{prepared.pk}/?tab=excluded").content.decode()
    assert "未登记领款人及银行账户" in excluded and "尚未建档" in excluded


def test_another_area_gets_404_and_the_file_shows_the_rounds(login, staff, prepared, area):
    assert login(staff["caseworker_g4"]).get(f"/rounds/{prepared.pk}/").status_code == 404
    page = login(staff["caseworker_g1"]).get(f"/households/{area['a'].pk}/").content.decode()
    assert f'data-testid="file-round-{prepared.pk}"' in page


def test_steps_through_the_pages(login, staff, prepared, area):
    client = login(staff["caseworker_xuanwu"])
    line = lines_of(prepared)[area["a"].pk]
    r = client.post(f"/lines/{line.pk}/adjust/", {"version": line.version, "amount": "550", "reason": ""})
    line.refresh_from_db()
    assert r.status_code == 302 and line.amount == 500
    client.post(f"/lines/{line.pk}/adjust/", {"version": line.version, "amount": "550", "reason": "酌情增发"})
    line.refresh_from_db()
    assert line.amount == 550
    client.post(f"/rounds/{prepared.pk}/submit/", {"version": prepared.version})
    prepared.refresh_from_db()
    assert prepared.state == "submitted"
    home = login(staff["reviewer_xuanwu"]).get("/").content.decode()
    assert f'data-testid="home-round-{prepared.pk}"' in home
    client = login(staff["reviewer_xuanwu"])
    client.post(f"/rounds/{prepared.pk}/approve/", {"version": prepared.version})
    prepared.refresh_from_db()
    assert prepared.state == "approved"
    client = login(staff["caseworker_xuanwu"])
    download = client.get(f"/rounds/{prepared.pk}/bank-file.xlsx")
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxml")
    f = io.BytesIO(return_csv(prepared, {area["b"].pk: "户名不符"}))
    f.name = "back.csv"
    client.post(f"/rounds/{prepared.pk}/reconcile/", {"file": f})
    assert Line.objects.filter(round=prepared, state=LineState.PAID).count() == 2
    report = client.get(f"/rounds/{prepared.pk}/report.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(report.content))
    text = "".join(str(c) for row in book["明细"].iter_rows(values_only=True) for c in row if c)
    assert area["a"].payee.account_number not in text and "户名不符" in text


def test_payee_page_sets_masks_and_reveals_with_a_log(login, staff, area):
    from bangfu.audit.models import AuditEntry

    household = area["no_account"]
    client = login(staff["caseworker_g1"])
    worker = household.members.get(relation="self")
    bad = client.post(f"/households/{household.pk}/payee/", {"member": worker.pk, "bank_name": "农业银行",
                                                             "account_kind": "card", "account_number": "123"})
    assert bad.status_code == 422 and "银行卡号应为16到19位数字" in bad.content.decode()
    card = luhn_card(424242)
    ok = client.post(f"/households/{household.pk}/payee/", {"member": worker.pk, "bank_name": "农业银行",
                                                            "account_kind": "card", "account_number": card})
    assert ok.status_code == 302
    page = client.get(f"/households/{household.pk}/payee/").content.decode()
    assert card not in page and card[-4:] in page
    shown = client.post(f"/households/{household.pk}/payee/", {"reveal": "1"}).content.decode()
    assert card in shown and AuditEntry.objects.filter(action="payee.reveal_account").exists()


def test_the_waiting_rounds_are_listed_whole_at_a_fixed_number_of_queries(login, staff, prepared, warmth, orgs, today):
    """The start page and the programmes page read only the listed columns of the waiting rounds (`LISTED`): what
    they show is all there, and another round costs no query (no deferred column read per row)."""
    from bangfu.programmes import services

    client = login(staff["caseworker_xuanwu"])
    row = f"{warmth.name}第{prepared.number}批 · {prepared.title}"
    client.get("/")  # the area's figures into the cache: the counts below are those of every later view
    home, listing = count_queries(client, "/"), count_queries(client, "/programmes/")
    for page in ("/", "/programmes/"):
        shown = client.get(page).content.decode()
        assert row in shown.replace(" 第", "第") and prepared.get_state_display() in shown
    services.round_create(actor=staff["caseworker_xuanwu"], programme=warmth, union=orgs["xuanwu"], paid_on=today)
    assert client.get("/").content.decode().count('data-testid="home-round-') == 2
    assert count_queries(client, "/") == home
    assert count_queries(client, "/programmes/") <= listing + 1  # the programme's own rounds count (as before)
