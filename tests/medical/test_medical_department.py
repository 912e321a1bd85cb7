"""医保's file fills bills in; a 个人自付 that differs from the one-stop settlement is a flag; identification counts
the family's settled share (意外致困)."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest

from bangfu.cases.services import case_take_over
from bangfu.common import clock
from bangfu.exchange.departments.formats import FORMATS
from bangfu.exchange.identification import propose_category
from bangfu.exchange.models import Disagreement
from bangfu.exchange.services import department_upload, import_start
from bangfu.medical.models import MedicalBill
from bangfu.medical.services import medical_bill_record
from bangfu.registry.services import income_set

pytestmark = pytest.mark.django_db


def last_month():
    """The income rule counts the whole months before the month of `as_of`."""
    import datetime

    return (clock.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def csv_bytes(headers: list, rows: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([headers, *rows])
    return out.getvalue().encode("utf-8-sig")


@pytest.fixture
def send(make_user):
    def send(rows: list[list]):
        actor = make_user("department_officer", "province", department="medical_security")
        headers = list(FORMATS["medical_security"].headers)
        job = import_start(actor=actor, job=department_upload(actor=actor, name="d.csv",
                                                              content=csv_bytes(headers, rows)))
        assert job.state == "done", job.message
        return job
    return send


@pytest.fixture
def hardship(make_household, users):
    return case_take_over(actor=users["reviewer_xuanwu"], household=make_household("g1"), category="hardship").household


def worker_of(household):
    return household.members.get(relation="self")


def test_a_stay_fills_a_bill_in_and_a_different_self_pay_is_flagged(hardship, send):
    worker = worker_of(hardship)
    admitted = clock.today() - datetime.timedelta(days=20)
    discharged = admitted + datetime.timedelta(days=10)
    # the worker is not in the resident scheme: the employee scheme, as a secondary hospital (医保 gives no level):
    # basic (80000-600)*88 % = 69872, no 大病 layer -> 10128
    send([[worker.id_number, worker.name, admitted.isoformat(), discharged.isoformat(), "某医院", "80000", "30000",
           ""]])
    bill = MedicalBill.objects.get()
    assert (bill.member, bill.billed_on, bill.total, bill.in_scope) == (worker, discharged, Decimal("80000.00"),
                                                                       Decimal("80000.00"))
    assert bill.source == "medical_security" and bill.reported_self_paid == Decimal("30000.00")
    assert "请核实" in bill.notes
    flag = Disagreement.objects.get()
    assert flag.kind == f"medical:{admitted.isoformat()}" and flag.member == worker
    assert "个人自付30000.00元" in flag.message and "应为10128.00元" in flag.message
    # the same stay again with 医保's figure agreeing: the bill is brought up to date, no new flag
    send([[worker.id_number, worker.name, admitted.isoformat(), discharged.isoformat(), "某医院", "80000",
           "10128.00", ""]])
    assert MedicalBill.objects.count() == 1 and MedicalBill.objects.get().version == 2
    assert Disagreement.objects.count() == 1


def test_an_agreeing_self_pay_raises_no_flag(hardship, send):
    worker = worker_of(hardship)
    admitted = clock.today() - datetime.timedelta(days=5)
    send([[worker.id_number, worker.name, admitted.isoformat(), "", "某医院", "10000", "2500", ""]])
    # (10000-600)*88 % = 8272 -> 1728; 医保 says 2500: a flag
    assert Disagreement.objects.count() == 1
    Disagreement.objects.all().delete()
    MedicalBill.objects.all().delete()
    send([[worker.id_number, worker.name, admitted.isoformat(), "", "某医院", "10000", "1728", ""]])
    assert MedicalBill.objects.count() == 1 and not Disagreement.objects.exists()


def test_the_family_share_of_its_bills_can_make_the_proposal_accident(hardship, users):
    cw, today = users["caseworker_g1"], clock.today()
    income_set(actor=cw, household=hardship, month=last_month(), source="wages", amount=Decimal("9000"))
    assert propose_category(hardship, today)["category"] == "none"  # 3000 a person
    medical_bill_record(actor=cw, household=hardship, member=worker_of(hardship), data={
        "billed_on": today.isoformat(), "hospital_level": "tertiary", "scheme": "resident", "total": "300000",
        "in_scope": "200000"})
    proposal = propose_category(hardship, today)
    # basic (200000-1000)*65 % = 129350; 大病: 70650 above 7500: 42500*65 % + 20650*70 % = 27625 + 14455 = 42080
    # family: 300000 - 129350 - 42080 = 128570 > 80 % of 108000
    assert proposal["figures"]["medical_self_pay"] == Decimal("128570.00")
    # the costs leave less than nothing a person: the proposal goes from none to 特困, with the 意外致困 reason
    assert proposal["category"] == "extreme_hardship" and any("意外致困" in r for r in proposal["reasons"])
