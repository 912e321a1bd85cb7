"""Case, plan and measure endpoints: one good and one bad request each, with the same access rules."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.test import Client

from bangfu.common import clock

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def client_for(users):
    def make(who) -> Client:
        client = Client()
        client.force_login(users[who] if isinstance(who, str) else who)
        return client

    return make


def send(client, url, body=None, method="post"):
    return getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json()


def test_the_workflow_through_the_api(client_for, make_household, users, today):
    cw, rv = client_for("caseworker_g1"), client_for("reviewer_xuanwu")
    household = make_household()
    with time_machine.travel(clock.now() - 8 * DAY, tick=True):  # applied, checked and noticed 8 days ago
        then = clock.today()
        case = ok(send(cw, "/api/v1/cases", {"household_id": household.pk}), 201)
        base = f"/api/v1/cases/{case['id']}"
        assert case["state"] == "draft" and case["allowed_moves"] == ["submit"]
        case = ok(send(cw, f"{base}/submit", {"version": case["version"], "reason": "材料齐全"}))
        case = ok(send(cw, f"{base}/start-verification", {"version": case["version"]}))
        case = ok(send(cw, f"{base}/visit", {"version": case["version"], "visited_on": str(then),
                                             "notes": "入户核查", "authorisation_signed_on": str(then)}))
        past = send(cw, f"{base}/start-notice", {"version": case["version"], "start": str(then - DAY),
                                                 "end": str(then + 6 * DAY)})
        assert past.status_code == 422 and past.json()["field"] == "start"
        assert "不能早于申请提交日期" in past.json()["detail"]
        case = ok(send(cw, f"{base}/start-notice", {"version": case["version"], "start": str(then),
                                                    "end": str(then + 6 * DAY)}))
        early = send(rv, f"{base}/archive", {"version": case["version"], "category": "hardship"})
        assert early.status_code == 422 and "公示期满后方可审批建档" in early.json()["detail"]
    case = ok(send(rv, f"{base}/archive", {"version": case["version"], "category": "hardship"}))
    assert case["state"] == "archived" and case["approved_by"] == "reviewer_xuanwu"
    case = ok(send(cw, f"{base}/start-help", {"version": case["version"]}))
    case = ok(send(cw, f"{base}/start-review", {"version": case["version"]}))
    case = ok(send(cw, f"{base}/complete-review", {"version": case["version"], "reason": "继续帮扶"}))
    case = ok(send(cw, f"{base}/start-review", {"version": case["version"]}))
    case = ok(send(rv, f"{base}/exit", {"version": case["version"], "reason": "已稳定就业"}))
    assert case["state"] == "exited" and [e["action"] for e in case["events"]][-1] == "exit"
    assert ok(cw.get(base))["state"] == "exited"
    listed = ok(cw.get("/api/v1/cases", {"household_id": household.pk}))
    assert [c["id"] for c in listed["items"]] == [case["id"]] and listed["total"] == 1 and listed["pages"] == 1
    suggestion = ok(cw.get(f"{base}/exit-suggestion"))
    assert suggestion["months_required"] == 6 and len(suggestion["months"]) == 6
    due = ok(cw.get("/api/v1/cases/followups/due", {"as_of": str(today + 400 * DAY)}))
    assert due["total"] == 2
    one = ok(cw.get("/api/v1/cases/followups/due", {"as_of": str(today + 400 * DAY), "per_page": 1, "page": 2}))
    assert len(one["items"]) == 1 and one["pages"] == 2 and one["items"][0]["id"] == due["items"][1]["id"]
    due = due["items"]
    recorded = ok(send(cw, f"/api/v1/cases/followups/{due[0]['id']}", {"notes": "情况稳定"}))
    assert recorded["done_on"] == str(today)
    assert ok(cw.get("/api/v1/cases/targets"))["figures"]["exited_by_work"] == 1


def test_relieve_and_refuse_through_the_api(client_for, make_household, build, drive, users):
    from bangfu.cases import services

    cw, rv = client_for("caseworker_g1"), client_for("reviewer_xuanwu")
    case = drive(services.case_open(actor=users["caseworker_g1"], household=make_household()), "review")
    body = ok(send(rv, f"/api/v1/cases/{case.pk}/relieve", {"version": case.version, "reason": "纳入低保"}))
    assert body["state"] == "relieved"
    other = drive(services.case_open(actor=users["caseworker_g1"],
                                     household=make_household(members=[build.member("self")])), "submitted")
    body = ok(send(rv, f"/api/v1/cases/{other.pk}/refuse", {"version": other.version, "reason": "收入超标"}))
    assert body["state"] == "refused" and body["close_reason"] == "收入超标"
    assert ok(cw.get("/api/v1/cases", {"state": "refused"}))["items"][0]["id"] == other.pk


@pytest.mark.parametrize("who, path, body, status, detail", [
    ("caseworker_g1", "submit", {"version": 99}, 409, "他人修改"),
    ("caseworker_g1", "start-verification", {"version": 1}, 422, "不能开始核查"),
    ("caseworker_g1", "visit", {"version": 1, "notes": "x"}, 422, None),  # visited_on missing
    ("caseworker_g1", "start-notice", {"version": 1, "start": "2025-01-01"}, 422, None),
    ("caseworker_g1", "archive", {"version": 1, "category": "hardship"}, 403, "审核人"),
    ("reviewer_xuanwu", "refuse", {"version": 1}, 422, None),  # reason missing
    ("caseworker_g1", "start-help", {"version": 1}, 422, "不能开始帮扶"),
    ("caseworker_g1", "start-review", {"version": 1}, 422, "不能开始复核"),
    ("caseworker_g1", "complete-review", {"version": 1, "reason": "x"}, 422, "不能完成复核"),
    ("reviewer_xuanwu", "exit", {"version": 1, "reason": "x"}, 422, "不能脱困退出"),
    ("reviewer_xuanwu", "relieve", {"version": 1, "reason": "x"}, 422, "不能解困"),
    ("caseworker_g2", "submit", {"version": 1}, 404, "未找到"),
])
def test_bad_moves_are_refused_with_a_clear_message(client_for, case, who, path, body, status, detail):
    response = send(client_for(who), f"/api/v1/cases/{case.pk}/{path}", body)
    assert response.status_code == status, response.content.decode()
    if detail:
        assert detail in response.json()["detail"]


def test_bad_reads_and_opens(client_for, case, make_household, users, orgs, client):
    cw4 = client_for("caseworker_g4")
    assert client.get("/api/v1/cases").status_code == 401
    assert client_for("caseworker_g1").get("/api/v1/cases", {"household_id": "x"}).status_code == 422
    assert cw4.get(f"/api/v1/cases/{case.pk}").status_code == 404
    assert cw4.get(f"/api/v1/cases/{case.pk}/exit-suggestion").status_code == 404
    assert send(cw4, "/api/v1/cases", {"household_id": case.household_id}).status_code == 404
    assert send(client_for("caseworker_g1"), "/api/v1/cases", {"household_id": case.household_id}).status_code == 409
    assert cw4.get("/api/v1/cases/reviews/due", {"as_of": "yesterday"}).status_code == 422
    assert cw4.get("/api/v1/cases/followups/due", {"as_of": "2025-13-01"}).status_code == 422
    assert send(cw4, "/api/v1/cases/followups/999999", {"notes": "x"}).status_code == 404
    assert cw4.get("/api/v1/cases/targets", {"union_id": orgs["g1"].pk}).status_code == 404


def test_reviews_due_through_the_api(client_for, archived_case):
    due = archived_case.next_review_on
    body = ok(client_for("caseworker_g1").get("/api/v1/cases/reviews/due", {"as_of": str(due)}))
    assert [c["id"] for c in body["items"]] == [archived_case.pk] and body["total"] == 1


def test_plans_and_measures_through_the_api(client_for, archived_case, users, today):
    cw = client_for("caseworker_g1")
    base = f"/api/v1/cases/{archived_case.pk}/plans"
    plan = ok(send(cw, base, {"year": today.year, "needs": "就业"}), 201)
    assert ok(cw.get(base))[0]["id"] == plan["id"]
    url = f"/api/v1/cases/plans/{plan['id']}"
    plan = ok(send(cw, url, {"version": plan["version"], "goals": "年内就业"}, "patch"))
    assert plan["goals"] == "年内就业" and ok(cw.get(url))["needs"] == "就业"
    child = archived_case.household.members.get(relation="child")
    measure = ok(send(cw, f"{url}/measures/from-entitlement", {
        "code": "education.compulsory_living_subsidy", "member": f"m{child.pk}",
        "owner_id": users["caseworker_g1"].pk, "due_on": str(today)}), 201)
    # 1250 since 2024-05-07: the raised national base standard for a primary pupil (issue 9)
    assert measure["article"] == 14 and measure["amount"] == 1250 and measure["department_label"] == "教育"
    own = ok(send(cw, f"{url}/measures", {"kind": "job_referral", "title": "推荐公益性岗位",
                                         "owner_id": users["caseworker_g1"].pk, "due_on": str(today),
                                         "department": "human_resources"}), 201)
    own = ok(send(cw, f"/api/v1/cases/measures/{own['id']}", {"version": own["version"], "status": "in_progress"},
                  "patch"))
    assert own["status"] == "in_progress" and ok(cw.get(f"/api/v1/cases/measures/{own['id']}"))["version"] == 2
    mismatches = ok(cw.get(f"{url}/mismatches"))
    assert not mismatches["gone"] and "education.compulsory_living_subsidy" not in {
        m["code"] for m in mismatches["missing"]}


def test_bad_plan_and_measure_requests(client_for, archived_case, make_household, build, users, today):
    from bangfu.cases import services

    cw, cw4 = client_for("caseworker_g1"), client_for("caseworker_g4")
    draft = services.case_open(actor=users["caseworker_g1"], household=make_household(members=[build.member()]))
    assert send(cw, f"/api/v1/cases/{draft.pk}/plans", {"year": today.year}).status_code == 422  # not archived
    assert cw4.get(f"/api/v1/cases/{archived_case.pk}/plans").status_code == 404
    plan = ok(send(cw, f"/api/v1/cases/{archived_case.pk}/plans", {"year": today.year}), 201)
    url = f"/api/v1/cases/plans/{plan['id']}"
    assert cw4.get(url).status_code == 404
    assert send(cw, url, {"version": 7, "needs": "x"}, "patch").status_code == 409
    assert cw4.get(f"{url}/mismatches").status_code == 404
    assert send(cw, f"{url}/measures", {"kind": "visit", "title": "走访", "owner_id": users["caseworker_g4"].pk,
                                        "due_on": str(today)}).status_code == 422
    assert send(cw, f"{url}/measures/from-entitlement", {"code": "no.such", "owner_id": users["caseworker_g1"].pk,
                                                         "due_on": str(today)}).status_code == 422
    measure = ok(send(cw, f"{url}/measures", {"kind": "visit", "title": "走访", "owner_id": users["caseworker_g1"].pk,
                                              "due_on": str(today)}), 201)
    assert cw4.get(f"/api/v1/cases/measures/{measure['id']}").status_code == 404
    assert send(cw, f"/api/v1/cases/measures/{measure['id']}", {"version": 1, "status": "lost"},
                "patch").status_code == 422


@pytest.fixture
def plan_url(client_for, archived_case, today):
    plan = ok(send(client_for("caseworker_g1"), f"/api/v1/cases/{archived_case.pk}/plans", {"year": today.year}), 201)
    return f"/api/v1/cases/plans/{plan['id']}"


def _measure(cw, plan_url, users, today, **body):
    return send(cw, f"{plan_url}/measures", {"kind": "visit", "title": "走访", "owner_id": users["caseworker_g1"].pk,
                                             "due_on": str(today), **body})


def test_measure_amount_beyond_its_column_is_a_named_422(client_for, plan_url, users, today):
    cw = client_for("caseworker_g1")
    measure = ok(_measure(cw, plan_url, users, today, amount="9999999999.99"), 201)
    bad = _measure(cw, plan_url, users, today, amount="1e10")
    assert bad.status_code == 422 and bad.json()["field"] == "amount"
    bad = send(cw, f"/api/v1/cases/measures/{measure['id']}", {"version": 1, "amount": "1e30"}, "patch")
    assert bad.status_code == 422 and bad.json()["field"] == "amount"


def test_measure_title_beyond_its_column_is_a_named_422(client_for, plan_url, users, today):
    cw = client_for("caseworker_g1")
    measure = ok(_measure(cw, plan_url, users, today, title="措" * 200), 201)
    bad = _measure(cw, plan_url, users, today, title="措" * 201)
    assert bad.status_code == 422 and bad.json()["field"] == "title"
    bad = send(cw, f"/api/v1/cases/measures/{measure['id']}", {"version": 1, "title": "措" * 201}, "patch")
    assert bad.status_code == 422 and bad.json()["field"] == "title"


def test_measure_update_refuses_null_title_and_notes(client_for, plan_url, users, today):
    cw = client_for("caseworker_g1")
    measure = ok(_measure(cw, plan_url, users, today), 201)
    url = f"/api/v1/cases/measures/{measure['id']}"
    for field in ("title", "notes"):
        bad = send(cw, url, {"version": 1, field: None}, "patch")
        assert bad.status_code == 422 and bad.json()["field"] == field
    good = ok(send(cw, url, {"version": 1, "title": "再次走访", "notes": ""}, "patch"))
    assert good["title"] == "再次走访" and good["version"] == 2


def test_measure_article_is_one_of_the_notices_29(client_for, plan_url, users, today):
    cw = client_for("caseworker_g1")
    assert ok(_measure(cw, plan_url, users, today, article=29), 201)["article"] == 29
    for article in (2**40, 0, 30, -1):
        bad = _measure(cw, plan_url, users, today, article=article)
        assert bad.status_code == 422 and bad.json()["field"] == "article", article


def test_mismatches_and_targets_refuse_an_as_of_outside_the_engines_dates(client_for, plan_url, today):
    cw = client_for("caseworker_g1")
    assert cw.get(f"{plan_url}/mismatches", {"as_of": str(today)}).status_code == 200
    assert cw.get("/api/v1/cases/targets", {"as_of": str(today)}).status_code == 200
    for url in (f"{plan_url}/mismatches", "/api/v1/cases/targets"):
        bad = cw.get(url, {"as_of": "0001-01-01"})
        assert bad.status_code == 422 and bad.json()["field"] == "as_of", url
