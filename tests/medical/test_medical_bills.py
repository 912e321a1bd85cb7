"""Medical bills in the household file: recorded, chained over a member's year, audited, restricted, versioned."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bangfu.audit.models import AuditEntry
from bangfu.cases.services import case_take_over
from bangfu.common import clock
from bangfu.common.errors import AccessDenied, Conflict, NotFound, ValidationFailed
from bangfu.medical import selectors
from bangfu.medical.models import MedicalBill
from bangfu.medical.services import medical_bill_delete, medical_bill_record, medical_bill_update

pytestmark = pytest.mark.django_db


def last_month():
    """The income rule counts the whole months before the month of `as_of`."""
    import datetime

    return (clock.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def people(household):
    return {m.relation: m for m in household.members.all()}


def bill_data(**over) -> dict:
    today = clock.today()
    return {"billed_on": today.isoformat(), "hospital": "江苏省人民医院", "hospital_level": "tertiary",
            "kind": "inpatient", "scheme": "resident", "total": "80000", "in_scope": "60000", **over}


@pytest.fixture
def hardship(make_household, users):
    household = make_household("g1")
    return case_take_over(actor=users["reviewer_xuanwu"], household=household, category="hardship").household


def test_a_recorded_bill_is_audited_and_settled(hardship, users):
    worker = people(hardship)["self"]
    bill = medical_bill_record(actor=users["caseworker_g1"], household=hardship, member=worker, data=bill_data())
    entry = AuditEntry.objects.get(action="medical_bill.create")
    assert entry.object_id == str(bill.pk) and entry.area_path == hardship.union.path
    settled = selectors.medical_bill_settled(user=users["caseworker_g1"], pk=bill.pk)
    layers = {layer["code"]: layer["amount"] for layer in settled.answer["layers"]}
    # shipped illustrative figures: basic (60000-1000)*65 % = 38350; 大病 (21650-7500)*(60+5) % = 9197.50
    assert layers["medical.basic_insurance"] == Decimal("38350.00")
    assert layers["medical.critical_illness_insurance"] == Decimal("9197.50")
    assert settled.answer["out_of_pocket"] == Decimal("32452.50")
    ordinary = selectors.medical_bill_settled(user=users["caseworker_g1"], pk=bill.pk, ordinary=True)
    assert ordinary.answer["out_of_pocket"] == Decimal("37660.00")  # 大病 (21650-15000)*60 % = 3990


def test_the_second_bill_of_the_year_starts_where_the_first_left_the_threshold(hardship, users):
    cw, worker = users["caseworker_g1"], people(hardship)["self"]
    medical_bill_record(actor=cw, household=hardship, member=worker, data=bill_data())
    second = medical_bill_record(actor=cw, household=hardship, member=worker,
                                 data=bill_data(total="12000", in_scope="10000"))
    settled = selectors.medical_bill_settled(user=cw, pk=second.pk)
    layers = {layer["code"]: layer for layer in settled.answer["layers"]}
    # basic (10000-1000)*65 % = 5850; B = 4150, all above the halved threshold already reached: 4150*65 % = 2697.50
    assert layers["medical.basic_insurance"]["amount"] == Decimal("5850.00")
    assert layers["medical.critical_illness_insurance"]["amount"] == Decimal("2697.50")
    assert "由21650元增至25800元" in layers["medical.critical_illness_insurance"]["explanation"]
    # alone, the same bill would pay no 大病 at all (4150 is below 7500)
    other = people(hardship)["spouse"]
    alone = medical_bill_record(actor=cw, household=hardship, member=other, data=bill_data(total="12000",
                                                                                            in_scope="10000"))
    assert selectors.medical_bill_settled(user=cw, pk=alone.pk).by_code[
        "medical.critical_illness_insurance"] == Decimal("0.00")


@pytest.mark.parametrize(("over", "field"), [
    ({"in_scope": "90000"}, "in_scope"),
    ({"total": "-1"}, "total"),
    ({"total": "1.234"}, "total"),
    ({"hospital_level": "clinic"}, "hospital_level"),
    ({"billed_on": "2099-01-01"}, "billed_on"),
    ({"billed_on": "2018-12-31"}, "billed_on"),
    ({"scheme": ""}, "scheme"),
    ({"colour": "red"}, "colour"),
])
def test_bad_bills_are_refused_naming_the_field(hardship, users, over, field):
    with pytest.raises(ValidationFailed) as info:
        medical_bill_record(actor=users["caseworker_g1"], household=hardship, member=people(hardship)["self"],
                            data=bill_data(**over))
    assert info.value.field == field
    assert not MedicalBill.objects.exists() and not AuditEntry.objects.filter(action="medical_bill.create").exists()


def test_a_member_of_another_household_is_refused(hardship, make_household, users):
    other = make_household("g1")
    with pytest.raises(ValidationFailed) as info:
        medical_bill_record(actor=users["caseworker_g1"], household=hardship, member=people(other)["self"],
                            data=bill_data())
    assert info.value.field == "member"


@pytest.mark.parametrize(("who", "error"), [
    ("caseworker_g1", None), ("admin_nanjing", None), ("admin_province", None),
    ("caseworker_g2", NotFound), ("caseworker_g4", NotFound), ("auditor_wuxi", NotFound),
    ("reviewer_xuanwu", AccessDenied), ("auditor_province", AccessDenied), ("officer", NotFound),
])
def test_who_may_record_a_bill(hardship, users, who, error):
    call = lambda: medical_bill_record(actor=users[who], household=hardship,  # noqa: E731
                                       member=people(hardship)["self"], data=bill_data())
    if error is None:
        assert call().pk
    else:
        with pytest.raises(error):
            call()


@pytest.mark.parametrize(("who", "seen"), [
    ("caseworker_g1", True), ("reviewer_xuanwu", True), ("auditor_province", True), ("admin_nanjing", True),
    ("caseworker_g2", False), ("auditor_wuxi", False), ("officer", False),
])
def test_who_sees_a_bill(hardship, users, who, seen):
    bill = medical_bill_record(actor=users["caseworker_g1"], household=hardship, member=people(hardship)["self"],
                               data=bill_data())
    assert selectors.medical_bill_list(user=users[who], household=hardship).exists() is seen
    if not seen:
        with pytest.raises(NotFound):
            selectors.medical_bill_get(user=users[who], pk=bill.pk)


def test_a_stale_edit_is_refused_and_a_good_one_audited(hardship, users):
    cw = users["caseworker_g1"]
    bill = medical_bill_record(actor=cw, household=hardship, member=people(hardship)["self"], data=bill_data())
    bill = medical_bill_update(actor=cw, bill=bill, data={"in_scope": "50000"}, version=1)
    assert bill.version == 2 and bill.in_scope == Decimal("50000.00") and bill.total == Decimal("80000.00")
    entry = AuditEntry.objects.get(action="medical_bill.update")
    assert entry.before == {"in_scope": "60000.00", "version": 1} and entry.after["in_scope"] == "50000.00"
    with pytest.raises(Conflict) as stale:
        medical_bill_update(actor=cw, bill=bill, data={"in_scope": "40000"}, version=1)
    payload = stale.value.extra  # the one conflict payload of every versioned object
    assert (payload["your_version"], payload["version"], payload["changed_by"]) == (1, 2, cw.get_full_name() or cw.username)
    assert payload["changes"][-1]["before"] == {"in_scope": "60000.00", "version": 1}
    assert payload["current"]["in_scope"] == "50000.00"
    with pytest.raises(ValidationFailed):
        medical_bill_update(actor=cw, bill=bill, data={"in_scope": "90000"}, version=2)
    medical_bill_delete(actor=cw, bill=bill)
    assert not MedicalBill.objects.exists() and AuditEntry.objects.filter(action="medical_bill.delete").exists()


def test_the_year_adds_up_against_income(hardship, users):
    from bangfu.registry.services import income_set

    cw = users["caseworker_g1"]
    today = clock.today()
    income_set(actor=cw, household=hardship, month=last_month(), source="wages", amount=Decimal("3000"))
    medical_bill_record(actor=cw, household=hardship, member=people(hardship)["self"], data=bill_data())
    summary = selectors.medical_year(user=cw, household=hardship, year=today.year, as_of=today)
    assert summary.total == Decimal("80000.00")
    assert summary.by_payer["medical.basic_insurance"] == Decimal("38350.00")
    assert summary.family_share == Decimal("32452.50")
    assert summary.annual_income == Decimal("36000.00")
    assert summary.share_of_income == Decimal("90.1")  # 32452.50 / 36000


def test_the_year_takes_bills_read_with_the_household_only_when_all_were_read(hardship, users):
    from django.db import connection
    from django.db.models import Prefetch, prefetch_related_objects
    from django.test.utils import CaptureQueriesContext

    from bangfu.exchange.identification import read_for_identification
    from bangfu.registry.models import Household

    cw = users["caseworker_g1"]
    today = clock.today()
    medical_bill_record(actor=cw, household=hardship, member=people(hardship)["self"], data=bill_data())
    medical_bill_record(actor=cw, household=hardship, member=people(hardship)["self"],
                        data=bill_data(total="1000.00", in_scope="800.00"))
    expected = selectors.medical_year(user=cw, household=hardship, year=today.year, as_of=today)
    assert expected.total == Decimal("81000.00")
    # a filtered prefetch of the bills (the large one only) is not the year's bills: they are read again
    filtered = Household.objects.select_related("union").get(pk=hardship.pk)
    prefetch_related_objects([filtered], Prefetch("medical_bills", queryset=MedicalBill.objects.filter(
        total__gt=Decimal("5000"))))
    assert selectors.medical_year(user=cw, household=filtered, year=today.year, as_of=today).total == expected.total
    # the identification's read (every bill) is taken as it is: no query for the bills
    read = Household.objects.select_related("union").get(pk=hardship.pk)
    read_for_identification([read])
    with CaptureQueriesContext(connection) as queries:
        found = selectors.medical_year(user=cw, household=read, year=today.year, as_of=today)
    assert not [q for q in queries.captured_queries if MedicalBill._meta.db_table in q["sql"]]
    assert found.total == expected.total and found.family_share == expected.family_share


def test_a_figure_an_administrator_confirms_is_used_and_no_longer_illustrative(hardship, users):
    import datetime

    from bangfu.standards.services import standard_request_approve, standard_request_propose

    bill = medical_bill_record(actor=users["caseworker_g1"], household=hardship, member=people(hardship)["self"],
                               data=bill_data())
    for value, expected in (("10", Decimal("9905.00")), ("12", Decimal("9905.00"))):
        request = standard_request_propose(
            actor=users["admin_nanjing"], parameter="medical.critical_insurance.bonus_points", region_code="320100",
            start=datetime.date(2019, 1, 10), value=value,
            document="南京市医疗保障局关于困难职工家庭成员大病保险倾斜支付的通知(示例)")
        standard_request_approve(actor=users["admin_province"], request_id=request.pk)  # the four eyes
        settled = selectors.medical_bill_settled(user=users["caseworker_g1"], pk=bill.pk)
        critical = settled.answer["layers"][1]
        # 14150 above the halved threshold at 60 + 10 % (a figure above 10 points is held at Article 7's 10)
        assert critical["amount"] == expected and critical["details"]["bonus_points"] == 10
        assert "bonus_points" not in critical["details"]["illustrative"]


def test_the_demo_records_bills_once(hardship, users):
    from bangfu.medical.demo import load_medical_demo

    assert load_medical_demo(households=3) >= 1
    count = MedicalBill.objects.count()
    assert AuditEntry.objects.filter(action="medical_bill.create").count() == count
    assert load_medical_demo(households=3) == 0 and MedicalBill.objects.count() == count
