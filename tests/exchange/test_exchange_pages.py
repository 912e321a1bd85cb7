"""The exchange's web pages: imports with progress and the 错误 file, department uploads, flags on the household
file resolved with a note, the printable 核对报告, and alerts on the start page."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from exchange_files import CSV_HEADERS, csv_bytes, flat_csv_rows
from openpyxl import load_workbook

from bangfu.audit.models import AuditEntry
from bangfu.exchange.departments.formats import FORMATS
from bangfu.exchange.models import Alert, Disagreement, ImportJob, JobState
from bangfu.registry.models import Household

pytestmark = pytest.mark.django_db
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def officer(make_user):
    def make(department: str = "human_resources"):
        return make_user("department_officer", "province", department=department)
    return make


def xlsx_upload(content: bytes, name: str = "households.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX_TYPE)


def dept_csv(department: str, rows: list[list], name: str = "data.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(list(FORMATS[department].headers), rows), content_type="text/csv")


def people(household):
    return {m.relation: m for m in household.members.all()}


# --- household imports ---------------------------------------------------------------------------------------------

def test_the_import_page_offers_templates_and_only_to_those_who_may_add(login, users, officer):
    page = login(users["caseworker_g1"]).get("/imports/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "下载 Excel 模板" in text and "只导入无误的家庭" in text
    template = login(users["caseworker_g1"]).get("/imports/template.xlsx")
    assert template.status_code == 200 and template["Content-Type"] == XLSX_TYPE
    assert {"家庭", "成员"} <= set(load_workbook(io.BytesIO(template.content)).sheetnames)
    assert login(users["caseworker_g1"]).get("/imports/template.pdf").status_code == 404
    for who in (users["auditor_province"], users["reviewer_xuanwu"], officer()):
        assert login(who).get("/imports/").status_code == 403


def test_a_clean_file_is_imported_and_the_job_page_shows_the_result(login, users, orgs, household_file):
    client = login(users["caseworker_g1"])
    response = client.post("/imports/", {"file": xlsx_upload(household_file(2)), "union": orgs["g1"].pk,
                                         "mode": "all"})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.state == JobState.DONE and job.written == 2
    assert Household.objects.filter(union=orgs["g1"]).count() == 2
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "已完成" in page and "已导入2户" in page
    assert 'hx-trigger="every 1s"' not in page  # a finished job stops polling
    assert job.original_name in client.get("/imports/").content.decode()


def test_a_file_with_errors_imports_nothing_then_the_clean_households_on_request(login, users, orgs,
                                                                                  household_file):
    def break_second(households, members):
        members[3][2] = "320102198001010000"  # a bad ID number in household 2

    client = login(users["caseworker_g1"])
    client.post("/imports/", {"file": xlsx_upload(household_file(3, break_second)), "union": orgs["g1"].pk,
                              "mode": "all"})
    job = ImportJob.objects.get()
    assert job.state == JobState.INVALID and not Household.objects.exists()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "有错误,未导入" in page and "其中2户无误" in page and "下载结果文件" in page
    result = client.get(f"/jobs/{job.pk}/result/")
    book = load_workbook(io.BytesIO(b"".join(result.streaming_content)))
    sheet = book["成员"]
    headers = [c.value for c in sheet[1]]
    errors = [row[headers.index("错误")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert any(e and "身份证号码" in e for e in errors)
    assert AuditEntry.objects.filter(action="exchange.result_download", object_id=str(job.pk)).count() == 1

    response = client.post(f"/jobs/{job.pk}/retry-clean/")
    retry = ImportJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == f"/jobs/{retry.pk}/"
    assert (retry.mode, retry.state, retry.written, retry.skipped) == ("clean_only", JobState.DONE, 2, 1)
    assert Household.objects.count() == 2
    job.refresh_from_db()
    assert job.state == JobState.INVALID  # the refused job stays as it was
    again = client.post(f"/jobs/{retry.pk}/retry-clean/", follow=True).content.decode()
    assert "只有因有错误而未导入的家庭文件" in again
    refused_page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f"已在第{retry.pk}号任务中只导入无误的家庭" in refused_page and "retry-clean" not in refused_page
    twice = client.post(f"/jobs/{job.pk}/retry-clean/", follow=True).content.decode()
    assert f"第{retry.pk}号任务" in twice and ImportJob.objects.count() == 2
    assert AuditEntry.objects.filter(action="exchange.upload", after__retry_of=job.pk).exists()


def test_a_file_refused_at_once_is_named_on_the_form_and_nothing_is_kept(login, users, orgs):
    client = login(users["caseworker_g1"])
    response = client.post("/imports/", {"file": xlsx_upload(b"not a workbook"), "union": orgs["g1"].pk,
                                         "mode": "all"})
    assert response.status_code == 422
    assert "内容却是文本" in response.content.decode() and "另存为 .xlsx" in response.content.decode()
    response = client.post("/imports/", {"union": orgs["g1"].pk, "mode": "all"})
    assert response.status_code == 422 and "这个字段是必填项" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_another_areas_union_cannot_be_chosen(login, users, orgs, household_file):
    response = login(users["caseworker_g1"]).post(
        "/imports/", {"file": xlsx_upload(household_file(1)), "union": orgs["g4"].pk, "mode": "all"})
    assert response.status_code == 422 and not ImportJob.objects.exists()


def test_the_progress_fragment_polls_while_the_job_runs(login, users, orgs, household_file):
    client = login(users["caseworker_g1"])
    client.post("/imports/", {"file": xlsx_upload(household_file(1)), "union": orgs["g1"].pk, "mode": "all"})
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.VALIDATING, total=400, check_total=300, write_total=100,
                                               processed=100, finished_at=None)
    fragment = client.get(f"/jobs/{job.pk}/", **HX).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and 'value="25"' in fragment and "<html" not in fragment
    assert 'data-testid="job-count">校验 100/300 25%' in fragment and "可以离开本页或刷新" in fragment
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.WRITING, processed=350)
    fragment = client.get(f"/jobs/{job.pk}/", **HX).content.decode()
    assert 'data-testid="job-count">校验 300/300,写入 50/100 87%' in fragment


def test_a_four_row_file_counts_each_phase_on_its_own(login, users, orgs, family):
    """Issue 17, item 7: a CSV of four rows (two households of two) shows 校验 4/4 and 写入 2/2, not 进度 8/8."""
    rows = [r for i, r in enumerate(flat_csv_rows(family, 2)) if i not in (2, 5)]  # without the children
    client = login(users["caseworker_g1"])
    upload = SimpleUploadedFile("households.csv", csv_bytes(CSV_HEADERS, rows), content_type="text/csv")
    client.post("/imports/", {"file": upload, "union": orgs["g1"].pk, "mode": "all"})
    job = ImportJob.objects.get()
    assert (job.state, job.check_total, job.write_total, job.total, job.processed) == ("done", 4, 2, 6, 6)
    assert 'data-testid="job-count">校验 4/4,写入 2/2 100%' in client.get(f"/jobs/{job.pk}/").content.decode()


def test_jobs_are_seen_only_by_their_area_and_never_by_auditors(login, users, orgs, household_file, officer):
    login(users["caseworker_g1"]).post("/imports/", {"file": xlsx_upload(household_file(1)),
                                                       "union": orgs["g1"].pk, "mode": "all"})
    job = ImportJob.objects.get()
    assert login(users["reviewer_xuanwu"]).get(f"/jobs/{job.pk}/").status_code == 200
    for who in (users["caseworker_g4"], users["auditor_province"], officer()):
        assert login(who).get(f"/jobs/{job.pk}/").status_code == 404
        assert login(who).get(f"/jobs/{job.pk}/result/").status_code == 404


# --- department data ---------------------------------------------------------------------------------------------

def test_the_department_page_is_the_officers_with_their_format(login, users, officer):
    client = login(officer("civil_affairs"))
    page = client.get("/department-data/").content.decode()
    assert "民政:低保、低保边缘、特困供养、死亡" in page and "救助类别" in page and "低保边缘" in page
    sample = client.get("/department-data/sample.csv")
    assert sample.status_code == 200 and "救助类别" in b"".join(sample.streaming_content).decode("utf-8-sig")
    # Named in Chinese as the officer sees it, RFC 5987: 民政数据报送样例.csv
    assert sample["Content-Disposition"] == ("attachment; filename*=utf-8''%E6%B0%91%E6%94%BF%E6%95%B0%E6%8D%AE%E6%8A"
                                             "%A5%E9%80%81%E6%A0%B7%E4%BE%8B.csv")
    assert "部门数据报送" in client.get("/").content.decode()
    for who in ("caseworker_g1", "admin_province", "auditor_province"):
        assert login(users[who]).get("/department-data/").status_code == 403
    template = login(users["caseworker_g1"]).get("/imports/template.csv")
    assert template["Content-Disposition"].endswith("filename*=utf-8''%E5%AE%B6%E5%BA%AD%E6%89%B9%E9%87%8F%E5%AF"
                                                    "%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.csv")


def test_an_upload_flags_the_household_and_staff_resolve_it_on_the_file(login, users, officer, make_household):
    household = make_household()
    worker = people(household)["self"]
    hr = officer("human_resources")
    response = login(hr).post("/department-data/", {
        "file": dept_csv("human_resources", [[worker.id_number, worker.name, "就业", "南京某物流公司", "", ""]])})
    job = ImportJob.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    page = login(hr).get(f"/jobs/{job.pk}/").content.decode()
    assert (job.flagged, job.written) == (1, 1)
    assert "已接收1行" in page and "不一致" not in page and "匹配" not in page  # nothing about who is in the registry
    listing = login(hr).get("/department-data/").content.decode()
    assert "已接收1行" in listing and "不一致1" not in listing
    flag = Disagreement.objects.get()

    client = login(users["caseworker_g1"])
    file_page = client.get(f"/households/{household.pk}/").content.decode()
    assert "1 处不一致待处理" in file_page and "南京某物流公司" in file_page and "登记失业" in file_page
    assert "系统建议类别" in file_page and "不自动认定" in file_page
    refused = client.post(f"/disagreements/{flag.pk}/resolve/", {f"d{flag.pk}-note": " "}, **HX)
    assert refused.status_code == 422 and "请填写处理说明" in refused.content.decode()
    flag.refresh_from_db()
    assert flag.state == "open"
    done = client.post(f"/disagreements/{flag.pk}/resolve/", {f"d{flag.pk}-note": "入户核实:已于上月离职"}, **HX)
    assert done.status_code == 200 and "已处理" in done.content.decode()
    flag.refresh_from_db()
    assert (flag.state, flag.note, flag.resolved_by) == ("resolved", "入户核实:已于上月离职", users["caseworker_g1"])
    assert AuditEntry.objects.filter(action="exchange.disagreement_resolve", object_id=str(household.pk)).exists()
    assert "无待处理的不一致" in client.get(f"/households/{household.pk}/").content.decode()


def test_flags_are_resolved_only_within_the_area_and_by_those_who_may_change(login, users, officer,
                                                                              make_household):
    household = make_household()
    worker = people(household)["self"]
    login(officer()).post("/department-data/", {
        "file": dept_csv("human_resources", [[worker.id_number, worker.name, "就业", "某公司", "", ""]])})
    flag = Disagreement.objects.get()
    data = {f"d{flag.pk}-note": "看过了"}
    assert login(users["caseworker_g4"]).post(f"/disagreements/{flag.pk}/resolve/", data).status_code == 404
    assert login(users["auditor_province"]).post(f"/disagreements/{flag.pk}/resolve/", data).status_code == 403
    flag.refresh_from_db()
    assert flag.state == "open"


def test_a_bad_department_file_is_refused_with_its_error_file(login, officer, make_household):
    client = login(officer("civil_affairs"))
    client.post("/department-data/", {"file": dept_csv("civil_affairs", [["123", "某", "救济", "", "", "", ""]])})
    job = ImportJob.objects.get()
    assert job.state == JobState.INVALID
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "下载结果文件" in page and "只导入无误的家庭" not in page
    refused = client.post("/department-data/", {"file": SimpleUploadedFile("a.txt", b"x"), "as_of": "2999-01-01"})
    assert refused.status_code == 422 and "数据日期不能晚于今天" in refused.content.decode()
    assert ImportJob.objects.count() == 1


# --- the report and alerts ------------------------------------------------------------------------------------------

def test_the_verification_report_lists_facts_sources_flags_and_the_proposal(login, users, officer,
                                                                             make_household):
    household = make_household()
    p = people(household)
    login(officer("civil_affairs")).post("/department-data/", {
        "file": dept_csv("civil_affairs", [[p["self"].id_number, p["self"].name, "低保", "2024-01-01", "900", "",
                                            ""]])})
    report = login(users["caseworker_g1"]).get(f"/households/{household.pk}/report/")
    text = report.content.decode()
    assert report.status_code == 200 and "困难职工家庭核对报告" in text
    assert "家庭申报" in text and "民政" in text and "金额(元):900.00" in text and "享受城市低保:否" in text
    assert "待处理 1 处" in text and "认定建议" in text and "签字" in text
    assert "当地城市低保标准(元/月)" in text and "依据:苏政办发〔2019〕2号第26条" in text and "{" not in text
    assert p["self"].id_number not in text  # ID numbers are masked on paper too
    assert household.address in text and "核定类别:未核定" in text and "非困难" not in text
    assert login(users["caseworker_g4"]).get(f"/households/{household.pk}/report/").status_code == 404


def test_alerts_show_on_the_start_page_until_resolved_with_a_note(login, users, officer, make_household):
    household = make_household()
    spouse = people(household)["spouse"]
    login(officer("civil_affairs")).post("/department-data/", {
        "file": dept_csv("civil_affairs", [[spouse.id_number, spouse.name, "死亡", "", "", "2025-02-03", ""]])})
    alert = Alert.objects.get(household=household)
    client = login(users["caseworker_g1"])
    home = client.get("/").content.decode()
    assert alert.message in home and "成员死亡" in home
    assert alert.message not in login(users["caseworker_g4"]).get("/").content.decode()
    assert login(users["caseworker_g4"]).post(f"/alerts/{alert.pk}/resolve/",
                                                {f"a{alert.pk}-note": "x"}).status_code == 404
    client = login(users["caseworker_g1"])  # one test client: log the caseworker back in
    refused = client.post(f"/alerts/{alert.pk}/resolve/", {f"a{alert.pk}-note": ""}, **HX)
    assert refused.status_code == 422 and "请填写处理说明" in refused.content.decode()
    done = client.post(f"/alerts/{alert.pk}/resolve/", {f"a{alert.pk}-note": "已核实,办理成员减员"}, **HX)
    assert done.status_code == 200 and "没有待处理的预警" in done.content.decode()
    alert.refresh_from_db()
    assert alert.state == "resolved" and alert.note == "已核实,办理成员减员"
    assert alert.message not in client.get("/").content.decode()


def death_alerts(login, officer, households) -> list[Alert]:
    rows = [[people(h)["spouse"].id_number, people(h)["spouse"].name, "死亡", "", "", "2025-02-03", ""]
            for h in households]
    login(officer("civil_affairs")).post("/department-data/", {"file": dept_csv("civil_affairs", rows)})
    return list(Alert.objects.order_by("pk"))


def test_the_alerts_page_lists_filters_and_resolves_within_the_area(login, users, officer, make_household):
    mine, other = make_household("g1"), make_household("g4")
    a_mine, a_other = death_alerts(login, officer, [mine, other])
    client = login(users["caseworker_g1"])
    page = client.get("/alerts/").content.decode()
    row = f'data-testid="alert-row-{a_mine.pk}"'
    assert row in page and f'data-testid="alert-row-{a_other.pk}"' not in page
    assert people(mine)["self"].name in page  # the worker's name beside the file number
    assert row not in client.get("/alerts/?kind=relapse").content.decode()
    response = client.post(f"/alerts/{a_mine.pk}/resolve/", {f"a{a_mine.pk}-note": "已办理减员",
                                                             "next": "/alerts/?state=all"})
    assert response.status_code == 302 and response["Location"] == "/alerts/?state=all"
    assert row not in client.get("/alerts/").content.decode()  # open ones by default
    resolved = client.get("/alerts/?state=resolved").content.decode()
    assert row in resolved and "已办理减员" in resolved
    elsewhere = client.post(f"/alerts/{a_mine.pk}/resolve/", {f"a{a_mine.pk}-note": "x",
                                                              "next": "https://evil.example/"})
    assert elsewhere["Location"] == "/"  # only back to the alerts page, never elsewhere
    assert login(users["auditor_province"]).get("/alerts/").status_code == 200
    assert "处理完毕" not in login(users["auditor_province"]).get("/alerts/").content.decode()
    assert login(officer()).get("/alerts/").status_code == 403


def test_the_start_page_links_to_all_alerts_when_there_are_more(login, users, officer, make_household,
                                                                monkeypatch):
    monkeypatch.setattr("bangfu.web.views.verification.ALERTS", 1)
    death_alerts(login, officer, [make_household("g1"), make_household("g1")])
    home = login(users["caseworker_g1"]).get("/").content.decode()
    assert "另有1条待处理的预警" in home and 'href="/alerts/"' in home


def test_a_job_waiting_too_long_says_the_worker_may_be_down(login, users, orgs, household_file):
    import datetime

    from bangfu.common import clock

    client = login(users["caseworker_g1"])
    client.post("/imports/", {"file": xlsx_upload(household_file(1)), "union": orgs["g1"].pk, "mode": "all"})
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.QUEUED, finished_at=None,
                                               created_at=clock.now() - datetime.timedelta(minutes=10))
    assert "后台任务服务可能未运行" in client.get(f"/jobs/{job.pk}/", **HX).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(created_at=clock.now())
    assert "后台任务服务可能未运行" not in client.get(f"/jobs/{job.pk}/", **HX).content.decode()


def test_a_file_without_data_rows_is_refused_not_reported_as_done(login, users, orgs, officer):
    client = login(users["caseworker_g1"])
    template = client.get("/imports/template.xlsx").content
    client.post("/imports/", {"file": xlsx_upload(template), "union": orgs["g1"].pk, "mode": "all"})
    job = ImportJob.objects.get()
    assert job.state == JobState.INVALID and "没有家庭数据" in job.message
    login(officer("civil_affairs")).post("/department-data/", {"file": dept_csv("civil_affairs", [])})
    job = ImportJob.objects.get(kind="department")
    assert job.state == JobState.INVALID and job.message == "文件中没有数据行"


def test_uploaders_read_family_name_first(login, users, orgs, household_file):
    user = users["caseworker_g1"]
    user.last_name, user.first_name = "张", "敏"
    user.save()
    client = login(user)
    client.post("/imports/", {"file": xlsx_upload(household_file(1)), "union": orgs["g1"].pk, "mode": "all"})
    page = client.get("/imports/").content.decode()
    assert "张敏" in page and "敏 张" not in page


def test_a_reported_death_left_out_of_the_household_size_is_said_in_the_proposal(login, users, officer,
                                                                                   make_household):
    household = make_household()
    spouse = people(household)["spouse"]
    login(officer("civil_affairs")).post("/department-data/", {
        "file": dept_csv("civil_affairs", [[spouse.id_number, spouse.name, "死亡", "", "", "2025-02-03", ""]])})
    page = login(users["caseworker_g1"]).get(f"/households/{household.pk}/").content.decode()
    assert "民政部门报告死亡的1名成员未计入家庭人数" in page


def test_a_file_with_no_clean_household_is_not_offered_a_clean_only_import(login, users, orgs, household_file):
    def break_all(households, members):
        for member in members:
            member[2] = "320102198001010000"

    client = login(users["caseworker_g1"])
    client.post("/imports/", {"file": xlsx_upload(household_file(2, break_all)), "union": orgs["g1"].pk,
                              "mode": "all"})
    job = ImportJob.objects.get()
    assert job.state == JobState.INVALID and job.clean == 0
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "其中0户无误" in page and "retry-clean" not in page
    refused = client.post(f"/jobs/{job.pk}/retry-clean/", follow=True).content.decode()
    assert "没有无误的家庭" in refused and ImportJob.objects.count() == 1
