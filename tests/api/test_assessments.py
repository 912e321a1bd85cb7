"""POST /api/v1/assessments: exactly the spec, 200 with the output document or 422 with the first error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[3] / "shared" / "spec" / "examples" / "extreme-family.json"
URL = "/api/v1/assessments"
pytestmark = pytest.mark.django_db  # the figures are the system's: administrators' standards are read


@pytest.fixture
def example() -> dict:
    if not EXAMPLE.exists():
        pytest.skip("the shared spec example is not available")
    return json.loads(EXAMPLE.read_text())


def post(client, body, content_type="application/json"):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data=data, content_type=content_type)


def test_a_good_document_is_answered_with_amounts_as_json_numbers(client, example):
    response = post(client, example)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    answer = json.loads(response.content)
    assert answer["as_of"] == "2019-06-01" and answer["region"] == "320102"
    by_code = {(b["code"], b["member"]): b for b in answer["benefits"]}
    assert by_code[("education.compulsory_living_subsidy", "c1")]["amount"] == 1000
    assert by_code[("education.inspirational_scholarship", "c2")]["amount"] == 5000
    assert isinstance(answer["total_cash"], int | float) and not isinstance(answer["total_cash"], bool)
    assert b'"amount": "' not in response.content, "amounts are numbers, not strings"


@pytest.mark.parametrize("body, detail", [
    ("not json", "$: "),
    ("[1, 2]", "$: "),
    ({"as_of": "2019-06-01"}, "region: "),
    # Format version 2: nesting read before parsing (no RecursionError, no 500), non-finite numbers, NUL.
    ('{"x": ' + "[" * 50_000 + "]" * 50_000 + "}", "$: "),
    ('{"as_of": "2019-06-01", "monthly_income": NaN}', "monthly_income: "),
    ('{"as_of": "2019-06-01\\u0000"}', "as_of: "),
    ({"as_of": "1994-12-31"}, "as_of: "),
])
def test_bad_documents_get_422_with_the_path(client, body, detail):
    response = post(client, body)
    assert response.status_code == 422
    assert response.json()["detail"].startswith(detail) and list(response.json()) == ["detail"]


def test_a_bad_member_field_is_named_by_its_path(client, example):
    example["members"][1]["birth_date"] = "2020-01-01"
    response = post(client, example)
    assert response.status_code == 422 and response.json()["detail"].startswith("members[1].birth_date: ")


def test_unknown_fields_are_ignored(client, example):
    example["colour"] = "blue"
    assert post(client, example).status_code == 200
