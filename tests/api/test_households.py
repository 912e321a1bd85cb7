"""Household and member endpoints: one good and one bad request each."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bangfu.accounts.services import token_create
from bangfu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def send(client, method, url, body=None):
    return getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def cw(client_for):
    return client_for("caseworker_g1")


@pytest.fixture
def household(make_household):
    return make_household("g1")


def test_list_is_masked_and_paginated(cw, household):
    response = cw.get("/api/v1/households", {"per_page": 1})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1 and body["pages"] == 1
    masked = body["items"][0]["worker_id_number_masked"]
    assert masked.startswith("3201") and masked[4:14] == "*" * 10
    assert household.members.get(relation="self").id_number not in response.content.decode()


def test_list_refuses_bad_paging_and_needs_login(cw, client):
    assert cw.get("/api/v1/households", {"page": "x"}).status_code == 422
    assert client.get("/api/v1/households").status_code == 401


def test_list_by_union_outside_the_area_is_not_found(cw, orgs):
    assert cw.get("/api/v1/households", {"union_id": orgs["g4"].pk}).status_code == 404
    assert cw.get("/api/v1/households", {"union_id": orgs["g1"].pk}).status_code == 200


def test_create_with_members(cw, orgs, build):
    payload = {**build.household(), "union_id": orgs["g1"].pk,
               "members": [build.member("self"), build.member("child", born=datetime.date(2016, 1, 1),
                                                                 employment="student", school_stage="primary",
                                                                 school_year=2, school_institution="public")]}
    response = send(cw, "post", "/api/v1/households", payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["members"]) == 2 and body["members"][1]["school"]["stage"] == "primary"
    assert body["status"] == "draft" and body["archived"] is False


def test_create_refuses_bad_id_numbers_with_chinese_detail(cw, orgs, build):
    member = {**build.member("self"), "id_number": "320100199001011230"}
    payload = {**build.household(), "union_id": orgs["g1"].pk, "members": [member]}
    response = send(cw, "post", "/api/v1/households", payload)
    assert response.status_code == 422 and "身份证号码无效" in response.json()["detail"]
    assert send(cw, "post", "/api/v1/households", {**payload, "union_id": orgs["g4"].pk}).status_code == 422


def test_duplicate_person_gets_409_with_a_link_only_for_those_who_may_see(client_for, make_household, orgs, build):
    first = make_household("g1")
    worker = first.members.get(relation="self")
    payload = {**build.household(), "union_id": orgs["g2"].pk,
               "members": [{"name": worker.name, "id_number": worker.id_number, "relation": "self"}]}
    hidden = send(client_for("caseworker_g2"), "post", "/api/v1/households", payload)
    assert hidden.status_code == 409 and "household_id" not in hidden.json()
    shown = send(client_for("admin_nanjing"), "post", "/api/v1/households", payload)
    assert shown.status_code == 409 and shown.json()["household_id"] == first.pk
    assert shown.json()["url"] == f"/api/v1/households/{first.pk}"


def test_detail(cw, household, client_for):
    response = cw.get(f"/api/v1/households/{household.pk}")
    assert response.status_code == 200 and len(response.json()["members"]) == 3
    assert client_for("caseworker_g4").get(f"/api/v1/households/{household.pk}").status_code == 404


def test_update_and_stale_version(cw, household):
    response = send(cw, "patch", f"/api/v1/households/{household.pk}", {"dibao": True, "version": 1})
    assert response.status_code == 200 and response.json()["version"] == 2
    stale = send(cw, "patch", f"/api/v1/households/{household.pk}", {"dibao": False, "version": 1})
    assert stale.status_code == 409


def test_status_moves_only_through_the_case_workflow(client_for, household):
    """Archiving and exit are the case workflow's (four eyes): the registry API has no shortcut."""
    reviewer = client_for("reviewer_xuanwu")
    for move, body in (("verify", {"category": "hardship"}), ("exit", {"reason": "再就业"})):
        response = send(reviewer, "post", f"/api/v1/households/{household.pk}/{move}", body)
        assert response.status_code in (404, 405)


