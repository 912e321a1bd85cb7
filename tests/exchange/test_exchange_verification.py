"""The verification report, the archive rule with open disagreements, the proposed category, and alerts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from exchange_files import csv_bytes

from bangfu.audit.models import AuditEntry
from bangfu.cases import services as cases
from bangfu.cases.parameters import add_months
from bangfu.cases.services import case_take_over
from bangfu.common import clock
from bangfu.common.errors import NotFound, ValidationFailed
from bangfu.exchange import selectors
from bangfu.exchange.departments.formats import FORMATS
from bangfu.exchange.identification import propose_category
from bangfu.exchange.models import Alert, Disagreement
from bangfu.exchange.services import alert_resolve, department_upload, import_start
from bangfu.registry.services import income_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(make_user):
    def send(department: str, rows: list[list]):
        actor = make_user("department_officer", "province", department=department)
        job = department_upload(actor=actor, name="d.csv", content=csv_bytes(list(FORMATS[department].headers), rows))
        job = import_start(actor=actor, job=job)
        assert job.state == "done", job.message
        return job
    return send


def people(household):
    return {m.relation: m for m in household.members.all()}




def test_an_open_disagreement_blocks_archiving_unless_overridden_with_a_reason(users, make_household, send,
                                                                              noticed):
    household = make_household()
    worker = people(household)["self"]
    send("human_resources", [[worker.id_number, worker.name, "就业", "某公司", "", ""]])
    case = noticed(users["caseworker_g1"], cases.case_open(actor=users["caseworker_g1"], household=household))
    reviewer = users["reviewer_xuanwu"]
    with pytest.raises(ValidationFailed, match="不一致尚未处理"):
        cases.case_archive(actor=reviewer, case=case, version=case.version, category="hardship")
    case.refresh_from_db()
    assert case.state == "public_notice"
    case = cases.case_archive(actor=reviewer, case=case, version=case.version, category="hardship",
                              override_reason="已核实:临时性劳务,收入不稳定")
    assert case.state == "archived"
    flag = Disagreement.objects.get()
    assert flag.state == "overridden" and flag.resolved_by == reviewer and "临时性劳务" in flag.note
    assert AuditEntry.objects.filter(action="exchange.disagreement_override").exists()


def test_the_report_lists_each_fact_with_its_source_and_each_disagreement(users, make_household, send):
    household = make_household()
    p = people(household)
    send("civil_affairs", [[p["self"].id_number, p["self"].name, "低保", "2024-01-01", "900", "", "2025-01-31"]])
    report = selectors.verification_report(user=users["caseworker_g1"], household_id=household.pk,
                                           as_of=clock.today())
    fact = report["facts"][0]
    assert (fact["source"], fact["source_date"], fact["declared"]) == ("民政", "2025-01-31", {"dibao": False})
    assert any(row["source"] == "家庭申报" and row["label"] == "享受城市低保" for row in report["declared"])
    assert report["open_disagreements"] == 1 and "低保" in report["disagreements"][0]["message"]
    assert "*" in report["members"][0]["id_number"]  # masked
    with pytest.raises(NotFound):
        selectors.verification_report(user=users["caseworker_g4"], household_id=household.pk,
                                      as_of=clock.today())


def _income(users, household, amount: str, month: datetime.date | None = None) -> None:
    """Income of last month: the income rule counts whole months before the month of `as_of`."""
    month = month or add_months(clock.today().replace(day=1), -1)
    income_set(actor=users["caseworker_g1"], household=household, month=month, source="wages",
               amount=Decimal(amount))


def test_the_category_follows_income_after_rigid_expenses_and_the_dibao_standard(users, make_household, send):
    household = make_household()  # 南京: illustrative 低保 standard 900 a month; three people
    today = clock.today()
    _income(users, household, "2400")  # 800 per person: below 900
    assert propose_category(household, today)["category"] == "extreme_hardship"
    _income(users, household, "4500")  # 1500 per person: below twice the standard
    proposal = propose_category(household, today)
    assert proposal["category"] == "hardship" and "相对困难" in proposal["reasons"][0]
    _income(users, household, "9000")  # 3000 per person: above
    assert propose_category(household, today)["category"] == "none"
    worker = people(household)["self"]
    admitted = (today - datetime.timedelta(days=30)).isoformat()
    send("medical_security", [[worker.id_number, worker.name, admitted, "", "某医院", "150000", "90000", ""]])
    proposal = propose_category(household, today)
    assert proposal["figures"]["medical_self_pay"] == Decimal("90000")
    assert proposal["category"] == "extreme_hardship"  # (108000 - 90000) / 12 / 3 = 500 a month
    assert any("意外致困" in r for r in proposal["reasons"])  # 90000 > 80 % of 108000
    assert proposal["parameters"]["accident_expense_share"]["reference"]["article"] == 26


def test_alerts_for_a_death_a_double_benefit_and_a_relapse_stay_until_resolved(users, make_household, send,
                                                                                exit_household):
    archived, exited = make_household(), make_household()
    case_take_over(actor=users["reviewer_xuanwu"], household=archived, category="extreme_hardship")
    exit_household(exited)
    a, e = people(archived), people(exited)
    send("civil_affairs", [[a["spouse"].id_number, "李娜", "死亡", "", "", "2025-01-02", ""],
                           [a["self"].id_number, "张伟", "特困供养", "2024-01-01", "1200", "", ""]])
    send("medical_security", [[e["self"].id_number, "张伟", "2025-05-01", "", "某医院", "9000", "4000", ""]])
    send("human_resources", [[e["spouse"].id_number, "李娜", "登记失业", "", "", ""]])
    kinds = sorted(Alert.objects.values_list("kind", flat=True))
    assert kinds == ["death", "duplicate_benefit", "relapse", "relapse"]
    raised = AuditEntry.objects.filter(action="exchange.alert_raise")
    assert sorted(raised.values_list("after__alert", flat=True)) == sorted(Alert.objects.values_list("pk", flat=True))
    mine = selectors.alerts_for(users["caseworker_g1"])
    assert mine.count() == 4 and not selectors.alerts_for(users["caseworker_g4"]).exists()
    send("medical_security", [[e["self"].id_number, "张伟", "2025-05-01", "", "某医院", "9000", "4000", ""]])
    assert Alert.objects.count() == 4  # the same stay again: no second alert
    alert = Alert.objects.get(kind="death")
    with pytest.raises(ValidationFailed):
        alert_resolve(actor=users["caseworker_g1"], alert=alert, note="")
    alert_resolve(actor=users["caseworker_g1"], alert=alert, note="已核实,办理成员注销")
    assert selectors.alerts_for(users["caseworker_g1"]).count() == 3


def test_an_exited_household_whose_income_fell_below_the_dibao_line_is_flagged(users, make_household,
                                                                              exit_household):
    from bangfu.exchange.alerts import relapse_scan

    exited, steady = make_household(), make_household()
    _income(users, exited, "1500")  # three people: 500 each, below 900
    _income(users, steady, "9000")
    for household in (exited, steady):
        exit_household(household)
    assert relapse_scan(as_of=clock.today()) == 1
    assert relapse_scan(as_of=clock.today()) == 0  # stays one alert until resolved
    alert = Alert.objects.get()
    assert alert.household == exited and "低于困难职工家庭认定线1800.00元" in alert.message
    audited = AuditEntry.objects.get(action="exchange.alert_raise")
    assert audited.object_id == str(exited.pk) and audited.after["alert"] == alert.pk and audited.actor is None


def test_the_annual_income_of_1475_1183_and_1292_is_15800_exactly(users, make_household, build, send):
    """Issue 17: 15,800.00 (not 15,800.04) and, after 100 yuan of school costs, 1308.33 a month (not 1308.34)."""
    household = make_household(members=[build.member("self", region="320100")])
    first = add_months(clock.today().replace(day=1), -3)
    for i, amount in enumerate(("1475", "1183", "1292")):
        _income(users, household, amount, add_months(first, i))
    proposal = propose_category(household, clock.today())
    assert proposal["figures"]["annual_income"] == Decimal("15800.00")
    assert proposal["figures"]["per_capita_monthly_after_rigid"] == Decimal("1316.67")
    worker = people(household)["self"]
    admitted = (clock.today() - datetime.timedelta(days=30)).isoformat()
    send("medical_security", [[worker.id_number, worker.name, admitted, "", "某医院", "600", "100", ""]])
    figures = propose_category(household, clock.today())["figures"]
    assert figures["medical_self_pay"] == Decimal("100") and figures["annual_income"] == Decimal("15800.00")
    assert figures["per_capita_monthly_after_rigid"] == Decimal("1308.33")


def test_a_file_without_income_records_proposes_nothing_and_says_income_is_missing(make_household, build):
    """Issue 17: an employed spouse and no income entered yet is not 特困 at 0.00 a month."""
    household = make_household(members=[build.member("self", born=datetime.date(1985, 1, 1)),
                                         build.member("spouse", sex="female", employment="employed")])
    proposal = propose_category(household, clock.today())
    assert proposal["category"] is None and proposal["label"] == "无法测算"
    assert "收入信息缺失" in proposal["reasons"][0] and "0.00" not in "".join(proposal["reasons"])
    assert proposal["figures"]["annual_income"] is None and proposal["figures"]["months_recorded"] == 0


def test_the_report_shows_15800_and_1308_33_and_says_when_income_is_missing(users, make_household, build, send,
                                                                              login):
    """Issue 17, items 2 and 3, on the 核对报告 itself."""
    household = make_household(members=[build.member("self", region="320100")])
    client = login(users["caseworker_g1"])
    empty = client.get(f"/households/{household.pk}/report/").content.decode()
    assert "收入信息缺失" in empty and "人均月收入0.00元" not in empty
    assert "扣除刚性支出后人均月收入</th><td>—" in empty
    first = add_months(clock.today().replace(day=1), -3)
    for i, amount in enumerate(("1475", "1183", "1292")):
        _income(users, household, amount, add_months(first, i))
    worker = people(household)["self"]
    admitted = (clock.today() - datetime.timedelta(days=30)).isoformat()
    send("medical_security", [[worker.id_number, worker.name, admitted, "", "某医院", "600", "100", ""]])
    page = client.get(f"/households/{household.pk}/report/").content.decode()
    assert "15,800.00 元" in page and "1,308.33 元" in page and "15,800.04" not in page


def test_the_exit_review_counts_the_members_identification_counts(users, make_household, send):
    """A member 民政 reports dead is left out of the household size by identification and by the exit review."""
    from bangfu.cases.reviews import exit_suggestion

    household = make_household()
    case_take_over(actor=users["reviewer_xuanwu"], household=household, category="hardship")
    spouse = people(household)["spouse"]
    send("civil_affairs", [[spouse.id_number, spouse.name, "死亡", "", "", "2025-01-02", ""]])
    _income(users, household, "3600")  # 1800 each for the two counted: at the 困难 line (2 × 900)
    today = clock.today()
    proposal = propose_category(household, today)
    months = exit_suggestion(household, today)["months"]
    assert proposal["figures"]["members"] == months[-1]["members"] == 2
    assert proposal["category"] == "none" and months[-1]["above"] and months[-1]["per_capita"] == Decimal("1800.00")


def test_the_report_and_the_file_propose_nothing_without_income(users, make_household, build, login):
    """Issue 17 item 3 on the pages: an employed spouse and no income entered yet is no 特困 at 0.00 a month, on
    the 核对报告 and on the file's 部门核对 card alike (both show `propose_category`)."""
    from django.urls import reverse

    household = make_household(members=[build.member("self", born=datetime.date(1985, 1, 1)),
                                         build.member("spouse", sex="female", employment="employed")])
    client = login(users["caseworker_g1"])
    report = client.get(reverse("web:verification_report", args=[household.pk])).content.decode()
    assert "建议类别:无法测算" in report and "收入信息缺失" in report
    assert "(深度困难)</li>" not in report and "人均月收入0.00" not in report
    card = client.get(reverse("web:household_detail", args=[household.pk])).content.decode()
    assert "系统建议类别:<strong>无法测算" in card and "收入信息缺失" in card and "人均月收入0.00" not in card
