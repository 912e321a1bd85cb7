"""Import jobs: a progress bar that only moves forward, a write that is all or nothing, one retry per refused file,
and result files seen only by those whose area covers the whole upload, each download audited."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection, transaction
from exchange_files import H_HEADERS, M_HEADERS
from openpyxl import load_workbook

from bangfu.audit.models import AuditEntry
from bangfu.common.errors import NotFound, ValidationFailed
from bangfu.exchange import files, jobs, selectors, writer
from bangfu.exchange.importer import HouseholdChecker
from bangfu.exchange.models import ImportJob
from bangfu.exchange.progress import Progress
from bangfu.exchange.services import (
    household_import_upload,
    import_retry_clean,
    import_start,
    job_result_open,
)
from bangfu.registry.models import Household, Member

pytestmark = pytest.mark.django_db


def run(actor, union, content: bytes, mode: str = "all") -> ImportJob:
    job = household_import_upload(actor=actor, union=union, name="families.xlsx", content=content, mode=mode)
    return import_start(actor=actor, job=job)


def bad_second_household(households, members):
    members[3][M_HEADERS.index("身份证号码")] = "320102198001010000"  # a wrong check digit in household 2


class Recorder:
    """Stands in for `Progress`: keeps every figure reported."""

    seen: list[int] = []

    def __init__(self, job_id: int) -> None:
        Recorder.seen = []

    def __call__(self, count: int) -> None:
        Recorder.seen.append(count)

    def close(self) -> None:
        pass


# --- progress ------------------------------------------------------------------------------------------------------

def test_the_checker_counts_member_rows_after_the_household_rows(users, orgs, household_file):
    sheets = files.read_upload("a.xlsx", household_file(3), ("家庭", "成员"))
    seen = []
    checker = HouseholdChecker(actor=users["caseworker_g1"], default_union=orgs["g1"],
                               today=datetime.date(2025, 6, 1), progress=seen.append)
    checker.check(sheets["家庭"], sheets["成员"])
    assert seen == [3, 12]  # 3 household rows, then 9 member rows after them


@pytest.mark.parametrize("mode", ["all", "clean_only"])
def test_progress_only_moves_forward_through_checking_and_writing_and_ends_at_the_total(
        mode, users, orgs, household_file, monkeypatch):
    monkeypatch.setattr(jobs, "Progress", Recorder)
    monkeypatch.setattr(writer, "BATCH", 1)
    content = household_file(3, bad_second_household if mode == "clean_only" else None)
    job = run(users["caseworker_g1"], orgs["g1"], content, mode)
    clean = 3 if mode == "all" else 2
    # rows checked (both sheets), then the clean households written: each phase counted on its own
    assert job.state == "done" and (job.check_total, job.write_total, job.total) == (3 + 9, clean, 3 + 9 + clean)
    assert job.phases() == [("校验", 12, 12), ("写入", clean, clean)]
    seen = Recorder.seen
    assert seen == sorted(seen) and max(seen) <= job.total and seen[-1] == job.total == job.processed
    assert len([n for n in seen if n > 12]) >= clean  # the write reports each batch


@pytest.mark.django_db(transaction=True)
def test_progress_inside_the_write_transaction_is_seen_before_the_commit_on_postgresql(users, orgs):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer: there the figures are seen at the commit")
    job = ImportJob.objects.create(kind="households", union=orgs["g1"], created_by=users["caseworker_g1"],
                                   original_name="a.xlsx", total=10)
    progress = Progress(job.pk)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            Household.objects.filter(pk=0).update(address="x")
            progress(4)
            progress(3)  # never backwards
            raise RuntimeError("the write failed")
    finally:
        progress.close()
    job.refresh_from_db()
    assert job.processed == 4  # written aside, so not undone with the job's transaction


# --- all or nothing ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("step", ["audit_log", "_attach_result", "_finish"])
def test_a_late_failure_of_a_clean_only_import_leaves_nothing_written(step, users, orgs, household_file,
                                                                       monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("late failure")
    actor = users["caseworker_g1"]
    job = household_import_upload(actor=actor, union=orgs["g1"], name="families.xlsx", mode="clean_only",
                                  content=household_file(3, bad_second_household))
    monkeypatch.setattr(writer, "BATCH", 1)  # several batches, each a savepoint
    monkeypatch.setattr(jobs, step, fail)
    job = import_start(actor=actor, job=job)
    assert job.state == "failed" and "数据库未做任何修改" in job.message
    assert not Household.objects.exists() and not Member.objects.exists()
    assert not AuditEntry.objects.filter(action__in=("household.import", "exchange.import")).exists()
    assert not job.result_file


def test_clean_only_leaves_out_whole_a_household_registered_meanwhile(users, orgs, household_file, make_household,
                                                                      monkeypatch):
    taken = make_household("g1").members.get(relation="self").id_number

    def tweak(households, members):
        members[3][M_HEADERS.index("身份证号码")] = taken  # household 2's worker, registered after the check
    monkeypatch.setattr(HouseholdChecker, "_duplicates_elsewhere", lambda self, planned, sheet: None)
    job = run(users["caseworker_g1"], orgs["g1"], household_file(3, tweak), "clean_only")
    assert (job.state, job.written, job.skipped) == ("done", 2, 1)
    assert Household.objects.count() == 3 and Member.objects.filter(id_number=taken).count() == 1
    with job.result_file.open("rb") as fh:
        sheet = load_workbook(io.BytesIO(fh.read()))["家庭"]
    outcomes = [row[-2] for row in sheet.iter_rows(min_row=2, values_only=True)]  # 处理结果, then 错误
    assert outcomes[1].startswith("未导入:") and "可能刚被他人登记" in outcomes[1]
    assert outcomes[0] == "已导入(户编号1)" and outcomes[2] == "已导入(户编号3)"


# --- one retry per refused file ------------------------------------------------------------------------------------

def test_the_clean_households_of_a_refused_file_are_imported_once(users, orgs, household_file):
    actor = users["caseworker_g1"]
    job = run(actor, orgs["g1"], household_file(3, bad_second_household))
    assert job.state == "invalid"
    retry = import_start(actor=actor, job=import_retry_clean(actor=actor, job=job))
    assert retry.retry_of == job and (retry.state, retry.written) == ("done", 2)
    with pytest.raises(ValidationFailed, match=f"第{retry.pk}号任务"):
        import_retry_clean(actor=actor, job=job)
    with pytest.raises(ValidationFailed):
        import_retry_clean(actor=users["admin_nanjing"], job=job)
    assert list(job.retries.all()) == [retry] and Household.objects.count() == 2


# --- who sees an upload and its result file ------------------------------------------------------------------------

def test_an_upload_naming_other_unions_is_seen_only_at_its_uploaders_level_and_above(users, orgs, household_file):
    def to_qinhuai(households, members):
        bad_second_household(households, members)
        households[2][H_HEADERS.index("所属工会代码")] = orgs["g3"].code  # 秦淮: outside 玄武
        households[2][H_HEADERS.index("行政区划代码")] = "320104"
    job = run(users["admin_nanjing"], orgs["g1"], household_file(3, to_qinhuai))
    assert job.state == "invalid" and job.result_file
    for who in ("admin_nanjing", "admin_province"):
        assert selectors.job_get(user=users[who], pk=job.pk) == job, who
        job_result_open(actor=users[who], job=job)[0].close()
    for who in ("caseworker_g1", "reviewer_xuanwu", "caseworker_g4", "auditor_province", "officer"):
        with pytest.raises(NotFound):
            selectors.job_get(user=users[who], pk=job.pk)
        with pytest.raises(NotFound):
            job_result_open(actor=users[who], job=job)
    downloads = AuditEntry.objects.filter(action="exchange.result_download", object_id=str(job.pk))
    assert sorted(downloads.values_list("actor__username", flat=True)) == ["admin_nanjing", "admin_province"]
    assert {e.area_path for e in downloads} == {orgs["g1"].path}


def test_a_caseworkers_upload_is_seen_by_their_union_and_those_above_it(users, orgs, household_file):
    job = run(users["caseworker_g1"], orgs["g1"], household_file(1))
    visible = {who for who in users if selectors.job_list(user=users[who]).filter(pk=job.pk).exists()}
    assert visible == {"caseworker_g1", "reviewer_xuanwu", "admin_nanjing", "admin_province"}
    with pytest.raises(NotFound, match="没有结果文件"):
        job_result_open(actor=users["caseworker_g1"], job=job)