def test_entitlements(client_for, household, users):
    from bangfu.cases.services import case_take_over

    case_take_over(actor=users["reviewer_xuanwu"], household=household, category="extreme_hardship")
    cw = client_for("caseworker_g1")
    response = cw.get(f"/api/v1/households/{household.pk}/entitlements", {"as_of": "2025-06-01"})
    assert response.status_code == 200
    codes = {b["code"] for b in response.json()["benefits"]}
    assert "education.compulsory_living_subsidy" in codes
    assert cw.get(f"/api/v1/households/{household.pk}/entitlements", {"as_of": "2025-13-01"}).status_code == 422


def test_income(cw, household):
    url = f"/api/v1/households/{household.pk}/incomes"
    response = send(cw, "put", url, {"month": "2025-05-01", "source": "wages", "amount": 1800.5})
    assert response.status_code == 200 and response.json()["amount"] == 1800.5
    assert send(cw, "put", url, {"month": "2025-05-01", "source": "lottery", "amount": 1}).status_code == 422


def test_members_list_add_update_remove(cw, household, build):
    url = f"/api/v1/households/{household.pk}/members"
    assert len(cw.get(url).json()) == 3
    added = send(cw, "post", url, build.member("parent", born=datetime.date(1960, 1, 1)))
    assert added.status_code == 201
    member_id = added.json()["id"]
    assert send(cw, "post", url, build.member("self")).status_code == 422, "a second worker"
    assert cw.get(f"/api/v1/members/{member_id}").json()["relation"] == "parent"
    updated = send(cw, "patch", f"/api/v1/members/{member_id}", {"employment": "retired", "version": 1})
    assert updated.status_code == 200 and updated.json()["employment"] == "retired"
    assert updated.json()["version"] == 2
    assert send(cw, "patch", f"/api/v1/members/{member_id}",
                {"employment": "astronaut", "version": 2}).status_code == 422
    removed = send(cw, "post", f"/api/v1/members/{member_id}/remove", {"reason": "去世"})
    assert removed.status_code == 200 and removed.json()["removed"] is True
    assert send(cw, "post", f"/api/v1/members/{member_id}/remove", {"reason": "x"}).status_code == 422


def test_reveal_id_number_is_logged(cw, client_for, household):
    member = household.members.get(relation="self")
    response = cw.post(f"/api/v1/members/{member.pk}/id-number")
    assert response.status_code == 200 and response.json()["id_number"] == member.id_number
    entry = AuditEntry.objects.get(action="member.view_id_number")
    assert entry.ip == "127.0.0.1" and entry.actor.username == "caseworker_g1"
    assert client_for("auditor_province").post(f"/api/v1/members/{member.pk}/id-number").status_code == 403


