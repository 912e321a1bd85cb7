"""The exchange API: one good and one refused request per endpoint, with the same access rules as the services."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from exchange_files import csv_bytes

from bangfu.audit.models import AuditEntry
from bangfu.exchange.departments.formats import FORMATS
from bangfu.exchange.models import Alert, Disagreement, ImportJob
from bangfu.exchange.schemas import job_out

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def xlsx_upload(content: bytes, name: str = "families.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_template_downloads(users):
    client = login(users["caseworker_g1"])
    response = client.get("/api/v1/exchange/template.xlsx")
    assert response.status_code == 200 and response.content.startswith(b"PK")
    response = client.get("/api/v1/exchange/template.csv")
    assert response.status_code == 200 and "身份证号码" in response.content.decode("utf-8-sig")
    assert Client().get("/api/v1/exchange/template.xlsx").status_code == 401


def test_import_upload_progress_and_result(users, orgs, household_file):
    from exchange_files import M_HEADERS

    client = login(users["caseworker_g1"])
    response = client.post("/api/v1/exchange/imports", {"union_id": orgs["g1"].pk, "file": xlsx_upload(household_file(2))})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "done" and body["written"] == 2 and body["percent"] == 100

    def tweak(households, members):
        members[0][M_HEADERS.index("姓名")] = ""
    response = client.post("/api/v1/exchange/imports", {"union_id": orgs["g1"].pk,
                                                        "file": xlsx_upload(household_file(1, tweak))})
    job = response.json()
    assert job["state"] == "invalid" and job["has_result"]
    assert client.get(f"/api/v1/exchange/jobs/{job['id']}").json()["error_rows"] == 1
    result = client.get(f"/api/v1/exchange/jobs/{job['id']}/result")
    assert result.status_code == 200
    other = login(users["caseworker_g4"])
    assert other.get(f"/api/v1/exchange/jobs/{job['id']}").status_code == 404
    assert other.post("/api/v1/exchange/imports", {"union_id": orgs["g1"].pk,
                                                   "file": xlsx_upload(household_file(1))}).status_code == 404
    refused = client.post("/api/v1/exchange/imports", {"union_id": orgs["g1"].pk,
                                                       "file": xlsx_upload(b"hello", "a.txt")})
    assert refused.status_code == 422 and "xlsx" in refused.json()["detail"]


def test_department_upload_flags_and_resolution_through_the_api(users, make_user, make_household):
    household = make_household()
    worker = household.members.get(relation="self")
    officer = make_user("department_officer", "province", department="human_resources")
    content = csv_bytes(list(FORMATS["human_resources"].headers), [[worker.id_number, worker.name, "就业", "某公司", "", ""]])
    response = login(officer).post("/api/v1/exchange/department-uploads", {"file": xlsx_upload(content, "hr.csv")})
    assert response.status_code == 201 and response.json()["state"] == "done"
    assert Disagreement.objects.filter(household=household, state="open").count() == 1
    assert login(officer).get(f"/api/v1/exchange/households/{household.pk}/facts").status_code == 404
    assert login(users["caseworker_g1"]).post("/api/v1/exchange/department-uploads",
                                              {"file": xlsx_upload(content, "hr.csv")}).status_code == 403
    cw = login(users["caseworker_g1"])
    facts = cw.get(f"/api/v1/exchange/households/{household.pk}/facts").json()
    assert facts[0]["department_label"] == "人力资源社会保障" and facts[0]["declared"]["employment"] == "registered_unemployed"
    flags = cw.get(f"/api/v1/exchange/households/{household.pk}/disagreements?state=open").json()
    assert len(flags) == 1
    report = cw.get(f"/api/v1/exchange/households/{household.pk}/report").json()
    assert report["open_disagreements"] == 1 and report["proposal"]["label"]
    assert cw.post(f"/api/v1/exchange/disagreements/{flags[0]['id']}/resolve", {"note": ""},
                   content_type="application/json").status_code == 422
    done = cw.post(f"/api/v1/exchange/disagreements/{flags[0]['id']}/resolve", {"note": "已核实"},
                   content_type="application/json")
    assert done.status_code == 200 and Disagreement.objects.get().state == "resolved"


def test_alerts_list_and_resolve(users, make_household):
    household = make_household()
    alert = Alert.objects.create(household=household, kind="death", key="x", message="民政部门报告某某已死亡")
    cw = login(users["caseworker_g1"])
    assert [a["id"] for a in cw.get("/api/v1/exchange/alerts").json()["items"]] == [alert.pk]
    assert login(users["caseworker_g4"]).get("/api/v1/exchange/alerts").json()["total"] == 0
    assert login(users["caseworker_g4"]).post(f"/api/v1/exchange/alerts/{alert.pk}/resolve", {"note": "x"},
                                              content_type="application/json").status_code == 404
    done = cw.post(f"/api/v1/exchange/alerts/{alert.pk}/resolve", {"note": "已注销该成员"},
                   content_type="application/json")
    assert done.status_code == 200 and done.json()["state"] == "resolved"
    assert cw.get("/api/v1/exchange/alerts").json()["items"] == []


def test_auditors_and_other_areas_do_not_see_import_jobs(users, orgs, household_file):
    client = login(users["caseworker_g1"])
    job = client.post("/api/v1/exchange/imports", {"union_id": orgs["g1"].pk,
                                                   "file": xlsx_upload(household_file(1))}).json()
    assert login(users["reviewer_xuanwu"]).get(f"/api/v1/exchange/jobs/{job['id']}").status_code == 200
    for who in ("auditor_province", "caseworker_g2", "officer"):
        assert login(users[who]).get(f"/api/v1/exchange/jobs/{job['id']}").status_code == 404, who


def test_an_officer_reads_their_jobs_without_what_the_matching_found(users, make_user, make_household):
    household = make_household()
    worker = household.members.get(relation="self")
    officer = make_user("department_officer", "province", department="human_resources")
    content = csv_bytes(list(FORMATS["human_resources"].headers), [[worker.id_number, worker.name, "就业", "某公司", "", ""]])
    client = login(officer)
    uploaded = client.post("/api/v1/exchange/department-uploads", {"file": xlsx_upload(content, "hr.csv")}).json()
    listed = client.get("/api/v1/exchange/jobs").json()["items"]
    one = client.get(f"/api/v1/exchange/jobs/{uploaded['id']}").json()
    for body in (uploaded, listed[0], one):
        assert (body["written"], body["unmatched"], body["flagged"], body["summary"]) == (None, None, None, None)
        assert body["message"] == "已接收1行,已按身份证号码交工会比对" and body["total"] == body["processed"] == 1
    job = ImportJob.objects.get(pk=uploaded["id"])
    assert (job.written, job.unmatched, job.flagged) == (1, 0, 1)  # kept for union staff
    staff = job_out(job)
    assert staff["flagged"] == 1 and staff["summary"] == "匹配1行,未匹配0行,发现1处不一致"


def test_a_result_download_is_audited_and_refused_outside_the_jobs_viewers(users, orgs, household_file):
    from exchange_files import M_HEADERS

    def tweak(households, members):
        members[0][M_HEADERS.index("姓名")] = ""
    client = login(users["caseworker_g1"])
    job = client.post("/api/v1/exchange/imports", {"union_id": orgs["g1"].pk,
                                                   "file": xlsx_upload(household_file(1, tweak))}).json()
    assert login(users["caseworker_g2"]).get(f"/api/v1/exchange/jobs/{job['id']}/result").status_code == 404
    assert not AuditEntry.objects.filter(action="exchange.result_download").exists()
    result = client.get(f"/api/v1/exchange/jobs/{job['id']}/result")
    assert result.status_code == 200 and quote(f"结果-{job['id']}.xlsx") in result["Content-Disposition"]
    assert b"".join(result.streaming_content).startswith(b"PK")
    entry = AuditEntry.objects.get(action="exchange.result_download")
    assert (entry.actor, entry.object_id, entry.area_path) == (users["caseworker_g1"], str(job["id"]), orgs["g1"].path)


def test_a_job_is_started_only_by_its_uploader_or_someone_who_may_import(users, orgs, household_file):
    response = login(users["caseworker_g1"]).post("/api/v1/exchange/imports", {
        "file": xlsx_upload(household_file(1)), "union_id": orgs["g1"].pk, "start": "false"})
    job_id = response.json()["id"]
    assert login(users["reviewer_xuanwu"]).post(f"/api/v1/exchange/jobs/{job_id}/start").status_code == 403
    assert ImportJob.objects.get(pk=job_id).state == "uploaded"
    assert login(users["admin_province"]).post(f"/api/v1/exchange/jobs/{job_id}/start").status_code == 200


def test_another_areas_household_flags_are_not_found(users, make_household):
    household = make_household("g1")
    assert login(users["caseworker_g4"]).get(
        f"/api/v1/exchange/households/{household.pk}/disagreements").status_code == 404
    assert login(users["caseworker_g1"]).get(
        f"/api/v1/exchange/households/{household.pk}/disagreements").status_code == 200


def test_an_ods_is_imported_and_one_renamed_xlsx_is_refused_naming_it(users, orgs):
    from pathlib import Path

    ods = (Path(__file__).resolve().parent / "fixtures" / "households.ods").read_bytes()
    client = login(users["caseworker_g1"])
    response = client.post("/api/v1/exchange/imports", {"union_id": orgs["g1"].pk,
                                                        "file": xlsx_upload(ods, "families.xlsx")})
    assert response.status_code == 422 and "OpenDocument 表格(.ods):请另存为 .xlsx" in response.json()["detail"]
    response = client.post("/api/v1/exchange/imports", {"union_id": orgs["g1"].pk,
                                                        "file": xlsx_upload(ods, "families.ods")})
    assert response.status_code == 201 and response.json()["written"] == 3, response.content
