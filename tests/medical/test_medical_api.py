"""The medical bill endpoints: one good and one bad request each, area access, the stale version."""

from __future__ import annotations

import json

import pytest

from bangfu.cases.services import case_take_over
from bangfu.common import clock
from bangfu.medical.models import MedicalBill

pytestmark = pytest.mark.django_db


@pytest.fixture
def hardship(make_household, users):
    return case_take_over(actor=users["reviewer_xuanwu"], household=make_household("g1"), category="hardship").household


def body(household, **over) -> dict:
    return {"member_id": household.members.get(relation="self").pk, "billed_on": clock.today().isoformat(),
            "hospital_level": "tertiary", "scheme": "resident", "total": 80000, "in_scope": 60000, **over}


def post(client, household, data):
    return client.post(f"/api/v1/households/{household.pk}/medical-bills", data=json.dumps(data),
                       content_type="application/json")


def test_record_list_change_and_delete_a_bill(login, users, hardship):
    client = login(users["caseworker_g1"])
    created = post(client, hardship, body(hardship))
    assert created.status_code == 201
    out = json.loads(created.content)
    assert out["settlement"]["out_of_pocket"] == 32452.5 and out["family_share"] == 32452.5
    listed = json.loads(client.get(f"/api/v1/households/{hardship.pk}/medical-bills").content)
    assert [b["id"] for b in listed] == [out["id"]]
    patched = client.patch(f"/api/v1/medical-bills/{out['id']}", data=json.dumps({"version": 1, "in_scope": 50000}),
                           content_type="application/json")
    assert patched.status_code == 200 and json.loads(patched.content)["version"] == 2
    stale = client.patch(f"/api/v1/medical-bills/{out['id']}", data=json.dumps({"version": 1, "in_scope": 1}),
                         content_type="application/json")
    assert stale.status_code == 409
    assert client.delete(f"/api/v1/medical-bills/{out['id']}").status_code == 204
    assert not MedicalBill.objects.exists()


def test_a_bad_bill_is_422_naming_the_field(login, users, hardship):
    response = post(login(users["caseworker_g1"]), hardship, body(hardship, in_scope=90000))
    assert response.status_code == 422 and json.loads(response.content)["field"] == "in_scope"
    response = login(users["caseworker_g1"]).get(f"/api/v1/households/{hardship.pk}/medical-bills?year=1990")
    assert response.status_code == 422


def test_another_area_finds_nothing(login, users, hardship):
    created = json.loads(post(login(users["caseworker_g1"]), hardship, body(hardship)).content)
    other = login(users["caseworker_g2"])
    assert other.get(f"/api/v1/medical-bills/{created['id']}").status_code == 404
    assert post(other, hardship, body(hardship)).status_code == 404
    assert other.get(f"/api/v1/households/{hardship.pk}/medical-bills").status_code == 404