def test_documents_upload_and_download(cw, household, client_for):
    url = f"/api/v1/households/{household.pk}/documents"
    pdf = SimpleUploadedFile("诊断证明.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = cw.post(url, {"doc_type": "diagnosis", "file": pdf})
    assert response.status_code == 201, response.content
    document_id = response.json()["id"]
    download = cw.get(f"/api/v1/documents/{document_id}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 test"
    assert client_for("caseworker_g4").get(f"/api/v1/documents/{document_id}").status_code == 404
    bad = SimpleUploadedFile("x.html", b"<script>", content_type="text/html")
    assert cw.post(url, {"doc_type": "diagnosis", "file": bad}).status_code == 422


def test_export_is_an_xlsx_with_masked_numbers(cw, household):
    import io

    from openpyxl import load_workbook

    response = cw.get("/api/v1/households/export.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:3] == ("档案编号", "职工姓名", "身份证号码") and len(rows) == 2
    assert rows[1][2].startswith("3201**********") and rows[1][1] == "张伟"
    assert AuditEntry.objects.filter(action="household.export").count() == 1
    assert cw.get("/api/v1/households/export.xlsx", {"union_id": 999999}).status_code == 404


def test_token_auth_and_me(users):
    from django.test import Client

    _, raw = token_create(actor=users["reviewer_xuanwu"], name="t")
    client = Client()
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["role"] == "reviewer"
    assert client.get("/api/v1/accounts/me", HTTP_X_API_TOKEN=raw).status_code == 200
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_tokens_endpoint(client_for):
    cw = client_for("caseworker_g1")
    response = send(cw, "post", "/api/v1/accounts/tokens", {"name": "脚本"})
    assert response.status_code == 201 and response.json()["token"].startswith("bf_")
    assert send(cw, "post", "/api/v1/accounts/tokens", {}).status_code == 422
    assert cw.delete(f"/api/v1/accounts/tokens/{response.json()['id']}").status_code == 204
    assert cw.delete("/api/v1/accounts/tokens/999").status_code == 404


def test_users_endpoint(client_for, orgs, users):
    admin = client_for("admin_nanjing")
    payload = {"username": "new_user", "password": "a-Long-pass-2019!", "organisation_id": orgs["g3"].pk,
               "role": "caseworker"}
    assert send(admin, "post", "/api/v1/accounts/users", payload).status_code == 201
    assert send(client_for("caseworker_g1"), "post", "/api/v1/accounts/users",
                {**payload, "username": "x"}).status_code == 422
    target = users["caseworker_g2"].pk
    assert admin.post(f"/api/v1/accounts/users/{target}/deactivate").json()["id"] == target
    assert admin.post(f"/api/v1/accounts/users/{users['caseworker_g4'].pk}/deactivate").status_code == 404


def test_audit_endpoint(client_for, household):
    response = client_for("auditor_province").get("/api/v1/audit", {"action": "household.create"})
    assert response.status_code == 200 and response.json()["total"] == 1
    assert client_for("caseworker_g1").get("/api/v1/audit").status_code == 403


def test_docs_and_schema(client):
    assert client.get("/api/v1/openapi.json").status_code == 200
    docs = client.get("/api/docs")
    directives = dict(d.strip().split(" ", 1) for d in docs["Content-Security-Policy"].split(";"))
    assert docs.status_code == 200 and directives["script-src"] == "'self'"


def test_session_writes_need_the_csrf_token(users, household):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["caseworker_g1"])
    url = f"/api/v1/households/{household.pk}"
    assert send(client, "patch", url, {"notes": "x", "version": 1}).status_code == 403
    token = "a" * 32  # a CSRF secret as the cookie would hold it, echoed in the header as a page would
    client.cookies["csrftoken"] = token
    response = client.patch(url, data=json.dumps({"notes": "x", "version": 1}), content_type="application/json",
                            HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


def test_audit_rows_record_the_user_agent_and_address(cw, household):
    cw.patch(f"/api/v1/households/{household.pk}", data=json.dumps({"notes": "y", "version": 1}),
             content_type="application/json", HTTP_USER_AGENT="测试浏览器/1.0", REMOTE_ADDR="10.1.2.3")
    entry = AuditEntry.objects.get(action="household.update")
    assert entry.user_agent == "测试浏览器/1.0" and entry.ip == "10.1.2.3"


def test_list_and_detail_query_counts_do_not_grow_with_the_data(cw, make_household):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = make_household("g1")

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert cw.get(url).status_code == 200
        return len(ctx.captured_queries)

    list_one, detail_one = count("/api/v1/households"), count(f"/api/v1/households/{first.pk}")
    for _ in range(4):
        make_household("g1", members=None)
    assert count("/api/v1/households") == list_one
    assert count(f"/api/v1/households/{first.pk}") == detail_one
    # session, user, organisation, count, page (the user's organisation comes with the user in a view)
    assert list_one <= 5


def test_amounts_larger_than_their_column_are_a_named_422(cw, household):
    url = f"/api/v1/households/{household.pk}"
    good = send(cw, "patch", url, {"housing_area_m2": "999999.99", "financial_assets": "9999999999.99", "version": 1})
    assert good.status_code == 200 and good.json()["version"] == 2
    for field, value in (("housing_area_m2", "1e6"), ("financial_assets", "1e30")):
        bad = send(cw, "patch", url, {field: value, "version": 2})
        assert bad.status_code == 422 and bad.json()["field"] == field and "过大" in bad.json()["detail"]
    income = f"/api/v1/households/{household.pk}/incomes"
    assert send(cw, "put", income, {"month": "2025-05-01", "source": "wages", "amount": "9999999999.99"}
                ).status_code == 200
    bad = send(cw, "put", income, {"month": "2025-05-01", "source": "wages", "amount": "1e12"})
    assert bad.status_code == 422 and bad.json()["field"] == "amount"


def test_text_longer_than_its_column_is_a_named_422(cw, household):
    url = f"/api/v1/households/{household.pk}"
    assert send(cw, "patch", url, {"address": "长" * 200, "version": 1}).status_code == 200
    bad = send(cw, "patch", url, {"address": "长" * 201, "version": 2})
    assert bad.status_code == 422 and bad.json()["field"] == "address" and "200" in bad.json()["detail"]
    member = household.members.get(relation="spouse")
    member_url = f"/api/v1/members/{member.pk}"
    assert send(cw, "patch", member_url, {"employer": "厂" * 100, "version": 1}).status_code == 200
    bad = send(cw, "patch", member_url, {"employer": "厂" * 101, "version": 2})
    assert bad.status_code == 422 and bad.json()["field"] == "employer"


def test_token_name_and_username_longer_than_their_columns_are_a_named_422(client_for, orgs):
    cw = client_for("caseworker_g1")
    assert send(cw, "post", "/api/v1/accounts/tokens", {"name": "脚" * 100}).status_code == 201
    bad = send(cw, "post", "/api/v1/accounts/tokens", {"name": "脚" * 101})
    assert bad.status_code == 422 and bad.json()["field"] == "name"
    admin = client_for("admin_nanjing")
    payload = {"password": "a-Long-pass-2019!", "organisation_id": orgs["g3"].pk, "role": "caseworker"}
    assert send(admin, "post", "/api/v1/accounts/users", {**payload, "username": "u" * 150}).status_code == 201
    bad = send(admin, "post", "/api/v1/accounts/users", {**payload, "username": "v" * 151})
    assert bad.status_code == 422 and bad.json()["field"] == "username"


def test_entitlements_refuse_an_as_of_outside_the_engines_dates(client_for, household, users):
    from bangfu.cases.services import case_take_over

    case_take_over(actor=users["reviewer_xuanwu"], household=household, category="hardship")
    cw = client_for("caseworker_g1")
    url = f"/api/v1/households/{household.pk}/entitlements"
    assert cw.get(url, {"as_of": "2025-06-01"}).status_code == 200
    for as_of in ("0001-01-01", "9999-12-31"):
        bad = cw.get(url, {"as_of": as_of})
        assert bad.status_code == 422 and bad.json()["field"] == "as_of"


def test_huge_page_numbers_are_clamped_not_a_500(cw, client_for, household):
    assert cw.get("/api/v1/households", {"page": "1"}).json()["total"] == 1
    response = cw.get("/api/v1/households", {"page": str(10**20)})
    assert response.status_code in (200, 422)
    if response.status_code == 200:
        assert response.json()["items"] == []
    auditor = client_for("auditor_province")
    assert auditor.get("/api/v1/audit", {"page": "1"}).json()["total"] >= 1
    for page in ("1e20", str(10**20)):
        response = auditor.get("/api/v1/audit", {"page": page})
        assert response.status_code in (200, 422), page
        if response.status_code == 200:
            assert response.json()["items"] == []


def test_update_needs_the_version_and_refuses_an_exited_file(cw, client_for, household, users, exit_household):
    url = f"/api/v1/households/{household.pk}"
    missing = send(cw, "patch", url, {"notes": "无版本"})
    assert missing.status_code == 422
    assert send(cw, "patch", url, {"notes": "有版本", "version": 1}).status_code == 200
    exit_household(household)
    exited = send(cw, "patch", url, {"notes": "退出后", "version": household.version})
    assert exited.status_code == 422 and exited.json()["field"] == "status" and "已退出" in exited.json()["detail"]
    income = send(cw, "put", f"{url}/incomes", {"month": "2025-05-01", "source": "wages", "amount": 100})
    assert income.status_code == 422 and income.json()["field"] == "status"


def test_member_update_refuses_a_stale_version_with_what_is_stored(cw, household):
    member = household.members.get(relation="spouse")
    url = f"/api/v1/members/{member.pk}"
    assert send(cw, "patch", url, {"employment": "none"}).status_code == 422, "the version is required"
    first = send(cw, "patch", url, {"employer": "新单位", "version": 1})
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = send(cw, "patch", url, {"employer": "旧副本", "version": 1})
    body = stale.json()
    assert stale.status_code == 409 and body["field"] == "version" and body["version"] == 2
    assert body["current"]["employer"] == "新单位" and "*" in body["current"]["id_number"]
    member.refresh_from_db()
    assert member.employer == "新单位"
