"""One answer on every route (issue 9, item 4): the command line with an exported bundle, the assessment API, the
household page's preview and the household page give the same bytes for the same document on the same day,
also after an administrator adds a standard (Article 24)."""

from __future__ import annotations

import datetime
import io
import json
from contextlib import redirect_stdout
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from standards_helpers import standard_set

from bangfu.cases.services import case_take_over
from bangfu.policy.cli import main as cli
from bangfu.registry import services as registry
from bangfu.registry.assessment import household_to_assessment_document
from bangfu.standards import selectors

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2025, 6, 18)
PRICE = "living.utilities.electricity_price"


def _cli(tmp_path, document: dict) -> bytes:
    bundle, path = tmp_path / "bundle.json", tmp_path / "household.json"
    call_command("parameters", "export", out=str(bundle), stderr=io.StringIO())
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli(["assess", "--parameters", str(bundle), str(path)]) == 0
    return out.getvalue().rstrip("\n").encode()


def _api(client, document: dict) -> bytes:
    response = client.post("/api/v1/assessments", data=json.dumps(document), content_type="application/json")
    assert response.status_code == 200, response.content
    return response.content


def _page(client, household) -> bytes:
    response = client.get(f"/households/{household.pk}/entitlements.json", {"as_of": AS_OF.isoformat()})
    assert response.status_code == 200, response.content
    return response.content


def _routes(tmp_path, client, household, document) -> dict[str, bytes]:
    return {"cli": _cli(tmp_path, document), "api": _api(client, document), "page": _page(client, household)}


@pytest.fixture
def household(make_household, users):
    household = make_household(proposed_category="extreme_hardship")
    for month, amount in ((datetime.date(2025, 4, 1), "1475"), (datetime.date(2025, 5, 1), "1183")):
        registry.income_set(actor=users["caseworker_g1"], household=household, month=month, source="wages",
                            amount=Decimal(amount))
    return household


def test_the_same_document_gets_the_same_bytes_on_every_route(tmp_path, login, users, household):
    client = login(users["caseworker_g1"])
    document = household_to_assessment_document(household, AS_OF)
    document.update(category="extreme_hardship", archived=True)  # what the preview assesses
    preview = _routes(tmp_path, client, household, document)
    assert len(set(preview.values())) == 1, {k: v[:200] for k, v in preview.items()}

    case_take_over(actor=users["reviewer_xuanwu"], household=household, category="extreme_hardship")
    household.refresh_from_db()
    verified = _routes(tmp_path, client, household, household_to_assessment_document(household, AS_OF))
    assert len(set(verified.values())) == 1
    assert verified["page"] == preview["page"], "the preview said what the verified file gets"

    answer = json.loads(verified["api"])
    electricity = next(b for b in answer["benefits"] if b["code"] == "living.free_electricity")
    assert electricity["details"]["price"] == 0.5283 and "price" in electricity["details"]["illustrative"]

    standard_set(users, parameter=PRICE, region_code="320100", start=datetime.date(2025, 1, 1), value="0.6",
                 document="南京市发展和改革委员会关于居民生活用电价格的通知(示例)")
    after = _routes(tmp_path, client, household, household_to_assessment_document(household, AS_OF))
    assert len(set(after.values())) == 1, {k: v[:200] for k, v in after.items()}
    changed = next(b for b in json.loads(after["api"])["benefits"] if b["code"] == "living.free_electricity")
    assert changed["details"]["price"] == 0.6 and changed["amount"] == 108.0  # 15 kWh × 12 × 0.6
    assert "price" not in changed["details"].get("illustrative", [])


def test_the_version_of_the_standards_is_checked_once_per_request(login, users, household):
    client = login(users["caseworker_g1"])
    selectors.effective_parameters()  # the process cache is warm
    with CaptureQueriesContext(connection) as queries:
        _page(client, household)
    checks = [q["sql"] for q in queries.captured_queries if "standards_standardvalue" in q["sql"]]
    assert len(checks) == 1, checks


def test_a_bad_bundle_is_refused_naming_the_option(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something-else"}', encoding="utf-8")
    assert cli(["assess", "--parameters", str(bad), "-"]) == 2
    assert capsys.readouterr().err.startswith("--parameters: 不是参数包")


def _selfcheck(client, today: datetime.date) -> dict:
    """The public self-check's answer for a 特困 family in 南京市玄武区 (today, no login)."""
    data = {"region": "320102", "category": "extreme_hardship", "monthly_income": "800", "dibao": "no",
            "m0-relation": "self", "m0-sex": "female", "m0-birth_date": f"{today.year - 48}-03-01",
            "m0-employment": "registered_unemployed", "m0-work_ability": "partial", "m0-health": "serious",
            "m1-relation": "child", "m1-sex": "female", "m1-birth_date": f"{today.year - 20}-05-01",
            "m1-employment": "student", "m1-stage": "higher", "m1-year": "2", "m1-institution": "public"}
    response = client.post("/public/selfcheck/", data)
    assert response.status_code == 200, response.content.decode()[:1000]
    return response.context["answer"]


def test_the_public_self_check_sees_a_new_standard_at_its_next_answer(client, users, today):
    """Its parameters are built once per process and version; the version is asked once per answer, so a standard
    an administrator adds is in the very next answer."""
    def electricity(answer: dict) -> dict:
        return next(b for b in answer["benefits"] if b["code"] == "living.free_electricity")

    before = electricity(_selfcheck(client, today))
    with CaptureQueriesContext(connection) as queries:
        assert electricity(_selfcheck(client, today)) == before  # the process cache, one version check
    checks = [q["sql"] for q in queries.captured_queries if "standards_standardvalue" in q["sql"]]
    assert len(checks) == 1 and "COUNT" in checks[0], checks

    standard_set(users, parameter=PRICE, region_code="320100", start=datetime.date(2025, 1, 1), value="0.6",
                 document="南京市发展和改革委员会关于居民生活用电价格的通知(示例)")
    after = electricity(_selfcheck(client, today))
    assert before["details"]["price"] != 0.6
    assert after["details"]["price"] == 0.6 and after["amount"] == 108.0  # 15 kWh × 12 × 0.6
