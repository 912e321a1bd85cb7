"""Other departments' data in the browser: an officer uploads 人社's file, the caseworker sees the flag on the
household's file, resolves it with a note, and finds it in the printable 核对报告; alerts on the start page; a job's
progress bar that follows the job without a reload."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from bangfu.exchange.departments.formats import FORMATS
from bangfu.exchange.models import ImportJob, JobState

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def csv_file(department: str, rows: list[list]) -> dict:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(FORMATS[department].headers)
    writer.writerows(rows)
    return {"name": f"{department}.csv", "mimeType": "text/csv", "buffer": out.getvalue().encode("utf-8-sig")}


def people(household):
    return {m.relation: m for m in household.members.all()}


def upload(page, department: str, rows: list[list]) -> None:
    page.get_by_role("link", name="部门数据报送").first.click()
    page.get_by_label(re.compile("本部门数据文件")).set_input_files(csv_file(department, rows))
    page.get_by_role("button", name=re.compile("上传并比对")).click()
    expect(page.get_by_test_id("job-state")).to_have_text("已完成")


def test_upload_a_department_file_see_the_flag_on_the_household_and_resolve_it(page, log_in, users, make_user,
                                                                                make_household):
    household = make_household("g1")
    p = people(household)
    hr = make_user("department_officer", "province", "hr_officer", department="human_resources")
    civil = make_user("department_officer", "province", "civil_officer", department="civil_affairs")

    # 人社's officer uploads a file: the worker, declared registered unemployed, is employed.
    log_in(hr)
    expect(page.get_by_role("status").first).to_contain_text("部门数据报送")
    upload(page, "human_resources", [[p["self"].id_number, p["self"].name, "就业", "南京某物流有限公司", "", ""]])
    # The officer learns that the rows were received, not who is in the registry nor what was flagged.
    expect(page.get_by_test_id("job-message")).to_contain_text("已接收1行")
    expect(page.get_by_test_id("job-progress")).not_to_contain_text("不一致")
    # 民政's officer reports the spouse dead: an alert for the caseworker.
    log_in(civil)
    upload(page, "civil_affairs", [[p["spouse"].id_number, p["spouse"].name, "死亡", "", "", "2025-02-03", ""]])

    # The caseworker sees the alert on the start page and the flag on the file.
    log_in(users["caseworker_g1"])
    alerts = page.get_by_test_id("alerts")
    expect(alerts).to_contain_text("成员死亡")
    expect(page.get_by_test_id("alert-count")).to_have_text("1")
    alerts.get_by_role("link", name=f"{household.pk}号家庭").click()
    card = page.get_by_test_id("verification")
    expect(page.get_by_test_id("open-flags")).to_contain_text("1 处不一致待处理")
    expect(card).to_contain_text("南京某物流有限公司")
    expect(card).to_contain_text("登记失业")

    # A note is required (blank is refused by the server too); with it the flag is closed in place.
    card.get_by_label("处理说明").fill("   ")
    card.get_by_role("button", name="核实并处理").click()
    expect(card.get_by_role("alert")).to_contain_text("请填写处理说明")
    card.get_by_label("处理说明").fill("入户核实:本人已于上月离职,提供离职证明")
    card.get_by_role("button", name="核实并处理").click()
    card = page.get_by_test_id("verification")
    expect(card.get_by_role("status")).to_contain_text("已处理")
    expect(card).to_contain_text("无待处理的不一致")

    # The printable report lists the fact, who said it, and the resolution.
    card.get_by_role("link", name=re.compile("核对报告")).click()
    report = page.get_by_test_id("verification-report")
    expect(report.get_by_test_id("report-facts")).to_contain_text("人力资源社会保障")
    expect(report.get_by_test_id("report-disagreements")).to_contain_text("本人已于上月离职")
    expect(report).to_contain_text("待处理 0 处")

    # Back on the start page, the alert is resolved with a note.
    page.goto("/")
    alerts = page.get_by_test_id("alerts")
    alerts.locator("summary", has_text="处理").click()
    alerts.get_by_label("处理说明").fill("已核实,办理成员减员")
    alerts.get_by_role("button", name="处理完毕").click()
    expect(page.get_by_test_id("alert-count")).to_have_text("0")
    expect(page.get_by_test_id("alerts")).to_contain_text("没有待处理的预警")
    # The one refusal (the blank note, 422) is the only resource error the browser saw.
    assert [e for e in page.console_errors if "status of 422" not in e] == []


def test_the_progress_bar_follows_a_running_job_and_survives_a_reload(page, log_in, users, make_user):
    civil = make_user("department_officer", "province", "civil_officer2", department="civil_affairs")
    log_in(civil)
    upload(page, "civil_affairs", [["320100198001010021", "张伟", "低保", "2024-01-01", "900.00", "", ""]])
    job = ImportJob.objects.get()
    # Put the job back to the middle of its run, as a worker would leave it, and reload the page.
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.VALIDATING, total=400, processed=100,
                                               finished_at=None)
    page.reload()
    expect(page.get_by_test_id("job-state")).to_have_text("校验中")
    expect(page.locator("progress.job-bar")).to_have_attribute("value", "25")
    ImportJob.objects.filter(pk=job.pk).update(processed=300)
    expect(page.locator("progress.job-bar")).to_have_attribute("value", "75")
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.DONE, processed=400, message="已比对400行")
    expect(page.get_by_test_id("job-state")).to_have_text("已完成")
    expect(page.get_by_test_id("job-message")).to_contain_text("已比对400行")
    assert page.console_errors == []
