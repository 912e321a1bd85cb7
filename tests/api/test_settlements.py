"""POST /api/v1/settlements: exactly the spec, 200 with the settlement or 422 with the first error; no login."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db  # the figures are the system's: administrators' standards included

URL = "/api/v1/settlements"
BILL = {"as_of": "2019-06-01", "region": "320100", "category": "hardship", "archived": True,
        "member": {"relation": "self", "scheme": "resident", "serious_illness": True, "mutual_aid": True},
        "bill": {"kind": "inpatient", "hospital_level": "tertiary", "total": 80000.00, "in_scope": 60000.00}}


def test_a_bill_is_settled_with_amounts_as_json_numbers(client):
    response = client.post(URL, data=json.dumps(BILL), content_type="application/json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    answer = json.loads(response.content)
    assert [layer["code"] for layer in answer["layers"]] == [
        "medical.basic_insurance", "medical.critical_illness_insurance", "medical.mutual_aid",
        "medical.expense_assistance", "medical.emergency_relief"]
    assert answer["out_of_pocket"] == 24863.12 and isinstance(answer["paid_by_schemes"], float)
    assert answer["year_to_date"]["critical_base"] == 21650


def test_a_bad_bill_is_422_naming_the_field(client):
    bad = {**BILL, "bill": {**BILL["bill"], "in_scope": 90000}}
    response = client.post(URL, data=json.dumps(bad), content_type="application/json")
    assert response.status_code == 422
    assert json.loads(response.content) == {"detail": "bill.in_scope: 大于总费用total"}
    response = client.post(URL, data="{", content_type="application/json")
    assert response.status_code == 422 and json.loads(response.content)["detail"].startswith("$:")
