"""Medical pages: the file's card, the bill form, the 结算单, the calculator; one good and one bad request each."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from bangfu.cases.services import case_take_over
from bangfu.common import clock
from bangfu.medical.models import MedicalBill
from bangfu.medical.services import medical_bill_record

pytestmark = pytest.mark.django_db


def last_month():
    """The income rule counts the whole months before the month of `as_of`."""
    import datetime

    return (clock.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


@pytest.fixture
def hardship(make_household, users):
    return case_take_over(actor=users["reviewer_xuanwu"], household=make_household("g1"), category="hardship").household


def form(household, **over) -> dict:
    worker = household.members.get(relation="self")
    return {"member": worker.pk, "billed_on": clock.today().isoformat(), "hospital": "南京鼓楼医院",
            "hospital_level": "tertiary", "kind": "inpatient", "scheme": "resident", "total": "80000",
            "in_scope": "60000", **over}


def test_a_bill_entered_on_the_form_is_settled_and_shown_on_the_file(login, users, hardship):
    client = login(users["caseworker_g1"])
    response = client.post(reverse("web:bill_create", args=[hardship.pk]), form(hardship))
    bill = MedicalBill.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:bill_detail", args=[bill.pk])
    page = client.get(response["Location"]).content.decode()
    assert "医疗费用一站式结算单" in page and "38,350.00 元" in page and "32,452.50 元" in page
    assert "37,660.00 元" in page  # the ordinary patient beside
    assert "患者或家属(签字)" in page and "第7条" in page and "示例值" in page
    assert "*" in page and hardship.members.get(relation="self").id_number not in page  # masked
    file_page = client.get(reverse("web:household_detail", args=[hardship.pk])).content.decode()
    assert "医疗费用与一站式结算" in file_page and "32,452.50 元" in file_page and "南京鼓楼医院" in file_page


def test_a_bad_bill_is_refused_on_its_field(login, users, hardship):
    client = login(users["caseworker_g1"])
    response = client.post(reverse("web:bill_create", args=[hardship.pk]), form(hardship, in_scope="90000"))
    assert response.status_code == 422 and "政策范围内费用不能超过医疗总费用" in response.content.decode()
    assert not MedicalBill.objects.exists()


def test_pages_of_another_area_are_not_found(login, users, hardship):
    bill = medical_bill_record(actor=users["caseworker_g1"], household=hardship,
                               member=hardship.members.get(relation="self"), data={k: v for k, v in form(
                                   hardship).items() if k != "member"})
    client = login(users["caseworker_g2"])
    assert client.get(reverse("web:bill_detail", args=[bill.pk])).status_code == 404
    assert client.post(reverse("web:bill_create", args=[hardship.pk]), form(hardship)).status_code == 404
    assert client.post(reverse("web:bill_delete", args=[bill.pk])).status_code == 404
    assert login(users["auditor_province"]).post(reverse("web:bill_create", args=[hardship.pk]),
                                                form(hardship)).status_code == 403
    assert MedicalBill.objects.count() == 1


def test_the_file_pins_its_queries_whatever_the_number_of_bills(login, users, hardship):
    client = login(users["caseworker_g1"])
    url = reverse("web:household_detail", args=[hardship.pk])
    data = {k: v for k, v in form(hardship).items() if k != "member"}
    client.get(url)
    # each count taken just after bills are recorded: the file's cards rendered anew, not read from the cache
    medical_bill_record(actor=users["caseworker_g1"], household=hardship,
                        member=hardship.members.get(relation="self"), data=data)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for relation in ("spouse", "child", "self"):
        medical_bill_record(actor=users["caseworker_g1"], household=hardship,
                            member=hardship.members.get(relation=relation), data=data)
    with CaptureQueriesContext(connection) as four:
        assert client.get(url).status_code == 200
    assert len(four) == len(one)


def test_the_calculator_shows_the_family_share_beside_the_ordinary_patient(login, users):
    client = login(users["caseworker_g1"])
    query = {"billed_on": clock.today().isoformat(), "region": "320100", "category": "hardship",
             "relation": "self", "scheme": "resident", "kind": "inpatient", "hospital_level": "tertiary",
             "total": "80000", "in_scope": "60000"}
    page = client.get(reverse("web:medical_calculator"), query).content.decode()
    assert "家庭约需自付 <strong>32,452.50 元</strong>" in page and "普通参保患者需自付 37,660.00 元" in page
    assert f"少付 {Decimal('5207.50'):,.2f} 元" in page
    bad = client.get(reverse("web:medical_calculator"), {**query, "in_scope": "90000"})
    assert bad.status_code == 422 and "政策范围内费用不能超过医疗总费用" in bad.content.decode()
    assert client.get(reverse("web:medical_calculator")).status_code == 200


def test_the_calculator_starts_from_a_member_of_a_file(login, users, hardship):
    worker = hardship.members.get(relation="self")
    page = login(users["caseworker_g1"]).get(reverse("web:medical_calculator"), {"member": worker.pk})
    assert worker.name in page.content.decode()
    assert login(users["caseworker_g2"]).get(reverse("web:medical_calculator"),
                                             {"member": worker.pk}).status_code == 404


def test_a_measure_is_planned_from_the_family_share(login, users, hardship):
    from bangfu.cases.models import Case
    from bangfu.cases.services import plan_create

    cw = users["caseworker_g1"]
    medical_bill_record(actor=cw, household=hardship, member=hardship.members.get(relation="self"),
                        data={k: v for k, v in form(hardship).items() if k != "member"})
    year = clock.today().year
    plan_create(actor=cw, case=Case.objects.get(household=hardship), year=year)
    client = login(cw)
    page = client.get(reverse("web:household_detail", args=[hardship.pk])).content.decode()
    assert "以家庭自付部分制定帮扶措施" in page
    plan = client.get(reverse("web:plan_detail", args=[hardship.pk, year]),
                      {"kind": "donation", "amount": "32452.50", "title": "医疗费用家庭自付部分帮扶(第12条、第22条)"})
    text = plan.content.decode()
    assert plan.status_code == 200 and 'value="32452.50"' in text and "医疗费用家庭自付部分帮扶" in text
    # an auditor sees the card but is offered no measure
    assert "以家庭自付部分制定帮扶措施" not in login(users["auditor_province"]).get(
        reverse("web:household_detail", args=[hardship.pk])).content.decode()


def test_the_card_warns_when_the_family_share_passes_the_accident_line(login, users, hardship):
    from bangfu.registry.services import income_set

    cw = users["caseworker_g1"]
    income_set(actor=cw, household=hardship, month=last_month(), source="wages",
               amount=Decimal("3000"))
    url = reverse("web:household_detail", args=[hardship.pk])
    assert "意外致困认定线" not in login(cw).get(url).content.decode()
    medical_bill_record(actor=cw, household=hardship, member=hardship.members.get(relation="self"),
                        data={k: v for k, v in form(hardship).items() if k != "member"})
    page = login(cw).get(url).content.decode()
    assert "占家庭收入的 <strong>90.1%</strong>" in page  # 32452.50 of 36000
    assert "家庭自付医疗费用超过家庭年收入的80%,达到意外致困认定线" in page
