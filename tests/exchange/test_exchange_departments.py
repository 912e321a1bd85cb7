"""Department files: formats, matching by ID number, facts beside the household's statement, flags and alerts."""

from __future__ import annotations

from pathlib import Path

import pytest
from exchange_files import csv_bytes, xlsx

from bangfu.accounts.models import Department
from bangfu.common.errors import AccessDenied, NotFound
from bangfu.exchange import selectors
from bangfu.exchange.departments.formats import FORMATS
from bangfu.exchange.models import Alert, DepartmentFact, Disagreement
from bangfu.exchange.services import department_upload, disagreement_resolve, import_start

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[2] / "bangfu" / "exchange" / "samples"


@pytest.fixture
def officer(make_user):
    def make(department: str):
        return make_user("department_officer", "province", department=department)
    return make


def upload(actor, rows: list[list], name: str = "data.csv", as_of=None):
    fmt = FORMATS[actor.department]
    content = csv_bytes(list(fmt.headers), rows) if name.endswith(".csv") else \
        xlsx({"数据": (list(fmt.headers), rows)})
    job = department_upload(actor=actor, name=name, content=content, as_of=as_of)
    return import_start(actor=actor, job=job)


def people(household):
    return {m.relation: m for m in household.members.all()}


@pytest.mark.parametrize("department", list(Department.values))
def test_every_sample_file_is_read_without_errors(officer, department):
    if department == Department.HEALTH:
        pytest.skip("卫生健康 data reach the union through 医保 (hospital stays)")
    actor = officer(department)
    job = department_upload(actor=actor, name=f"{department}.csv", content=(SAMPLES / f"{department}.csv").read_bytes())
    job = import_start(actor=actor, job=job)
    assert job.state == "done", job.message
    assert job.unmatched == job.total  # the samples' people are not in the test registry


def test_dibao_listed_but_not_declared_is_flagged_and_the_statement_kept(officer, make_household):
    household = make_household()
    worker = people(household)["self"]
    job = upload(officer("civil_affairs"), [[worker.id_number, worker.name, "低保", "2024-01-01", "900", "", ""],
                                            [build_unknown(), "无名", "低保", "", "", "", ""]])
    assert (job.state, job.written, job.unmatched, job.flagged) == ("done", 1, 1, 1)
    fact = DepartmentFact.objects.get(member=worker)
    assert fact.value["amount"] == "900.00" and fact.declared == {"dibao": False} and fact.department == "civil_affairs"
    flag = Disagreement.objects.get(household=household)
    assert flag.kind == "dibao" and "民政" in flag.message and flag.state == "open"


def build_unknown():
    import datetime

    from bangfu.common.ids import make_id_number

    return make_id_number("320500", datetime.date(1970, 1, 1), 77, "male")


def test_employment_school_stage_disability_and_business_disagreements(officer, make_household):
    household = make_household()
    p = people(household)
    upload(officer("human_resources"), [[p["self"].id_number, p["self"].name, "就业", "南京某物流公司", "", ""]])
    upload(officer("education"), [[p["child"].id_number, p["child"].name, "初中", "7", "某中学", "1800", ""]])
    upload(officer("disabled_federation"), [[p["spouse"].id_number, p["spouse"].name, "", "肢体", "二级", ""]])
    upload(officer("market_regulation"), [["91320102MA1XXXXX0T", "某便利店", "个体工商户", p["spouse"].id_number,
                                           p["spouse"].name, "2023-06-01", "存续", ""]], name="firms.xlsx")
    kinds = dict(Disagreement.objects.filter(household=household).values_list("kind", "message"))
    assert set(kinds) == {"employment", "school_stage", "disability", "business"}
    assert "登记失业" in kinds["employment"] and "南京某物流公司" in kinds["employment"]
    assert "小学" in kinds["school_stage"] and "初中" in kinds["school_stage"]


def test_matching_data_raise_no_flag_and_a_repeat_upload_does_not_duplicate(officer, make_household):
    household = make_household()
    child = people(household)["child"]
    actor = officer("education")
    for _ in range(2):
        job = upload(actor, [[child.id_number, child.name, "小学", "3", "某小学", "1200", ""]])
        assert job.flagged == 0
    assert DepartmentFact.objects.filter(member=child).count() == 1
    assert not Disagreement.objects.exists()


def test_a_bad_row_applies_nothing_and_the_file_comes_back_with_errors(officer, make_household):
    household = make_household()
    worker = people(household)["self"]
    job = upload(officer("civil_affairs"), [[worker.id_number, worker.name, "低保", "2024-01-01", "900", "", ""],
                                            ["32010219800101001X", "某", "救济", "", "abc", "", ""],
                                            [worker.id_number, worker.name, "低保", "2024-01-01", "900", "", ""],
                                            [worker.id_number, "=cmd|'/C calc'!A0", "死亡", "", "", "", ""]])
    assert job.state == "invalid" and job.error_rows == 3
    assert not DepartmentFact.objects.exists() and not Alert.objects.exists()
    with job.result_file.open("rb") as fh:
        text = fh.read().decode("utf-8-sig")
    assert "身份证号码无效" in text and "救助类别的取值无效" in text and "与第2行重复" in text and "公式" in text


