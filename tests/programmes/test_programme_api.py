"""The programme endpoints: one good and one bad request each step, the same access rules as the pages."""

from __future__ import annotations

import io

from programme_helpers import return_csv

from bangfu.programmes.models import Line

API = "/api/v1/programmes"


def test_the_whole_round_through_the_api(client, login, staff, warmth, orgs, area, today):
    login(staff["caseworker_xuanwu"])
    assert any(p["id"] == warmth.pk for p in client.get(f"{API}/").json())
    made = client.post(f"{API}/{warmth.pk}/rounds", {"union_id": orgs["xuanwu"].pk, "paid_on": today.isoformat()},
                       content_type="application/json")
    assert made.status_code == 201, made.content
    round_ = made.json()
    assert round_["report"]["included"]["count"] == 3
    lines = client.get(f"{API}/rounds/{round_['id']}/lines?included=true").json()
    assert all("*" in x["account_number"] for x in lines["items"])
    line = lines["items"][0]
    bad = client.post(f"{API}/lines/{line['id']}/adjust", {"version": line["version"], "reason": "", "amount": 1},
                      content_type="application/json")
    assert bad.status_code == 422 and bad.json()["field"] == "reason"
    ok = client.post(f"{API}/lines/{line['id']}/adjust", {"version": line["version"], "reason": "核减",
                                                          "amount": "450.00"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["amount"] == 450
    sub = client.post(f"{API}/rounds/{round_['id']}/submit", {"version": round_["version"] + 1},
                      content_type="application/json")
    assert sub.status_code == 409  # stale version
    version = client.get(f"{API}/rounds/{round_['id']}").json()["version"]
    sub = client.post(f"{API}/rounds/{round_['id']}/submit", {"version": version}, content_type="application/json")
    assert sub.status_code == 200
    self_approve = client.post(f"{API}/rounds/{round_['id']}/approve", {"version": sub.json()["version"]},
                               content_type="application/json")
    assert self_approve.status_code == 403
    login(staff["reviewer_xuanwu"])
    assert [r["id"] for r in client.get(f"{API}/rounds/waiting").json()] == [round_["id"]]
    ok = client.post(f"{API}/rounds/{round_['id']}/approve", {"version": sub.json()["version"]},
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["state"] == "approved"
    login(staff["caseworker_xuanwu"])
    assert client.get(f"{API}/rounds/{round_['id']}/bank-file?kind=pdf").status_code == 422
    assert client.get(f"{API}/rounds/{round_['id']}/bank-file?kind=csv").status_code == 200
    from bangfu.programmes.models import Round

    content = return_csv(Round.objects.get(pk=round_["id"]), {})
    up = client.post(f"{API}/rounds/{round_['id']}/reconcile", {"file": io.BytesIO(content)}, format="multipart")
    assert up.status_code == 422  # no name: neither .xlsx nor .csv
    f = io.BytesIO(content)
    f.name = "back.csv"
    up = client.post(f"{API}/rounds/{round_['id']}/reconcile", {"file": f})
    assert up.status_code == 201 and up.json()["paid"] == 3
    assert Line.objects.filter(round_id=round_["id"], state="paid").count() == 3
    assert client.get(f"{API}/rounds/{round_['id']}/report.xlsx").status_code == 200


def test_another_area_sees_no_round_and_an_auditor_changes_nothing(client, login, staff, prepared):
    login(staff["caseworker_g4"])
    assert client.get(f"{API}/rounds/{prepared.pk}").status_code == 404
    login(staff["auditor_province"])
    assert client.get(f"{API}/rounds/{prepared.pk}").status_code == 200
    r = client.post(f"{API}/rounds/{prepared.pk}/submit", {"version": prepared.version},
                    content_type="application/json")
    assert r.status_code == 403


def test_payee_api_masks_and_logs_the_reveal(client, login, staff, area):
    household = area["a"]
    login(staff["caseworker_g1"])
    got = client.get(f"{API}/households/{household.pk}/payee").json()
    assert "*" in got["payee"]["account_number"]
    bad = client.put(f"{API}/households/{household.pk}/payee", {"member_id": got["payee"]["member_id"],
                     "bank_name": "工行", "account_number": "6222020200112233447"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["field"] == "account_number"
    shown = client.post(f"{API}/households/{household.pk}/payee/reveal").json()
    assert shown["account_number"] == household.payee.account_number
    login(staff["caseworker_g4"])
    assert client.get(f"{API}/households/{household.pk}/payee").status_code == 404


def test_only_an_administrator_sets_up_a_programme(client, login, staff, orgs):
    body = {"union_id": orgs["xuanwu"].pk, "name": "春节慰问", "kind": "send_warmth", "fund_source": "union_funds",
            "budget": "5000"}
    login(staff["caseworker_xuanwu"])
    assert client.post(f"{API}/", body, content_type="application/json").status_code == 403
    login(staff["admin_nanjing"])
    bad = client.post(f"{API}/", {**body, "fund_source": "gold"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["field"] == "fund_source"
    made = client.post(f"{API}/", body, content_type="application/json")
    assert made.status_code == 201 and made.json()["budget"] == 5000
    login(staff["caseworker_xuanwu"])
    assert any(p["name"] == "春节慰问" for p in client.get(f"{API}/").json())
    login(staff["caseworker_g4"])
    assert not any(p["name"] == "春节慰问" for p in client.get(f"{API}/").json())
