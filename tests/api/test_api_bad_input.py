"""Every probe of issue 13 answers a 4xx in Chinese, never a 500: years and ids out of range, NUL characters
anywhere, JSON nested 50,000 deep or too large, a missing media file behind a download."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

pytestmark = pytest.mark.django_db
YEARS = ["-1", "0", "10000", "99999999999999999999", "abc"]


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("url", ["/api/v1/ledger/totals", "/api/v1/ledger/entries", "/api/v1/ledger/export.xlsx",
                                 "/api/v1/ledger/budgets", "/api/v1/ledger/totals/unions", "/api/v1/cases/targets"])
def test_years_out_of_range_are_a_422_naming_the_field(client, users, url, year):
    client.force_login(users["admin_province"])
    answer = client.get(url, {"year": year})
    assert answer.status_code == 422, answer.content
    assert answer.json()["field"] == "year"


@pytest.mark.parametrize("url", ["/api/v1/households/99999999999999999999", "/api/v1/ledger/entries/99999999999999999999",
                                 "/households/99999999999999999999/", "/api/v1/exchange/jobs/99999999999999999999"])
def test_ids_beyond_a_database_key_are_not_found(client, users, url):
    client.force_login(users["admin_province"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/api/v1/households?q=a%00b", "/households/?q=a%00b", "/api/v1/audit?action=%00"])
def test_nul_in_a_query_is_a_400(client, users, url):
    client.force_login(users["admin_province"])
    answer = client.get(url)
    assert answer.status_code == 400
    if url.startswith("/api/"):
        assert "空字符" in answer.json()["detail"]


def test_nul_in_a_json_body_form_post_and_token_name_is_a_400(client, users, make_household):
    household = make_household()
    client.force_login(users["caseworker_g1"])
    patched = client.patch(f"/api/v1/households/{household.pk}", '{"version": 1, "notes": "a\\u0000b"}',
                           content_type="application/json")
    assert patched.status_code == 400 and "空字符" in patched.json()["detail"]
    token = client.post("/api/v1/accounts/tokens", {"name": "x\x00y"}, content_type="application/json")
    assert token.status_code == 400
    form = client.post(f"/households/{household.pk}/edit/", {"address": "a\x00b"})
    assert form.status_code == 400
    household.refresh_from_db()
    assert "\x00" not in household.notes and "\x00" not in household.address


def test_json_nested_fifty_thousand_deep_is_refused_before_parsing(client):
    body = "[" * 50_000 + "]" * 50_000
    answer = client.post("/api/v1/households", body, content_type="application/json")
    assert answer.status_code == 400 and "嵌套过深" in answer.json()["detail"]
    # The engine's exchange formats answer as their spec says: 422 naming the document ($), before parsing.
    answer = client.post("/api/v1/assessments", body, content_type="application/json")
    assert answer.status_code == 422 and answer.json()["detail"].startswith("$: ")
    assert client.post("/api/v1/assessments", '{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}',
                       content_type="application/json").status_code == 422  # brackets in strings do not count


def test_json_too_large_is_a_413(client):
    body = '{"x": "' + "a" * (1024 * 1024 + 10) + '"}'
    assert client.post("/api/v1/assessments", body, content_type="application/json").status_code == 413


def test_a_missing_document_file_is_a_chinese_404(client, users, make_household):
    from bangfu.registry.models import Document

    household = make_household()
    document = Document(household=household, doc_type="id_card", original_name="身份证.jpg",
                        uploaded_by=users["caseworker_g1"], size=3)
    document.file.save("gone.jpg", ContentFile(b"abc"), save=True)
    document.file.storage.delete(document.file.name)
    client.force_login(users["caseworker_g1"])
    api = client.get(f"/api/v1/documents/{document.pk}")
    assert api.status_code == 404 and "不在存储中" in api.json()["detail"]
    assert client.get(f"/documents/{document.pk}/").status_code == 404


def test_a_missing_job_result_file_is_a_chinese_404(client, users):
    from bangfu.exchange.models import ImportJob

    job = ImportJob(kind="households", union=users["caseworker_g1"].organisation, created_by=users["caseworker_g1"],
                    state="invalid", original_name="a.csv")
    job.file.save("in.csv", ContentFile(b"x"), save=False)
    job.result_file.save("out.csv", ContentFile(b"x"), save=True)
    job.result_file.storage.delete(job.result_file.name)
    client.force_login(users["caseworker_g1"])
    api = client.get(f"/api/v1/exchange/jobs/{job.pk}/result")
    assert api.status_code == 404 and "不在存储中" in api.json()["detail"]
    assert client.get(f"/jobs/{job.pk}/result/").status_code == 404


def test_an_api_url_no_route_matches_is_a_json_404(client, users):
    client.force_login(users["admin_province"])
    answer = client.get("/api/v1/households/-5/medical-bills")
    assert answer.status_code == 404 and answer["Content-Type"] == "application/json"
    assert client.get("/no-such-page/").status_code == 404


@pytest.mark.parametrize("year", YEARS)
def test_medical_bills_years_out_of_range_are_a_422(client, users, make_household, year):
    household = make_household()
    client.force_login(users["caseworker_g1"])
    answer = client.get(f"/api/v1/households/{household.pk}/medical-bills", {"year": year})
    assert answer.status_code == 422 and answer.json()["field"] == "year"