def test_officers_upload_only_their_department_and_see_only_its_jobs(officer, users, make_household):
    household = make_household()
    worker = people(household)["self"]
    civil, hr = officer("civil_affairs"), officer("human_resources")
    job = upload(civil, [[worker.id_number, worker.name, "低保", "2024-01-01", "900", "", ""]])
    assert job.department == "civil_affairs"
    assert list(selectors.job_list(user=civil)) == [job]
    assert not selectors.job_list(user=hr).exists()
    with pytest.raises(NotFound):
        selectors.job_get(user=hr, pk=job.pk)
    with pytest.raises(NotFound):
        selectors.fact_list(user=civil, household_id=household.pk)  # officers see no households
    assert not selectors.alerts_for(civil).exists()
    for who in ("caseworker_g1", "admin_province"):
        with pytest.raises(AccessDenied):
            department_upload(actor=users[who], name="a.csv", content=b"x")


def test_a_disagreement_is_resolved_with_a_note_by_staff_of_the_area(officer, users, make_household):
    household = make_household()
    worker = people(household)["self"]
    upload(officer("human_resources"), [[worker.id_number, worker.name, "就业", "某公司", "", ""]])
    flag = Disagreement.objects.get()
    from bangfu.common.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        disagreement_resolve(actor=users["caseworker_g1"], disagreement=flag, note="  ")
    with pytest.raises(NotFound):
        disagreement_resolve(actor=users["caseworker_g4"], disagreement=flag, note="看过了")
    disagreement_resolve(actor=users["caseworker_g1"], disagreement=flag, note="入户核实:已于上月离职,有离职证明")
    flag.refresh_from_db()
    assert flag.state == "resolved" and flag.resolved_by == users["caseworker_g1"] and "离职" in flag.note


def test_an_officer_matches_only_the_households_of_their_area_and_learns_nothing_of_them(make_user,
                                                                                         make_household):
    nanjing, wuxi = people(make_household("g1"))["self"], people(make_household("g4"))["self"]
    actor = make_user("department_officer", "wuxi", department="civil_affairs")  # 无锡市: not 南京
    rows = [[m.id_number, m.name, "低保", "2024-01-01", "900", "", ""] for m in (nanjing, wuxi)]
    job = upload(actor, rows)
    assert DepartmentFact.objects.get().member == wuxi
    assert not DepartmentFact.objects.filter(member=nanjing).exists()
    assert list(Disagreement.objects.values_list("member", flat=True)) == [wuxi.pk]
    assert (job.written, job.unmatched, job.flagged) == (1, 1, 1)  # for union staff
    assert job.message == "已接收2行,已按身份证号码交工会比对"
    nobody = upload(actor, [[build_unknown(), "无名", "低保", "2024-01-01", "900", "", ""],
                            [nanjing.id_number, nanjing.name, "低保", "2024-01-01", "900", "", ""]])
    assert nobody.message == "已接收2行,已按身份证号码交工会比对"  # the same words whoever is in the registry


def test_a_failure_late_in_the_apply_leaves_no_fact_flag_or_alert(officer, make_household, monkeypatch):
    from bangfu.exchange.departments import runner

    p = people(make_household())
    monkeypatch.setattr(runner, "_audit", lambda *args: 1 / 0)
    job = upload(officer("civil_affairs"), [[p["self"].id_number, p["self"].name, "低保", "2024-01-01", "900", "", ""],
                                            [p["spouse"].id_number, p["spouse"].name, "死亡", "", "", "2025-02-03", ""]])
    assert job.state == "failed" and "数据库未做任何修改" in job.message
    assert not DepartmentFact.objects.exists() and not Disagreement.objects.exists() and not Alert.objects.exists()


@pytest.mark.parametrize("closed_as", ["resolved", "overridden"])
def test_a_closed_flag_stays_closed_for_the_same_data_and_new_data_flag_again(closed_as, officer, users,
                                                                              make_household):
    from django.db import transaction

    from bangfu.exchange.services import archive_check

    household = make_household()
    worker = people(household)["self"]
    actor = officer("human_resources")
    upload(actor, [[worker.id_number, worker.name, "就业", "某公司", "", ""]])
    with transaction.atomic():
        if closed_as == "resolved":
            disagreement_resolve(actor=users["caseworker_g1"], disagreement=Disagreement.objects.get(),
                                 note="入户核实:临时帮工,已离开")
        else:
            archive_check(actor=users["reviewer_xuanwu"], household=household, override_reason="已入户核实")
    again = upload(actor, [[worker.id_number, worker.name, "就业", "某公司", "", ""]])
    assert again.flagged == 0 and list(Disagreement.objects.values_list("state", flat=True)) == [closed_as]
    news = upload(actor, [[worker.id_number, worker.name, "就业", "另一家公司", "", ""]])
    assert news.flagged == 1
    flag = Disagreement.objects.get(state="open")
    assert flag.reported["employer"] == "另一家公司" and "另一家公司" in flag.message


def test_a_department_upload_shows_its_progress_while_applying(officer, make_household, monkeypatch):
    from bangfu.exchange.departments import runner
    from bangfu.exchange.models import ImportJob

    p = people(make_household())
    seen = []

    class Recorder:
        def __init__(self, job_id):
            self.job_id = job_id

        def __call__(self, count):
            job = ImportJob.objects.get(pk=self.job_id)
            seen.append((job.state, count, job.total))

        def close(self):
            pass
    monkeypatch.setattr(runner, "PROGRESS_EVERY", 1)
    monkeypatch.setattr(runner, "Progress", Recorder)
    job = upload(officer("human_resources"), [[m.id_number, m.name, "就业", "某公司", "", ""] for m in p.values()])
    assert seen == [("writing", 1, 3), ("writing", 2, 3), ("writing", 3, 3)]
    assert (job.state, job.processed, job.total) == ("done", 3, 3)
